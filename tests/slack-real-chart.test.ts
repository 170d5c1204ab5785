// The full answer with the real chart service (src/charts worker pool): the PNG that reaches
// Slack is the rendered chart, and the image block carries its alt text.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChartRenderer, loadChartService, noCharts } from '../src/slack/chart-renderer.ts';
import { type FakeSlack, type ImageBlock, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

let fake: FakeSlack;
let bot: RunningBot;
let charts: ChartRenderer;
const warnings: string[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  charts = await loadChartService((m) => warnings.push(m), { workers: 1 });
  bot = await startBot(fake, { charts });
});
afterAll(async () => {
  await bot?.stop();
  await charts?.close();
  await fake?.stop();
});

it('posts the answer and shows the rendered PNG with its alt text', async () => {
  expect(warnings).toEqual([]);
  expect(charts).not.toBe(noCharts);
  await sendToBot(
    bot.url,
    slashCommandBody({ text: 'how are we doing on burglary', channel_id: 'C0REAL', response_url: fake.responseUrl() }),
    FORM,
  );
  const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0REAL', 20_000);
  const ts = (post.reply as { ts: string }).ts;
  const update = await fake.waitFor(
    (c) => c.method === 'chat.update' && c.params.ts === ts && JSON.stringify(c.params.blocks).includes('slack_file'),
    20_000,
  );
  const image = update.params.blocks!.find((b) => b.type === 'image') as ImageBlock;
  const png = fake.fileBytes(image.slack_file.id)!;
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(png.length).toBeGreaterThan(5_000);
  expect(image.alt_text.length).toBeGreaterThan(40);
  expect(image.alt_text).toMatch(/burglary/i);
  const upload = fake
    .callsTo('files.getUploadURLExternal')
    .find((c) => (c.reply as { file_id: string }).file_id === image.slack_file.id)!;
  expect(Number(upload.params.length)).toBe(png.length);
  expect(upload.params.filename).toMatch(/\.png$/);
}, 30_000);
