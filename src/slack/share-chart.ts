// Sharing a chart so that it is visible in the channel with its answer.
//
// How: the answer is posted first (text never waits for a chart); meanwhile the PNG is
// uploaded (files.getUploadURLExternal + the bytes), then shared with
// files.completeUploadExternal into the answer's own thread (channel_id + thread_ts: the file is then
// shared in the conversation, which an image block needs for everyone to see it), and the
// answer is updated with an image block pointing at the file (slack_file). The channel shows
// one message with text and chart; the thread starts with the chart, under which analysts reply.
// Slack processes uploads asynchronously, so the update is retried briefly while the file is
// not ready yet (invalid_blocks / file not found right after the upload).
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { RenderedChart } from '../charts/render.ts';
import { platformError } from './slack-errors.ts';
import type { Block } from './views/block-kit.ts';

type WebClient = webApi.WebClient;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function chartDigest(chart: RenderedChart): string {
  return createHash('sha1').update(chart.png).digest('hex');
}

/**
 * Step 1 of files.uploadV2, done by hand so it can run before the answer exists: reserve an
 * upload URL and send the bytes. The file is private to the bot until shareStagedChart.
 * (uploadV2 runs all three steps in one call, which would put two more round trips after
 * the post on the way to a visible chart.)
 */
export async function stageChartUpload(client: WebClient, chart: RenderedChart): Promise<string> {
  const reserved = await client.files.getUploadURLExternal({ filename: chart.filename, length: chart.png.length, alt_text: chart.altText.slice(0, 1000) });
  if (!reserved.upload_url || !reserved.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
  // Slack accepts the raw bytes (docs.slack.dev/reference/methods/files.getUploadURLExternal).
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(reserved.upload_url, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(chart.png),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => err);
    if (!(res instanceof Error) && res.ok) return reserved.file_id;
    if (attempt >= 1) throw new Error(`the upload URL answered ${res instanceof Error ? res.message : `HTTP ${res.status}`}`);
    await sleep(200);
  }
}

/** Step 2: share the staged file into the thread under `threadTs`, which makes it visible to the channel's members. */
export async function shareStagedChart(client: WebClient, fileId: string, target: { channel: string; threadTs: string }, chart: RenderedChart): Promise<string> {
  await client.files.completeUploadExternal({ files: [{ id: fileId, title: chart.title }], channel_id: target.channel, thread_ts: target.threadTs });
  return fileId;
}

/** Errors that mean "the file is not processed yet": worth another try in a moment. */
const NOT_READY = new Set(['invalid_blocks', 'invalid_slack_file', 'file_not_found', 'slack_file_not_found']);
export const IMAGE_RETRY_DELAYS_MS = [250, 500, 1000, 1500];

/** chat.update with an image block, retried briefly while Slack is still processing the file. */
export async function updateWithImage(
  client: WebClient,
  message: { channel: string; ts: string; text: string; blocks: Block[] },
  delays: number[] = IMAGE_RETRY_DELAYS_MS,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks: message.blocks });
      return;
    } catch (err) {
      const code = platformError(err);
      const delay = delays[attempt];
      if (!code || !NOT_READY.has(code) || delay === undefined) throw err;
      await sleep(delay);
    }
  }
}
