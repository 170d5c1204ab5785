// A redraw that changes the chart shares a new PNG in the answer's thread; once the answer
// points at it, the old one is deleted, so the thread does not fill with outdated charts.
// The real Bolt app over HTTP against the fake Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, type RecordedCall, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { tinyPng } from './helpers/slack-charts.ts';
import { blocksText, postAnswerIn, replyInThread, settle } from './helpers/slack-threads.ts';
import type { ChartRenderer } from '../src/slack/chart-renderer.ts';
import { findMeasure } from '../src/store/lookup.ts';

let fake: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack();
  bot = await startBot(fake, { config: { analysts: ['U0ANALYST'] }, charts: trendCharts });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

/** Tiny PNGs that, like the real chart's subtitle, change with the measure's trend and nothing else. */
const trendCharts: ChartRenderer = {
  render: async (ref, store) => ({
    png: tinyPng(`${ref.id}:${findMeasure(store, ref.id)?.measure.trend.label}`),
    altText: `Line chart of ${ref.id}`,
    filename: `${ref.id}.png`,
    title: `${ref.id} chart`,
  }),
  close() {},
};

/** The file id the message's image block shows. */
function imageFileOf(call: RecordedCall): string | undefined {
  return call.params.blocks?.find((b) => b.type === 'image')?.slack_file?.id;
}
const imageFile = (channel: string, ts: string) =>
  fake.messages.get(`${channel}:${ts}`)!.blocks.find((b) => b.type === 'image')?.slack_file?.id;

describe('redrawing an answer with a new chart', () => {
  it('deletes the chart it replaced, after the answer points at the new one', async () => {
    const parent = await postAnswerIn(fake, bot, 'robbery', 'C0CLEAN1');
    const oldFile = imageFile('C0CLEAN1', parent)!;
    expect(oldFile).toBeDefined();
    const uploadsBefore = fake.callsTo('files.completeUploadExternal').length;

    // The trend is in the chart's subtitle: a new trend is a new picture.
    await replyInThread(bot, 'C0CLEAN1', parent, 'trend: moderate reduction');
    const deleted = await fake.waitFor((c) => c.method === 'files.delete');
    expect(deleted.params.file).toBe(oldFile);
    expect(deleted.status).toBe(200);

    expect(fake.callsTo('files.completeUploadExternal').length).toBe(uploadsBefore + 1);
    const newFile = imageFile('C0CLEAN1', parent)!;
    expect(newFile).not.toBe(oldFile);
    // The delete came after the chat.update that moved the answer to the new file.
    const moved = fake.calls.findIndex(
      (c) => c.method === 'chat.update' && c.params.ts === parent && imageFileOf(c) === newFile,
    );
    expect(moved).toBeGreaterThanOrEqual(0);
    expect(fake.calls.indexOf(deleted)).toBeGreaterThan(moved);
    expect(fake.callsTo('files.delete')).toHaveLength(1);
  });

  it('deletes nothing when the update leaves the chart as it was', async () => {
    const parent = await postAnswerIn(fake, bot, 'homicide', 'C0CLEAN2');
    const file = imageFile('C0CLEAN2', parent)!;
    const deletesBefore = fake.callsTo('files.delete').length;
    const uploadsBefore = fake.callsTo('files.completeUploadExternal').length;

    // A comment is in the text, not the chart.
    await replyInThread(bot, 'C0CLEAN2', parent, 'comment: seasonal dip expected');
    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === parent && blocksText(c).includes('by <@U0ANALYST>'),
    );
    await settle(bot);
    expect(imageFile('C0CLEAN2', parent)).toBe(file);
    expect(fake.callsTo('files.completeUploadExternal').length).toBe(uploadsBefore);
    expect(fake.callsTo('files.delete').length).toBe(deletesBefore);
  });
});
