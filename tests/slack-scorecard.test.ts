// `/measures scorecard` over real HTTP with the real chart service against the fake Slack: one
// PNG of the whole force shared in the channel, with alt text naming every measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from 'canvas';
import { shortMeasureName } from '../src/charts/priority-config.ts';
import { type ChartRenderer, loadChartService, noCharts } from '../src/slack/chart-renderer.ts';
import { allMeasures } from '../src/store/index.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { seedStore } from './helpers/seed.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

let fake: FakeSlack;
let bot: RunningBot;
let charts: ChartRenderer;

beforeAll(async () => {
  fake = await startFakeSlack();
  charts = await loadChartService(() => undefined, { workers: 1 });
  bot = await startBot(fake, { charts });
});
afterAll(async () => {
  await bot?.stop();
  await charts?.close();
  await fake?.stop();
});

async function scorecardIn(channel: string): Promise<string> {
  const responseUrl = fake.responseUrl();
  const res = await sendToBot(
    bot.url,
    slashCommandBody({ text: 'scorecard', channel_id: channel, user_id: 'U0CHIEF', response_url: responseUrl }),
    FORM,
  );
  expect(res.status).toBe(200);
  return responseUrl;
}

describe('/measures scorecard', () => {
  it('shares one PNG of every measure in the channel, with alt text naming all 19', async () => {
    expect(charts).not.toBe(noCharts);
    await scorecardIn('C0SCORE');
    const shared = await fake.waitFor(
      (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'C0SCORE',
      20_000,
    );
    expect(shared.reply).toMatchObject({ ok: true });
    expect(shared.params.thread_ts).toBeUndefined();
    expect(shared.params.initial_comment).toContain('<@U0CHIEF>');
    const fileId = shared.params.files![0]!.id;
    const png = fake.fileBytes(fileId)!;
    expect((await loadImage(png)).width).toBe(1080);
    const upload = fake
      .callsTo('files.getUploadURLExternal')
      .find((c) => (c.reply as { file_id: string }).file_id === fileId)!;
    expect(upload.params.filename).toBe('scorecard.png');
    const alt = upload.params.alt_text!;
    expect(alt.length).toBeLessThanOrEqual(1000);
    for (const m of allMeasures(seedStore())) expect(alt).toContain(`${shortMeasureName(m.title)}: ${m.trend.label}`);
    // One image is the whole message: no text post, no second upload.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0SCORE')).toHaveLength(0);
    expect(fake.callsTo('files.completeUploadExternal').filter((c) => c.params.channel_id === 'C0SCORE')).toHaveLength(
      1,
    );
  }, 30_000);

  it('tells the asker privately when the bot is not in the channel', async () => {
    fake.notMember.add('C0OUTSIDE');
    const responseUrl = await scorecardIn('C0OUTSIDE');
    const reply = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl, 20_000);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(reply.params.text).toContain('/invite @Measures');
    expect(reply.params.text).toContain('Home tab');
  }, 30_000);
});
