// Turning @slack/web-api errors into the short reasons users and logs see.

/** The Slack error code of a platform error ({ok:false, error}), e.g. "not_in_channel". */
export function platformError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: unknown } };
  return e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string' ? e.data.error : undefined;
}

/** Errors from @slack/web-api, whose short reasons are fit to show a user (others may name server paths). */
export function isSlackError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('slack_webapi_');
}

/** One short phrase for an apology or a log line. */
export function slackErrorReason(err: unknown): string {
  const e = err as { code?: string; statusCode?: number; retryAfter?: number; message?: string };
  const platform = platformError(err);
  if (platform) return `Slack said ${platform}`;
  switch (e?.code) {
    case 'slack_webapi_http_error':
      return `Slack answered HTTP ${e.statusCode}`;
    case 'slack_webapi_rate_limited_error':
      return `Slack is rate limiting; retry in ${e.retryAfter} s`;
    case 'slack_webapi_request_error':
      return 'Slack could not be reached';
    default:
      return e?.message ? String(e.message).slice(0, 160) : String(err).slice(0, 160);
  }
}

/** Where the bot is not a member (or cannot see the conversation): answer the user privately. */
export function isCannotPostHere(err: unknown): 'not_in_channel' | 'channel_not_found' | undefined {
  const code = platformError(err);
  return code === 'not_in_channel' || code === 'channel_not_found' ? code : undefined;
}
