// The buttons under an answer, over real HTTP with signed block_actions against the fake Slack:
// Details posts the rest once in the thread (a second click links to it; private where the
// answer was private), History shows the change log to the clicker only.
import { trendChangedToStable } from './helpers/seed.ts';
import { describe, expect, it } from 'vitest';
import type { FakeSlack, RecordedCall } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { blockActionBody, FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { postAnswerIn, replyInThread } from './helpers/slack-threads.ts';

let fake: FakeSlack;
let bot: RunningBot;
const EVIL = '<!channel> ping & <https://evil.example|click> <@U0VICTIM>';

startBotForFile(
  {
    config: { analysts: ['U0ANALYST'] },
    prepareStore: (draft) => {
      findMeasure(draft, 'robbery')!.measure.comments.push({ text: EVIL, by: 'U0ANALYST', at: '2026-11-20T10:00:00Z' });
      draft.changeLog.push(trendChangedToStable('robbery'));
    },
  },
  (started) => ({ fake, bot } = started),
);

type Button = { action_id: string; value: string; text: { text: string } };

function buttonsOf(call: RecordedCall): Record<string, Button> {
  const actions = call.params.blocks!.find((b) => b.type === 'actions') as unknown as { elements: Button[] };
  return Object.fromEntries(actions.elements.map((e) => [e.text.text, e]));
}

/** Asks in `channel`; resolves with the posted answer. */
async function askIn(channel: string, text = 'robbery'): Promise<{ post: RecordedCall; ts: string }> {
  await sendToBot(bot.url, slashCommandBody({ text, channel_id: channel, response_url: fake.responseUrl() }), FORM);
  const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === channel);
  return { post, ts: (post.reply as { ts: string }).ts };
}

async function click(button: Button, channel: string, messageTs: string, isEphemeral = false) {
  const responseUrl = fake.responseUrl();
  const res = await sendToBot(
    bot.url,
    blockActionBody({
      action_id: button.action_id,
      value: button.value,
      channel_id: channel,
      user_id: 'U0CLICKER',
      response_url: responseUrl,
      message_ts: messageTs,
      is_ephemeral: isEphemeral,
    }),
    FORM,
  );
  expect(res.status).toBe(200);
  return responseUrl;
}

const threadReplies = (channel: string, ts: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === ts);

describe('Details', () => {
  it('posts the rest once in the thread; a second click links to it', async () => {
    const { post, ts } = await askIn('C0DETAILS');
    await click(buttonsOf(post).Details!, 'C0DETAILS', ts);
    const reply = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0DETAILS' && c.params.thread_ts === ts,
    );
    const text = JSON.stringify(reply.params.blocks);
    // Everything the glanceable answer leaves out.
    expect(text).toContain('Investigation of linked residential burglary series by the force proactive team');
    expect(text).toMatch(/Computed from the series\* \(12 periods, Jan 2021 to Dec 2021\): Large increase/);
    expect(text).toContain('*Caveats*');
    expect(text).toContain('*Analyst comments*');
    expect(text).toContain('*Comments*');
    // Stored text stays text.
    expect(text).not.toMatch(/<!(channel|here|everyone)>/);
    expect(text).toContain('&lt;!channel&gt; ping &amp; &lt;https://evil.example|click&gt; &lt;@U0VICTIM&gt;');

    const second = await click(buttonsOf(post).Details!, 'C0DETAILS', ts);
    const link = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === second);
    expect(link.params.response_type).toBe('ephemeral');
    expect(link.params.replace_original).toBe(false);
    const replyTs = (reply.reply as { ts: string }).ts;
    expect(link.params.text).toContain(`https://fake.slack.com/archives/C0DETAILS/p${replyTs.replace('.', '')}`);
    // Still one reply in the thread besides the chart's.
    expect(threadReplies('C0DETAILS', ts)).toHaveLength(1);
  });

  it('posts once when two clicks arrive together', async () => {
    const { post, ts } = await askIn('C0TWICE', 'burglary');
    const details = buttonsOf(post).Details!;
    const [a, b] = await Promise.all([click(details, 'C0TWICE', ts), click(details, 'C0TWICE', ts)]);
    await fake.waitFor((c) => c.method === 'response' && (c.params.responseUrl === a || c.params.responseUrl === b));
    expect(threadReplies('C0TWICE', ts)).toHaveLength(1);
  });

  it('answers privately where the answer was private', async () => {
    fake.notMember.add('C0PRIVATE');
    const responseUrl = fake.responseUrl();
    await sendToBot(
      bot.url,
      slashCommandBody({ text: 'robbery', channel_id: 'C0PRIVATE', response_url: responseUrl }),
      FORM,
    );
    const answer = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    const details = buttonsOf(answer).Details!;
    const clickUrl = await click(details, 'C0PRIVATE', '1700000000.000009', true);
    const reply = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === clickUrl);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(reply.params.replace_original).toBe(false);
    expect(JSON.stringify(reply.params.blocks)).toContain('*Caveats*');
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0PRIVATE' && c.reply)).toEqual(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.params.channel === 'C0PRIVATE' && !(c.reply as { ok: boolean }).ok),
    );
  });
});

