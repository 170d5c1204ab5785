// Sharing a chart so that it is visible in the channel with its answer.
//
// How: the answer is posted first (text never waits for a chart), the PNG is uploaded with
// files.uploadV2 into the answer's own thread (channel_id + thread_ts: the file is then
// shared in the conversation, which an image block needs for everyone to see it), and the
// answer is updated with an image block pointing at the file (slack_file). The channel shows
// one message with text and chart; the thread starts with the chart, under which analysts reply.
// Slack processes uploads asynchronously, so the update is retried briefly while the file is
// not ready yet (invalid_blocks / file not found right after the upload).
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { ChartImage } from './charts.ts';
import { platformError } from './slack-errors.ts';
import type { Block } from './views/limits.ts';

type WebClient = webApi.WebClient;

export function chartDigest(chart: ChartImage): string {
  return createHash('sha1').update(chart.png).digest('hex');
}

/** Uploads the PNG into the thread under `threadTs`; returns the file id. */
export async function shareChartInThread(client: WebClient, target: { channel: string; threadTs: string }, chart: ChartImage): Promise<string> {
  const res = (await client.files.uploadV2({
    channel_id: target.channel,
    thread_ts: target.threadTs,
    file: chart.png,
    filename: chart.filename,
    title: chart.title,
    alt_text: chart.altText.slice(0, 1000),
  })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
  const id = res.files?.[0]?.files?.[0]?.id;
  if (!id) throw new Error('files.uploadV2 returned no file id');
  return id;
}

/** Errors that mean "the file is not processed yet": worth another try in a moment. */
const NOT_READY = new Set(['invalid_blocks', 'invalid_slack_file', 'file_not_found', 'slack_file_not_found']);
export const IMAGE_RETRY_DELAYS_MS = [250, 500, 1000, 1500];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
