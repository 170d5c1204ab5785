// A burst of slash commands: every one is acked at once, at most a few answers are worked on at
// a time (the rest wait, already acked), and every asker still gets an answer with its chart.
import { expect, it } from 'vitest';
import type { ChartRequest, RenderedChart } from '../src/charts/render.ts';
import type { ChartRenderer } from '../src/slack/chart-renderer.ts';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { tinyPng } from './helpers/slack-charts.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';

const IN_FLIGHT = 2;
const COMMANDS = 6;

/** Renders only when the test says so, and counts the answers waiting for their chart. */
function heldCharts() {
  const held: Array<() => void> = [];
  let maxHeld = 0;
  const charts: ChartRenderer = {
    render: (ref: ChartRequest) =>
      new Promise<RenderedChart>((resolve) => {
        held.push(() => resolve({ png: tinyPng(ref.id), altText: ref.id, filename: `${ref.id}.png`, title: ref.id }));
        maxHeld = Math.max(maxHeld, held.length);
      }),
    close() {},
  };
  return {
    charts,
    get held() {
      return held.length;
    },
    get maxHeld() {
      return maxHeld;
    },
    releaseAll: () => held.splice(0).forEach((release) => release()),
  };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

let fake: FakeSlack;
let bot: RunningBot;
const renderer = heldCharts();
startBotForFile({ charts: renderer.charts, answersInFlight: IN_FLIGHT }, (started) => ({ fake, bot } = started));

it(`acks ${COMMANDS} commands at once, works on ${IN_FLIGHT} answers at a time, and answers all`, async () => {
  const channels = Array.from({ length: COMMANDS }, (_, i) => `C0BURST${i}`);
  const replies = await Promise.all(
    channels.map((channel) =>
      sendToBot(
        bot.url,
        slashCommandBody({ text: 'robbery', channel_id: channel, response_url: fake.responseUrl() }),
        FORM,
      ),
    ),
  );
  expect(replies.map((r) => r.status)).toEqual(channels.map(() => 200));

  // Every answer would reach its chart within a turn or two of its ack; give them many more.
  const deadline = Date.now() + 5000;
  while (renderer.held < IN_FLIGHT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await turns(50);
  expect(renderer.held).toBe(IN_FLIGHT);
  expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(IN_FLIGHT);

  // Charts drawn as they are asked for: the others follow, never more than IN_FLIGHT at once.
  const shown = Promise.all(
    channels.map((channel) =>
      fake.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.params.channel === channel &&
          JSON.stringify(c.params.blocks).includes('slack_file'),
        10_000,
      ),
    ),
  );
  let done = false;
  void shown.finally(() => (done = true));
  while (!done && Date.now() < deadline + 10_000) {
    renderer.releaseAll();
    await new Promise((r) => setTimeout(r, 5));
  }
  await shown;
  expect(renderer.maxHeld).toBe(IN_FLIGHT);
  expect(new Set(fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.params.channel))).toEqual(
    new Set(channels),
  );
});