describe('Details after an update', () => {
  it('is edited to match when the answer is redrawn', async () => {
    const ts = await postAnswerIn(fake, bot, 'vehicle crime', 'C0REDRAW');
    const post = fake.callsTo('chat.postMessage').find((c) => (c.reply as { ts?: string }).ts === ts)!;
    await click(buttonsOf(post).Details!, 'C0REDRAW', ts);
    const reply = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts);
    const replyTs = (reply.reply as { ts: string }).ts;
    expect(JSON.stringify(reply.params.blocks)).toContain('*Published trend:* Stable');
    await replyInThread(bot, 'C0REDRAW', ts, 'trend: Large reduction');
    const edited = await fake.waitFor((c) => c.method === 'chat.update' && c.params.ts === replyTs);
    expect(JSON.stringify(edited.params.blocks)).toContain('*Published trend:* Large reduction');
  });
});

describe('a priority answer', () => {
  it('opens one of its measures: the measure answer is posted in the same thread', async () => {
    const { post, ts } = await askIn('C0PRIORITY', 'reduce neighbourhood crime');
    const actions = post.params.blocks!.find((b) => b.type === 'actions') as unknown as {
      elements: Array<{ type: string; action_id: string; options?: Array<{ value: string; text: { text: string } }> }>;
    };
    const select = actions.elements.find((e) => e.type === 'static_select')!;
    const robbery = select.options!.find((o) => o.text.text === 'Police recorded robbery offences')!;
    const responseUrl = fake.responseUrl();
    await sendToBot(
      bot.url,
      blockActionBody({
        action_id: select.action_id,
        value: '',
        selected_value: robbery.value,
        channel_id: 'C0PRIORITY',
        user_id: 'U0CLICKER',
        response_url: responseUrl,
        message_ts: ts,
        is_ephemeral: false,
      }),
      FORM,
    );
    const reply = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'C0PRIORITY' && c.params.thread_ts === ts,
    );
    expect(reply.params.blocks![0]!.text!.text).toBe('Police recorded robbery offences');
    expect(JSON.stringify(reply.params.blocks)).toContain('Asked by <@U0CLICKER>');
    // Its chart is shared in the same thread, and shown in the reply.
    const replyTs = (reply.reply as { ts: string }).ts;
    await fake.waitFor(
      (c) =>
        c.method === 'chat.update' && c.params.ts === replyTs && JSON.stringify(c.params.blocks).includes('slack_file'),
    );
    const shares = fake.callsTo('files.completeUploadExternal').filter((c) => c.params.channel_id === 'C0PRIORITY');
    expect(shares.every((c) => c.params.thread_ts === ts)).toBe(true);
  });
});

describe('History', () => {
  it('shows the change log for that measure to the clicker only', async () => {
    const { post, ts } = await askIn('C0HIST');
    const before = fake.callsTo('chat.postMessage').length;
    const responseUrl = await click(buttonsOf(post).History!, 'C0HIST', ts);
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.replace_original).toBe(false);
    expect(res.params.text).toContain('Recent changes to Police recorded robbery offences');
    expect(res.params.text).toContain('Trend: Moderate Reduction → Stable');
    expect(fake.callsTo('chat.postMessage').length).toBe(before);
  });
});
