// The answer in the channel must end up showing the latest update, even when the first chart
// redraw after posting is slow (a cold render, Slack still processing the file) and an
// analyst's update lands meanwhile. Real Bolt app over HTTP against the fake Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRequest as ChartRef, RenderedChart as ChartImage } from '../src/charts/render.ts';
import type { ChartRenderer } from '../src/slack/chart-renderer.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { tinyPng } from './helpers/slack-charts.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { blocksText, replyInThread, settle } from './helpers/slack-threads.ts';

/**
 * The first render waits until the test opens the gate (a cold chart service that outlasts an
 * analyst's reply and its confirmation); later ones are quick.
 */
function gatedFirstCharts(): ChartRenderer & { openGate(): void } {
  let calls = 0;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  return {
    async render(ref: ChartRef): Promise<ChartImage> {
      if (calls++ === 0) await gate;
      return {
        png: tinyPng(`${ref.kind}:${ref.id}`),
        altText: `Line chart of ${ref.id}`,
        filename: `${ref.id}.png`,
        title: `${ref.id} chart`,
      };
    },
    close() {},
    openGate,
  };
}

let fake: FakeSlack;
let bot: RunningBot;
const charts = gatedFirstCharts();

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await startBot(fake, { charts, config: { analysts: ['U0ANALYST'] } });
});
afterAll(async () => {
  charts.openGate(); // so a failed test does not leave the bot waiting on the first chart
  await bot?.stop();
  await fake?.stop();
});

describe('an update while the first chart is still on its way', () => {
  it('leaves the answer showing the new trend, the "Updated" footer and the chart', async () => {
    await sendToBot(
      bot.url,
      slashCommandBody({ text: 'robbery', channel_id: 'C0RACE', response_url: fake.responseUrl() }),
      FORM,
    );
    const post = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0RACE' && !c.params.thread_ts,
    );
    const parent = (post.reply as { ts: string }).ts;
    expect(blocksText(post)).toContain('"Stable · ');

    // The analyst replies before the first chart has been drawn.
    await replyInThread(bot, 'C0RACE', parent, 'trend: moderate reduction');
    await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.thread_ts === parent &&
        String(c.params.text).startsWith('Trend: Stable → Moderate reduction'),
    );
    expect(fake.callsTo('chat.update').filter((c) => c.params.ts === parent && c.status === 200)).toHaveLength(0);

    charts.openGate(); // the first chart is drawn only now
    await settle(bot);
    const updates = fake
      .callsTo('chat.update')
      .filter((c) => c.params.channel === 'C0RACE' && c.params.ts === parent && (c.reply as { ok: boolean }).ok);
    const last = blocksText(updates.at(-1)!);
    expect(last).toContain('"Moderate reduction · ');
    expect(last).toMatch(/Updated \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} by <@U0ANALYST>/);
    expect(last).toContain('slack_file');
    // What the channel shows is that last update.
    const shown = JSON.stringify(fake.messages.get(`C0RACE:${parent}`)!.blocks);
    expect(shown).toBe(JSON.stringify(updates.at(-1)!.params.blocks));
    // No update ever went out with the new trend but without its footer, or with the old trend after it.
    const firstNew = updates.findIndex((u) => blocksText(u).includes('Moderate reduction'));
    expect(
      updates
        .slice(firstNew)
        .every((u) => blocksText(u).includes('Moderate reduction') && blocksText(u).includes('Updated ')),
    ).toBe(true);
  });
});
