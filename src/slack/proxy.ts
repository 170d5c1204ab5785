// The outbound proxy for everything the bot sends to Slack. Node's own fetch (which
// @slack/web-api 8, Bolt's respond() and the chart upload use) ignores HTTP_PROXY, HTTPS_PROXY
// and NO_PROXY, so on a network that only reaches Slack through a proxy nothing would get out.
// When one of those proxy variables is set, every Slack connection goes through undici's
// EnvHttpProxyAgent instead: the Web API client, response_url replies, the upload URL, the
// digest's client and the Socket Mode WebSocket. With none set, nothing here is used and the
// default path is exactly as before.
//
// The fetch is undici's own, given the agent explicitly, rather than setGlobalDispatcher(): the
// global dispatcher reaches Node's built-in fetch only while Node's bundled undici and the
// installed one share the same global key and dispatcher interface, which a Node or undici
// upgrade may silently change.
import { EnvHttpProxyAgent, type Dispatcher, fetch as undiciFetch } from 'undici';
import { SlackConfigError } from './config.ts';

/** The variables read, in the order undici reads them (lower case first). */
const HTTP_PROXY_VARS = ['http_proxy', 'HTTP_PROXY'] as const;
const HTTPS_PROXY_VARS = ['https_proxy', 'HTTPS_PROXY'] as const;
const NO_PROXY_VARS = ['no_proxy', 'NO_PROXY'] as const;

export interface SlackProxy {
  /** A fetch that goes through the proxy (or straight out for NO_PROXY hosts). */
  fetch: typeof fetch;
  /** The same agent, for the Socket Mode WebSocket. */
  dispatcher: Dispatcher;
  /** One log line: the proxy URLs with any password masked, and NO_PROXY. */
  description: string;
  close(): Promise<void>;
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/**
 * "proxy.example:3128" as curl reads it: http:// unless a scheme is given. (new URL() would take
 * "proxy.example:" for the scheme, and undici would fail at the first request, not at start.)
 */
function withScheme(raw: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
}

/** A proxy URL fit for a log: the password (if any) replaced by ***; never the secret itself. */
export function maskProxyUrl(raw: string): string {
  try {
    const url = new URL(withScheme(raw));
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    // Do not echo what may hold a secret.
    return '(not a valid URL)';
  }
}

/** The proxy URL undici is given; a setting that is not an http(s) URL stops the bot at start. */
function proxyUrl(setting: { name: string; value: string }): string {
  const raw = withScheme(setting.value);
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new SlackConfigError(
      `${setting.name} must be an http:// or https:// proxy URL such as http://proxy.example:3128 (got ${maskProxyUrl(setting.value)})`,
    );
  return raw;
}

/**
 * The proxy from HTTP(S)_PROXY / NO_PROXY in `env` (either case), or undefined when neither
 * proxy variable is set. The values are read once here, not from process.env at each request.
 */
export function slackProxyFromEnv(env: NodeJS.ProcessEnv = process.env): SlackProxy | undefined {
  const httpSetting = firstSet(env, HTTP_PROXY_VARS);
  const httpsSetting = firstSet(env, HTTPS_PROXY_VARS);
  if (!httpSetting && !httpsSetting) return undefined;
  const httpProxy = httpSetting && proxyUrl(httpSetting);
  const httpsProxy = httpsSetting && proxyUrl(httpsSetting);
  const noProxy = firstSet(env, NO_PROXY_VARS)?.value ?? '';
  // As curl and undici do: an https request uses HTTPS_PROXY, falling back to HTTP_PROXY. Every
  // value is given (an empty string for none), so the agent never reads process.env itself.
  const agent = new EnvHttpProxyAgent({ httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? httpProxy, noProxy });
  const proxiedFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher: agent,
    })) as unknown as typeof fetch;
  const parts = [
    httpsProxy ? `https via ${maskProxyUrl(httpsProxy)}` : `https via ${maskProxyUrl(httpProxy!)}`,
    ...(httpProxy ? [`http via ${maskProxyUrl(httpProxy)}`] : []),
    noProxy ? `not for NO_PROXY ${noProxy}` : 'for every host (NO_PROXY is empty)',
  ];
  return {
    fetch: proxiedFetch,
    dispatcher: agent,
    description: `Slack traffic goes through a proxy: ${parts.join('; ')}`,
    close: () => agent.close(),
  };
}
