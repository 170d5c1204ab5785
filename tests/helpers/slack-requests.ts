// Signed requests as Slack sends them: slash commands and button clicks form-encoded,
// Events API callbacks as JSON. Signature per docs.slack.dev/authentication/verifying-requests-from-slack.
import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export function signSlackRequest(
  secret: string,
  body: string,
  ts = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig };
}

export interface SendOptions {
  secret?: string;
  /** Unix seconds to sign with (stale / future tests). */
  timestamp?: number;
  /** Replace the signature (forgery tests). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface SlackReply {
  status: number;
  body: string;
  ms: number;
}

export async function sendToBot(
  url: string,
  body: string,
  contentType: string,
  options: SendOptions = {},
): Promise<SlackReply> {
  const signed = signSlackRequest(options.secret ?? TEST_SIGNING_SECRET, body, options.timestamp);
  if (options.signature) signed['x-slack-signature'] = options.signature;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signed, ...options.headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

export function slashCommandBody(fields: {
  text: string;
  channel_id?: string;
  user_id?: string;
  response_url: string;
  trigger_id?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-unused',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: fields.user_id ?? 'U0ASKER',
    user_name: 'asker',
    command: '/measures',
    text: fields.text,
    api_app_id: 'A0MEASURES',
    is_enterprise_install: 'false',
    response_url: fields.response_url,
    trigger_id: fields.trigger_id ?? `${Date.now()}.1.abc`,
  }).toString();
}

export function blockActionBody(fields: {
  action_id: string;
  value: string;
  channel_id?: string;
  user_id?: string;
  response_url: string;
  /** The message the button is on; a private (ephemeral) one unless said otherwise. */
  message_ts?: string;
  is_ephemeral?: boolean;
  /** A choice in a static select instead of a button click. */
  selected_value?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: fields.user_id ?? 'U0ASKER', username: 'asker', team_id: 'T0FAKE' },
    api_app_id: 'A0MEASURES',
    token: 'legacy-unused',
    container: {
      type: 'message',
      message_ts: fields.message_ts ?? '1700000000.000001',
      channel_id: fields.channel_id ?? 'C0GENERAL',
      is_ephemeral: fields.is_ephemeral ?? true,
    },
    trigger_id: `${Date.now()}.2.def`,
    channel: { id: fields.channel_id ?? 'C0GENERAL', name: 'general' },
    response_url: fields.response_url,
    actions: [
      fields.selected_value === undefined
        ? {
            type: 'button',
            action_id: fields.action_id,
            block_id: 'measures_pick',
            value: fields.value,
            text: { type: 'plain_text', text: 'x' },
            action_ts: `${Date.now() / 1000}`,
          }
        : {
            type: 'static_select',
            action_id: fields.action_id,
            block_id: 'measures_pick',
            selected_option: { text: { type: 'plain_text', text: 'x' }, value: fields.selected_value },
            action_ts: `${Date.now() / 1000}`,
          },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventCallbackBody(fields: { event_id: string; event: Record<string, unknown> }): string {
  return JSON.stringify({
    token: 'legacy-unused',
    team_id: 'T0FAKE',
    api_app_id: 'A0MEASURES',
    type: 'event_callback',
    event_id: fields.event_id,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
    event: fields.event,
  });
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
