// /measures over real HTTP, signed, against the fake Slack: the answer in the channel with
// its chart, the thread binding, and the private replies.
import { trendChangedToStable } from './helpers/seed.ts';
import { describe, expect, it } from 'vitest';
import type { FakeSlack, SlackBlock, SlackText } from './helpers/fake-slack.ts';
import { type RunningBot, startBotForFile } from './helpers/slack-app.ts';
import { blockActionBody, FORM, sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { tinyPng } from './helpers/slack-charts.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({}, (started) => ({ fake, bot } = started));

async function ask(text: string, channel = 'C0GENERAL') {
  const responseUrl = fake.responseUrl();
  const reply = await sendToBot(
    bot.url,
    slashCommandBody({ text, channel_id: channel, response_url: responseUrl }),
    FORM,
  );
  return { reply, responseUrl };
}

const blockText = (blocks: unknown) => JSON.stringify(blocks);

/**
 * Slack's own markup: mentions, channel links, links and special commands. Anything else in
 * <…> is swallowed by Slack.
 */
const SLACK_MARKUP =
  /<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+(?:\|[^<>]*)?|!(?:date|subteam)\^[^<>]+|https?:\/\/[^<>|]+(?:\|[^<>]*)?)>/g;

function expectUsage(text: string, blocks: SlackBlock[]) {
  for (const usage of [
    '`/measures &lt;question&gt;`',
    '`/measures list`',
    '`/measures history &lt;measure&gt;`',
    '`/measures update &lt;measure&gt; &lt;update&gt;`',
    '`/measures digest now`',
  ]) {
    expect(text).toContain(usage);
    expect(blockText(blocks)).toContain(usage);
  }
  for (const shown of [text, ...blocks.map((b) => String(b.text?.text ?? ''))])
    expect(shown.replace(SLACK_MARKUP, '')).not.toContain('<');
}

describe('/measures <question>', () => {
  it('acks at once with an empty 200, then posts the answer with its chart in the channel', async () => {
    const { reply } = await ask('robbery', 'C0ROBBERY');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');

    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0ROBBERY');
    const blocks = post.params.blocks!;
    expect(blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: 'Police recorded robbery offences' },
    });
    const body = blockText(blocks);
    // The point first: the headline right under the title, then (once drawn) the chart.
    expect(blocks[1]!.text!.text).toBe('Stable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21');
    expect(body).toContain('Since the report, the monthly figures show a large increase');
    expect(body).toContain('*Planned actions*');
    // Comments and caveats are behind Details.
    expect(body).not.toContain('*Comments*');
    expect(body).toMatch(/Data to Dec 2021 · trend set 30 Nov 2021 · Source: police\.uk/);
    expect(body).toContain('Asked by <@U0ASKER>');
    expect(blocks.at(-1)!.type).toBe('actions');
    expect(post.params.text).toBe(
      'Police recorded robbery offences\nStable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21',
    );
    expect(blocks.length).toBeLessThanOrEqual(10);

    // The chart goes into the answer's thread, then the answer shows it with an image block.
    const upload = await fake.waitFor(
      (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'C0ROBBERY',
    );
    const ts = (post.reply as { ts: string }).ts;
    expect(upload.params.thread_ts).toBe(ts);
    const fileId = upload.params.files![0]!.id;
    expect(fake.fileBytes(fileId)).toEqual(tinyPng('measure:robbery'));
    const getUrl = fake
      .callsTo('files.getUploadURLExternal')
      .find((c) => (c.reply as { file_id: string }).file_id === fileId)!;
    expect(getUrl.params.filename).toBe('robbery.png');
    expect(getUrl.params.alt_text).toContain('Line chart of robbery');

    const update = await fake.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.params.ts === ts &&
        c.status === 200 &&
        blockText(c.params.blocks).includes('slack_file'),
    );
    const image = update.params.blocks!.find((b) => b.type === 'image')!;
    expect(image.slack_file).toEqual({ id: fileId });
    // Alt text always, and escaped like every other text.
    expect(image.alt_text).toBe('Line chart of robbery &lt;!channel&gt; &amp; more');
    expect(blockText(update.params.blocks)).toContain('Stable · 8th of 8 in MSG (highest rate)');
    expect(blockText(update.params.blocks)).toContain('Asked by <@U0ASKER>');

    // The binding (channel, ts) → measure is in the store.
    await expect
      .poll(() => bot.store.snapshot().threads.find((t) => t.ts === ts))
      .toMatchObject({ channel: 'C0ROBBERY', ts, kind: 'measure', id: 'robbery' });
  });

  it('binds priority answers and posts their chart', async () => {
    await ask('reduce neighbourhood crime', 'C0PRIORITY');
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0PRIORITY');
    expect(post.params.blocks![0]!.text!.text).toBe('Reduce Neighbourhood Crime');
    const ts = (post.reply as { ts: string }).ts;
    await fake.waitFor(
      (c) => c.method === 'chat.update' && c.params.ts === ts && blockText(c.params.blocks).includes('slack_file'),
    );
    await expect
      .poll(() => bot.store.snapshot().threads.find((t) => t.ts === ts))
      .toMatchObject({ kind: 'priority', id: 'reduce-neighbourhood-crime' });
  });

  it('answers help, an empty command and list privately', async () => {
    for (const text of ['help', '', 'list']) {
      const { responseUrl } = await ask(text, 'C0PRIVATE');
      const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
      expect(res.params.response_type).toBe('ephemeral');
      if (text === 'list') expect(blockText(res.params.blocks)).toContain('Reduce Neighbourhood Crime');
      else expectUsage(res.params.text!, res.params.blocks!);
    }
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0PRIVATE')).toHaveLength(0);
  });

  it('offers buttons for an ambiguous question, and a click posts the chosen answer', async () => {
    const { responseUrl } = await ask('crime', 'C0AMBIG');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    type Button = { type: string; action_id: string; value: string; text: SlackText };
    const actions = res.params.blocks!.find((b) => b.type === 'actions') as { elements: Button[] };
    expect(actions.elements.length).toBeGreaterThan(1);
    const first = actions.elements[0]!;
    const chosen = JSON.parse(first.value) as { kind: string; id: string };

    const clickUrl = fake.responseUrl();
    const click = await sendToBot(
      bot.url,
      blockActionBody({
        action_id: first.action_id,
        value: first.value,
        channel_id: 'C0AMBIG',
        response_url: clickUrl,
      }),
      FORM,
    );
    expect(click.status).toBe(200);
    const post = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0AMBIG');
    expect(post.params.blocks![0]!.text!.text).toBe(first.text.text);
    const removed = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === clickUrl);
    expect(removed.params.delete_original).toBe(true);
    const ts = (post.reply as { ts: string }).ts;
    await expect.poll(() => bot.store.snapshot().threads.find((t) => t.ts === ts)).toMatchObject(chosen);
  });

  it('says when nothing matches, privately, with suggestions', async () => {
    const { responseUrl } = await ask('zzqx flibbertigibbet', 'C0NOTFOUND');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.text).toContain('No measure, priority or term matches');
  });

  it('shows history privately', async () => {
    await bot.store.mutate((draft) => {
      draft.changeLog.push(trendChangedToStable('burglary'));
    });
    const { responseUrl } = await ask('history burglary', 'C0HISTORY');
    const res = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(res.params.response_type).toBe('ephemeral');
    expect(res.params.text).toContain('Recent changes to Police recorded burglary offences');
    expect(res.params.text).toContain('<@U0ANALYST>');
    expect(res.params.text).toContain('Trend: Moderate Reduction → Stable');
  });
});
