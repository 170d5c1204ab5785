// When the bot cannot post in an answer's thread (Slack errors, an archived channel, a
// restricted thread), the analyst still learns what happened to the update: the same text
// reaches them privately. Real Bolt app over HTTP against the fake Slack.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORE_UNAVAILABLE_TEXT } from '../src/slack/views/update-messages.ts';
import type { FakeSlack, SlackParams } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { blocksText, ephemerals, postAnswerIn, replyInThread, settle } from './helpers/slack-threads.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({ config: { analysts: ['U0ANALYST'] } }, (started) => ({ fake, bot } = started));

const inThreadOf = (channel: string, parent: string) => (p: SlackParams) =>
  p.channel === channel && p.thread_ts === parent;

describe('the thread cannot take the bot’s reply', () => {
  it(
    'sends the confirmation to the analyst privately when Slack keeps failing, ' + 'and still redraws the answer',
    async () => {
      const parent = await postAnswerIn(fake, bot, 'robbery', 'C0FB1');
      // Three 500s: the first try and both of the interactive policy's retries.
      fake.fail('chat.postMessage', { status: 500, times: 3, when: inThreadOf('C0FB1', parent) });
      await replyInThread(bot, 'C0FB1', parent, 'trend: moderate reduction');
      const note = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0FB1');
      expect(note.params).toMatchObject({
        user: 'U0ANALYST',
        thread_ts: parent,
        text: 'Trend: Stable → Moderate reduction, by <@U0ANALYST>',
      });
      await settle(bot);
      expect(
        fake
          .callsTo('chat.postMessage')
          .filter((c) => inThreadOf('C0FB1', parent)(c.params))
          .every((c) => c.status === 500),
      ).toBe(true);
      expect(
        blocksText(
          fake
            .callsTo('chat.update')
            .filter((c) => c.params.ts === parent)
            .at(-1)!,
        ),
      ).toContain('"Moderate reduction · ');
      expect(
        bot.logs.some((l) => l.includes('the confirmation in C0FB1') && l.includes('telling U0ANALYST privately')),
      ).toBe(true);
    },
  );

  it('sends a refusal privately when the channel is archived', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0FB2');
    fake.fail('chat.postMessage', { error: 'is_archived', when: inThreadOf('C0FB2', parent) });
    await replyInThread(bot, 'C0FB2', parent, 'trend: Sideways drift');
    const note = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0FB2');
    expect(note.params.user).toBe('U0ANALYST');
    expect(note.params.text).toMatch(/^Not saved\. .*Nothing was changed/s);
  });

  it('tells the analyst privately that the store cannot be written, when the thread refuses that too', async () => {
    const parent = await postAnswerIn(fake, bot, 'vehicle crime', 'C0FB3');
    fake.fail('chat.postMessage', { error: 'restricted_action', when: inThreadOf('C0FB3', parent) });
    fs.writeFileSync(bot.storeFile, '{ not json');
    await replyInThread(bot, 'C0FB3', parent, 'trend: Stable');
    const note = await fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.params.channel === 'C0FB3');
    expect(note.params.text).toBe(STORE_UNAVAILABLE_TEXT);
    expect(ephemerals(fake, 'C0FB3', 'U0ANALYST')).toHaveLength(1);
  });
});
