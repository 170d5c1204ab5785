// A new answer's thread binding is written to the store in a batch, and that write can wait
// for the store lock (a CLI import, another bot process). An analyst who replies meanwhile
// must still reach the measure: the binding stays visible until the write is done.
import lockfile from 'proper-lockfile';
import { describe, expect, it } from 'vitest';
import { findMeasure } from '../src/store/lookup.ts';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { replyInThread, settle, threadPosts } from './helpers/slack-threads.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile(
  { config: { analysts: ['U0ANALYST'], analystUsergroup: undefined } },
  (started) => ({ fake, bot } = started),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a reply while the new answer's binding is still being written", () => {
  it('is applied and confirmed once the store lock is free, not dropped', async () => {
    // Another process holds the store lock, as src/store/lock.ts takes it.
    const release = await lockfile.lock(bot.storeFile, { realpath: false, stale: 10_000, update: 2_000, retries: 0 });
    let released = false;
    try {
      await sendToBot(
        bot.url,
        slashCommandBody({ text: 'robbery', channel_id: 'C0LOCKED', response_url: fake.responseUrl() }),
        FORM,
      );
      const post = await fake.waitFor(
        (c) =>
          c.method === 'chat.postMessage' && c.params.channel === 'C0LOCKED' && !c.params.thread_ts && c.status === 200,
      );
      const parent = (post.reply as { ts: string }).ts;
      // The batch of bindings is taken for writing within 200 ms (startBot's maxDelayMs) and then waits for the lock.
      await sleep(400);
      expect(bot.store.snapshot().threads.some((t) => t.ts === parent)).toBe(false);

      const reply = await replyInThread(bot, 'C0LOCKED', parent, 'trend: Moderate reduction');
      expect(reply.http.status).toBe(200);
      await sleep(100);
      await release();
      released = true;

      const confirm = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0LOCKED' && c.params.thread_ts === parent,
        10_000,
      );
      expect(confirm.params.text).toBe('Trend: Stable → Moderate reduction, by <@U0ANALYST>');
      expect(findMeasure(bot.store.snapshot(), 'robbery')!.measure.trend.label).toBe('Moderate reduction');
      expect(bot.store.snapshot().changeLog.filter((e) => e.messageId === `slack:C0LOCKED:${reply.ts}`)).toHaveLength(
        1,
      );
      expect(bot.store.snapshot().threads.find((t) => t.channel === 'C0LOCKED' && t.ts === parent)).toMatchObject({
        kind: 'measure',
        id: 'robbery',
      });
      await settle(bot);
      expect(threadPosts(fake, 'C0LOCKED', parent)).toHaveLength(1);
    } finally {
      if (!released) await release();
    }
  }, 30_000);
});
