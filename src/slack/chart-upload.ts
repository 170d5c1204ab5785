// Sharing a chart so that it is visible in the channel with its answer: staged (reserved and
// sent) before the answer exists, shared into the answer's thread, then shown by chat.update
// with an image block, retried briefly while Slack is still processing the file.
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import pRetry from 'p-retry';
import type { RenderedChart } from '../charts/render.ts';
import { platformError } from './slack-errors.ts';
import type { Block } from './views/block-kit.ts';

type WebClient = webApi.WebClient;

export function chartDigest(chart: RenderedChart): string {
  return createHash('sha1').update(chart.png).digest('hex');
}

/**
 * Step 1 of files.uploadV2, done by hand so it can run before the answer exists: reserve an
 * upload URL and send the bytes. The file is private to the bot until shareStagedChart.
 * (uploadV2 runs all three steps in one call, which would put two more round trips after
 * the post on the way to a visible chart.) `send` is the fetch for the upload URL: the proxy's
 * when one is set (proxy.ts).
 */
export async function stageChartUpload(
  client: WebClient,
  chart: RenderedChart,
  send: typeof fetch = fetch,
): Promise<string> {
  const reserved = await client.files.getUploadURLExternal({
    filename: chart.filename,
    length: chart.png.length,
    alt_text: chart.altText.slice(0, 1000),
  });
  if (!reserved.upload_url || !reserved.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
  const url = reserved.upload_url;
  // Slack accepts the raw bytes (docs.slack.dev/reference/methods/files.getUploadURLExternal).
  // Two tries, 200 ms apart, whether the request failed or the URL answered an error status.
  await pRetry(
    async () => {
      const res = await send(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(chart.png),
        signal: AbortSignal.timeout(10_000),
      }).catch((err: Error) => err);
      // A plain Error either way: p-retry would not retry some TypeErrors fetch throws.
      if (res instanceof Error) throw new Error(`the upload URL answered ${res.message}`);
      if (!res.ok) throw new Error(`the upload URL answered HTTP ${res.status}`);
    },
    { retries: 1, minTimeout: 200, factor: 1 },
  );
  return reserved.file_id;
}

/** Step 2: share the staged file into the thread under `threadTs`, which makes it visible to the channel's members. */
export async function shareStagedChart(
  client: WebClient,
  fileId: string,
  target: { channel: string; threadTs: string },
  chart: RenderedChart,
): Promise<string> {
  await client.files.completeUploadExternal({
    files: [{ id: fileId, title: chart.title }],
    channel_id: target.channel,
    thread_ts: target.threadTs,
  });
  return fileId;
}

/** Errors that mean "the file is not processed yet": worth another try in a moment. */
const NOT_READY = new Set(['invalid_blocks', 'invalid_slack_file', 'file_not_found', 'slack_file_not_found']);

/**
 * chat.update with an image block, retried briefly while Slack is still processing the file:
 * after 250, 500, 1000 and 1500 ms, and only for NOT_READY errors.
 */
export async function updateWithImage(
  client: WebClient,
  message: { channel: string; ts: string; text: string; blocks: Block[] },
): Promise<void> {
  const { channel, ts, text, blocks } = message;
  await pRetry(() => client.chat.update({ channel, ts, text, blocks }), {
    retries: 4,
    minTimeout: 250,
    factor: 2,
    maxTimeout: 1500,
    shouldRetry: ({ error }) => NOT_READY.has(platformError(error) ?? ''),
  });
}
