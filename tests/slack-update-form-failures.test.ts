// The form closed, then the write failed: the analyst must still learn that nothing was saved,
// in the answer's thread, or by DM when the thread refuses the post. Its own bot, because the
// store is damaged on purpose.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_TEXT } from '../src/slack/views/update-messages.ts';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { FORM, sendToBot } from './helpers/slack-requests.ts';
import { postAnswerIn, settle } from './helpers/slack-threads.ts';
import { pressUpdateIn, stateOf, viewSubmissionBody } from './helpers/slack-views.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({ config: { analysts: ['U0ANALYST'] } }, (started) => ({ fake, bot } = started));

describe('when the store cannot be written after the form closed', () => {
  it('says so in the thread, and by DM when the thread refuses it; the answer is not redrawn', async () => {
    const ts = await postAnswerIn(fake, bot, 'robbery', 'C0BROKEN');
    const first = await pressUpdateIn(fake, bot, 'C0BROKEN', ts);
    const second = await pressUpdateIn(fake, bot, 'C0BROKEN', ts);
    await settle(bot);
    const redraws = fake.callsTo('chat.update').length;
    fs.writeFileSync(bot.storeFile, '{ "not": "a store" ');

    // Checked against the last good snapshot, so the modal closes; the write then fails.
    const res = await sendToBot(
      bot.url,
      viewSubmissionBody(first, 'U0ANALYST', stateOf(first, { trend: 'Large increase' })),
      FORM,
    );
    expect(res.body).toBe('');
    const note = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts);
    expect(note.params.text).toBe(STORE_UNAVAILABLE_TEXT);
    expect(note.params.text).not.toContain(bot.storeFile);

    fake.fail('chat.postMessage', { error: 'is_archived', when: (p) => p.thread_ts === ts });
    await sendToBot(
      bot.url,
      viewSubmissionBody(second, 'U0ANALYST', stateOf(second, { comment: 'Seen by the CSP' })),
      FORM,
    );
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'U0ANALYST');
    expect(dm.params.text).toBe(STORE_UNAVAILABLE_TEXT);
    await settle(bot);
    expect(fake.callsTo('chat.update')).toHaveLength(redraws);
    expect(bot.logs.some((l) => l.includes('ERROR') && l.includes('could not be saved'))).toBe(true);
  });
});
