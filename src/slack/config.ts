// Settings for the Slack app, read once from the environment. A missing or malformed setting
// is one line that names it, so an admin can fix it without reading a stack trace.
import { LogLevel } from '@slack/bolt';
import { resolveStorePath } from '../store/index.ts';

export type SlackMode = 'http' | 'socket';

export interface SlackConfig {
  mode: SlackMode;
  botToken: string;
  /** Required in HTTP mode; Socket Mode has no signed HTTP requests. */
  signingSecret: string | undefined;
  appToken: string | undefined;
  port: number;
  /** Web API base URL; set to a fake Slack for tests and local trials. */
  apiUrl: string | undefined;
  storeFile: string;
  logLevel: LogLevel;
  /** Slack user IDs allowed to update measures (ANALYSTS, comma-separated); empty when unset. */
  analysts: string[];
  /** A user group ID (S…) whose members may update measures (ANALYST_USERGROUP). */
  analystUsergroup?: string;
}

export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

const DEFAULT_PORT = 3000;

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = setting(env, name);
  if (!value) throw new SlackConfigError(`${name} is not set: ${why}`);
  return value;
}

function portFrom(env: NodeJS.ProcessEnv): number {
  const raw = setting(env, 'PORT');
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SlackConfigError(`PORT must be a whole number from 0 to 65535 (got "${raw}")`);
  }
  return port;
}

function apiUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = setting(env, 'SLACK_API_URL');
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new SlackConfigError(`SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "${raw}")`);
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}

const LOG_LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const raw = setting(env, 'LOG_LEVEL');
  if (raw === undefined) return LogLevel.INFO;
  const level = LOG_LEVELS[raw.toLowerCase()];
  if (!level) throw new SlackConfigError(`LOG_LEVEL must be debug, info, warn or error (got "${raw}")`);
  return level;
}

// Who may update measures. IDs, not names: names change and are not unique.
function analystsFrom(env: NodeJS.ProcessEnv): string[] {
  const ids = (setting(env, 'ANALYSTS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
  if (bad)
    throw new SlackConfigError(`ANALYSTS must be Slack user IDs separated by commas, such as U0123ABCD (got "${bad}")`);
  return ids;
}

function usergroupFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = setting(env, 'ANALYST_USERGROUP');
  if (raw !== undefined && !/^S[A-Z0-9]{2,}$/.test(raw)) {
    throw new SlackConfigError(
      `ANALYST_USERGROUP must be a user group ID such as S0123ABCD, not its @handle (got "${raw}")`,
    );
  }
  return raw;
}

// Any other token (a bot's xoxb- pasted in by mistake) is refused by Slack's apps.connections.open
// in a way the Socket Mode client retries for ever, so it is refused here instead.
function appTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const token = setting(env, 'SLACK_APP_TOKEN');
  if (token !== undefined && !token.startsWith('xapp-')) {
    const prefix = /^[a-z]+-/.exec(token)?.[0];
    throw new SlackConfigError(
      `SLACK_APP_TOKEN must be an app-level token starting xapp- (Basic Information → App-Level Tokens), ` +
        `not ${prefix ? `a ${prefix} token` : 'this value'}`,
    );
  }
  return token;
}

export function readSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  const appToken = appTokenFrom(env);
  const mode: SlackMode = appToken ? 'socket' : 'http';
  const botToken = required(env, 'SLACK_BOT_TOKEN', "the bot's xoxb- token from the app's OAuth & Permissions page");
  const signingSecret =
    mode === 'http'
      ? required(
          env,
          'SLACK_SIGNING_SECRET',
          'HTTP mode needs the signing secret from Basic Information (or set SLACK_APP_TOKEN for Socket Mode)',
        )
      : setting(env, 'SLACK_SIGNING_SECRET');
  return {
    mode,
    botToken,
    signingSecret,
    appToken,
    port: portFrom(env),
    apiUrl: apiUrlFrom(env),
    storeFile: resolveStorePath(env),
    logLevel: logLevelFrom(env),
    analysts: analystsFrom(env),
    analystUsergroup: usergroupFrom(env),
  };
}
