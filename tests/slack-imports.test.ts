// Data files shared in Slack: the real Bolt app over HTTP against the fake Slack, which serves
// files.info and the file's bytes (only for the bot's token). A shared file is previewed (a dry
// run in a child process), Apply writes it, Cancel does not, the same file twice is known, an
// expired preview says so, and "undo" in the thread reverts the import or says why it cannot.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack, RecordedCall } from './helpers/fake-slack.ts';
import { type RunningBot, startBot, startBotForFile } from './helpers/slack-app.ts';
import { blockActionBody, FORM, sendToBot } from './helpers/slack-requests.ts';
import {
  blocksText,
  ephemerals,
  nextTs,
  postAnswerIn,
  replyInThread,
  sendMessageEvent,
  settle,
  threadPosts,
} from './helpers/slack-threads.ts';
import { tempDir } from './helpers/seed.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { REAL_STREET_FILE } from './import-fixtures.ts';

process.env.MEASURES_UPLOADS_DIR = tempDir('measures-uploads-');

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({ config: { analysts: ['U0ANALYST', 'U0SECOND'] } }, (running) => ({ fake, bot } = running));

const WAIT = 30_000;
const seriesOf = (id: string) => findMeasure(bot.store.snapshot(), id)!.measure.series!;
let fileSeq = 0;

async function share(
  channel: string,
  name: string,
  content: string | Buffer,
  options: { threadTs?: string; user?: string; text?: string; size?: number; dm?: boolean } = {},
) {
  const id = `F0UP${String(++fileSeq).padStart(6, '0')}`;
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
  fake.shareUserFile(id, name, bytes, options.size);
  const ts = nextTs();
  await sendMessageEvent(bot, {
    subtype: 'file_share',
    channel,
    ...(options.dm ? { channel_type: 'im' } : {}),
    user: options.user ?? 'U0ANALYST',
    text: options.text ?? '',
    ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    files: [{ id, name }],
  });
  return { id, ts };
}

/** The next preview with buttons posted in the thread, and its pending id. */
async function previewIn(channel: string, threadTs: string, after = 0): Promise<{ call: RecordedCall; id: string }> {
  const call = await fake.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.params.channel === channel &&
      c.params.thread_ts === threadTs &&
      blocksText(c).includes('import_apply') &&
      c.at > after,
    WAIT,
  );
  const actions = call.params.blocks!.find((b) => b.type === 'actions')!;
  return { call, id: actions.elements!.find((e) => e.action_id === 'import_apply')!.value! };
}

async function click(
  action: 'import_apply' | 'import_cancel',
  id: string,
  channel: string,
  user = 'U0ANALYST',
  preview?: RecordedCall,
  to: RunningBot = bot,
) {
  await sendToBot(
    to.url,
    blockActionBody({
      action_id: action,
      value: id,
      channel_id: channel,
      user_id: user,
      response_url: fake.responseUrl(),
      is_ephemeral: false,
      ...(preview ? { message_ts: (preview.reply as { ts: string }).ts } : {}),
    }),
    FORM,
  );
  await settle(to);
}

const ROBBERY = 'period,value,count\n2021-11,0.61,1050\n2021-10,0.58,1000\n';

describe('a series CSV shared under a measure answer', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await postAnswerIn(fake, bot, 'robbery', 'C0IMP');
  });

  it('previews without changing anything; Apply changes the store; the same file again is known', async () => {
    const before = structuredClone(seriesOf('robbery'));
    await share('C0IMP', 'robbery-figures.csv', ROBBERY, { threadTs: parent });
    const { call, id } = await previewIn('C0IMP', parent);
    const text = blocksText(call);
    expect(text).toContain('Preview of robbery-figures.csv');
    expect(text).toContain('replaces 2021-10, 2021-11');
    expect(text).toContain('Trend: ');
    expect(text).toContain('MSG position: ');
    await settle(bot);
    expect(seriesOf('robbery')).toEqual(before);
    expect(fake.callsTo('file.download').at(-1)!.headers.authorization).toBe('Bearer xoxb-test');

    await click('import_apply', id, 'C0IMP');
    const done = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent && /^Applied /.test(c.params.text ?? ''),
      WAIT,
    );
    expect(done.params.text).toContain('for <@U0ANALYST>: 2 changes');
    expect(seriesOf('robbery').points.find((p) => p.period === '2021-11')).toMatchObject({ value: 0.61, count: 1050 });
    const entries = bot.store.snapshot().changeLog.filter((e) => e.source.kind === 'import');
    expect(entries).toHaveLength(2);
    expect(new Set(entries.map((e) => e.messageId)).size).toBe(1);
    expect(entries[0]).toMatchObject({ author: 'U0ANALYST', source: { kind: 'import', channel: 'C0IMP', ts: parent } });
    // The preview loses its buttons and says who applied it.
    const settled = fake.callsTo('chat.update').find((c) => c.params.ts === (call.reply as { ts: string }).ts);
    expect(blocksText(settled!)).toContain('Applied by <@U0ANALYST>');
    expect(blocksText(settled!)).not.toContain('import_apply');

    // A second click on Apply applies nothing twice.
    await click('import_apply', id, 'C0IMP');
    expect(bot.store.snapshot().changeLog.filter((e) => e.source.kind === 'import')).toHaveLength(2);

    // The same content again, under another name: known, nothing previewed.
    const previews = () => threadPosts(fake, 'C0IMP', parent).filter((c) => blocksText(c).includes('import_apply'));
    const shown = previews().length;
    await share('C0IMP', 'robbery again.csv', ROBBERY, { threadTs: parent });
    const again = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === parent && /already applied/.test(c.params.text ?? ''),
      WAIT,
    );
    expect(again.params.text).toMatch(/already applied on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by <@U0ANALYST>/);
    await settle(bot);
    expect(previews()).toHaveLength(shown);
  });

  it('"undo" in the thread reverts the whole import', async () => {
    const importId = bot.store.snapshot().changeLog.find((e) => e.source.kind === 'import')!.messageId;
    await replyInThread(bot, 'C0IMP', parent, 'undo');
    const undone = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === parent && /^Undone by/.test(c.params.text ?? ''),
      WAIT,
    );
    expect(undone.params.text).toContain('the import of robbery-figures.csv, 2 changes reverted');
    const nov = seriesOf('robbery').points.find((p) => p.period === '2021-11')!;
    expect(nov.value).not.toBe(0.61);
    expect(bot.store.snapshot().changeLog.filter((e) => e.undoes === importId)).toHaveLength(2);

    // Once undone, the same file is previewed again rather than called "already applied".
    await share('C0IMP', 'robbery-figures.csv', ROBBERY, { threadTs: parent });
    const { call } = await previewIn('C0IMP', parent, undone.at);
    expect(blocksText(call)).toContain('replaces 2021-10, 2021-11');
  });

  it('a refused undo names the later change, and changes nothing', async () => {
    const csv = 'period,value\n2021-09,0.55\n';
    await share('C0IMP', 'robbery-sept.csv', csv, { threadTs: parent });
    const { id } = await previewIn('C0IMP', parent, fake.calls.at(-1)!.at);
    await click('import_apply', id, 'C0IMP');
    await fake.waitFor((c) => c.params.thread_ts === parent && /robbery-sept\.csv for/.test(c.params.text ?? ''), WAIT);
    // Another analyst corrects the same month afterwards.
    await replyInThread(bot, 'C0IMP', parent, 'value 2021-09: 0.56', { user: 'U0SECOND' });
    await settle(bot);
    const figures = () => JSON.stringify([bot.store.snapshot().priorities, bot.store.snapshot().changeLog]);
    const before = figures();
    await replyInThread(bot, 'C0IMP', parent, 'undo');
    const refused = await fake.waitFor(
      (c) => c.params.thread_ts === parent && /^Cannot undo the import of robbery-sept\.csv/.test(c.params.text ?? ''),
      WAIT,
    );
    expect(refused.params.text).toMatch(/later change touched the same figures: slack:C0IMP:[^ ]+#1 .*by U0SECOND/);
    expect(figures()).toBe(before);
  });

  it('Cancel changes nothing, and an expired preview says so on Apply', async () => {
    const before = structuredClone(seriesOf('robbery'));
    await share('C0IMP', 'robbery-cancel.csv', 'period,value\n2021-08,0.5\n', { threadTs: parent });
    const first = await previewIn('C0IMP', parent, fake.calls.at(-1)!.at);
    await click('import_cancel', first.id, 'C0IMP', 'U0ANALYST', first.call);
    const cancelled = fake.callsTo('chat.update').find((c) => c.params.ts === (first.call.reply as { ts: string }).ts);
    expect(blocksText(cancelled!)).toContain('Cancelled by <@U0ANALYST>');
    expect(seriesOf('robbery')).toEqual(before);

    await share('C0IMP', 'robbery-late.csv', 'period,value\n2021-07,0.5\n', { threadTs: parent });
    const late = await previewIn('C0IMP', parent, fake.calls.at(-1)!.at);
    const realNow = bot.slack.deps.now;
    bot.slack.deps.now = () => new Date(realNow().getTime() + 25 * 60 * 60 * 1000);
    try {
      await click('import_apply', late.id, 'C0IMP');
    } finally {
      bot.slack.deps.now = realNow;
    }
    const expired = threadPosts(fake, 'C0IMP', parent).find((c) =>
      /robbery-late\.csv has expired/.test(c.params.text ?? ''),
    );
    expect(expired?.params.text).toContain('previews last 24 hours');
    expect(seriesOf('robbery')).toEqual(before);
  });

  it('Apply posts a new preview instead when the figures changed since the preview', async () => {
    await share('C0IMP', 'robbery-may.csv', 'period,value\n2021-05,0.5\n', { threadTs: parent });
    const first = await previewIn('C0IMP', parent, fake.calls.at(-1)!.at);
    await replyInThread(bot, 'C0IMP', parent, 'value 2021-05: 0.52', { user: 'U0SECOND' });
    await settle(bot);
    await click('import_apply', first.id, 'C0IMP', 'U0ANALYST', first.call);
    const second = await previewIn('C0IMP', parent, first.call.at);
    expect(blocksText(second.call)).toContain('The store has changed since the preview');
    expect(second.id).not.toBe(first.id);
    expect(seriesOf('robbery').points.find((p) => p.period === '2021-05')!.value).toBe(0.52);
    await click('import_apply', second.id, 'C0IMP', 'U0ANALYST', second.call);
    expect(seriesOf('robbery').points.find((p) => p.period === '2021-05')!.value).toBe(0.5);
  });

  it('refuses a file over 50 MB without fetching it, and a non-analyst without reading it', async () => {
    const big = await share('C0IMP', 'huge.csv', 'period,value\n', { threadTs: parent, size: 60 * 1024 * 1024 });
    await settle(bot);
    expect(ephemerals(fake, 'C0IMP', 'U0ANALYST').at(-1)!.params.text).toContain(
      'huge.csv was not imported: it is 60.0 MB; files over 50.0 MB are not read',
    );
    expect(fake.callsTo('file.download').filter((c) => c.params.fileId === big.id)).toHaveLength(0);

    const infoCalls = fake.callsTo('files.info').length;
    await share('C0IMP', 'robbery.csv', ROBBERY, { threadTs: parent, user: 'U0OFFICER' });
    await settle(bot);
    expect(ephemerals(fake, 'C0IMP', 'U0OFFICER').at(-1)!.params.text).toContain(
      'Only analysts can bring in data files',
    );
    expect(fake.callsTo('files.info')).toHaveLength(infoCalls);
  });

  it('a non-analyst cannot click Apply', async () => {
    await share('C0IMP', 'robbery-june.csv', 'period,value\n2021-06,0.5\n', { threadTs: parent });
    const { id } = await previewIn('C0IMP', parent, fake.calls.at(-1)!.at);
    const before = structuredClone(seriesOf('robbery'));
    await click('import_apply', id, 'C0IMP', 'U0OFFICER');
    const reply = fake.callsTo('response').at(-1)!;
    expect(reply.params.text).toContain('Only analysts can apply or cancel an import');
    expect(seriesOf('robbery')).toEqual(before);
  });
});

describe('"undo" after both an import and the analyst\'s own update in its thread', () => {
  it('takes back the update, which is newer, and leaves the import', async () => {
    const parent = await postAnswerIn(fake, bot, 'burglary', 'C0IMPUPD');
    const trend = () => findMeasure(bot.store.snapshot(), 'burglary')!.measure.trend.label;
    const december = () => seriesOf('burglary').points.find((p) => p.period === '2021-12')!;
    const original = trend();

    await share('C0IMPUPD', 'burglary-december.csv', 'period,value,count\n2021-12,0.37,640\n', { threadTs: parent });
    const { id } = await previewIn('C0IMPUPD', parent);
    await click('import_apply', id, 'C0IMPUPD');
    const applied = await fake.waitFor(
      (c) => c.params.thread_ts === parent && /^Applied burglary-december\.csv/.test(c.params.text ?? ''),
      WAIT,
    );
    const importId = bot.store
      .snapshot()
      .changeLog.find((e) => e.source.kind === 'import' && e.source.channel === 'C0IMPUPD')!.messageId;

    // Then the same analyst corrects the trend by a reply in that thread.
    await replyInThread(bot, 'C0IMPUPD', parent, 'trend: Large reduction');
    await settle(bot);
    expect(trend()).toBe('Large reduction');

    await replyInThread(bot, 'C0IMPUPD', parent, 'undo');
    const undone = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.thread_ts === parent &&
        c.at > applied.at &&
        /^Undone/.test(c.params.text ?? ''),
      WAIT,
    );
    await settle(bot);
    expect(undone.params.text).toBe(`Undone: Trend: Large reduction → ${original}, by <@U0ANALYST>`);
    expect(trend()).toBe(original);
    // The import stands: its figure is still there and nothing undoes it.
    expect(december()).toMatchObject({ value: 0.37, count: 640 });
    expect(bot.store.snapshot().changeLog.filter((e) => e.undoes === importId)).toHaveLength(0);
    expect(threadPosts(fake, 'C0IMPUPD', parent).some((c) => /the import of/.test(c.params.text ?? ''))).toBe(false);
  });
});

describe('a series file in a DM with the bot', () => {
  it('takes the measure from the file name and replaces an illustrative series on Apply', async () => {
    const { ts } = await share('D0DM1', 'drugs-disruptions.csv', 'period,value\n2021-08,150\n2021-11,155\n', {
      dm: true,
    });
    const { call, id } = await previewIn('D0DM1', ts);
    expect(blocksText(call)).toContain('replaces the illustrative series with these figures');
    // The bytes are kept while the preview is open, and removed once it is applied.
    const kept = path.join(process.env.MEASURES_UPLOADS_DIR!, id, 'drugs-disruptions.csv');
    expect(fs.existsSync(kept)).toBe(true);
    await click('import_apply', id, 'D0DM1');
    expect(fs.existsSync(kept)).toBe(false);
    await fake.waitFor((c) => c.params.thread_ts === ts && /^Applied /.test(c.params.text ?? ''), WAIT);
    const series = seriesOf('drugs-disruptions');
    expect(series.official).toBe(true);
    expect(series.points.map((p) => p.period)).toEqual(['2021-08', '2021-11']);
  });

  it('asks which measure when neither the file name nor the message says, then previews on selection', async () => {
    const { ts } = await share('D0DM2', 'figures.csv', 'period,value\n2021-11,60\n', { dm: true });
    const question = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && blocksText(c).includes('import_measure'),
      WAIT,
    );
    const select = question.params.blocks!.find((b) => b.type === 'actions')!.elements![0] as unknown as {
      options: { value: string }[];
    };
    const option = select.options.find((o) => o.value.endsWith(' overall-victim-satisfaction'))!;
    await sendToBot(
      bot.url,
      blockActionBody({
        action_id: 'import_measure',
        value: '',
        selected_value: option.value,
        channel_id: 'D0DM2',
        user_id: 'U0ANALYST',
        response_url: fake.responseUrl(),
        is_ephemeral: false,
      }),
      FORM,
    );
    const { call } = await previewIn('D0DM2', ts);
    expect(blocksText(call)).toContain('Overall victim satisfaction');
  });

  it('says which files it reads when another kind is shared', async () => {
    await share('D0DM3', 'notes.pdf', 'not data', { dm: true });
    await settle(bot);
    expect(ephemerals(fake, 'D0DM3').at(-1)!.params.text).toContain('notes.pdf is not a data file I read');
  });
});

describe('a police.uk street file in a DM', () => {
  it('previews the month the store lacks, for every measure police.uk feeds', async () => {
    await bot.store.mutate((draft) => {
      const series = findMeasure(draft, 'burglary')!.measure.series!;
      series.points = series.points.filter((p) => p.period !== '2021-11');
    });
    const street = fs.readFileSync(REAL_STREET_FILE);
    const { ts } = await share('D0DM4', '2021-11-avon-and-somerset-street.csv', street, { dm: true });
    const { call } = await previewIn('D0DM4', ts);
    expect(blocksText(call)).toContain('police.uk street data');
    expect(blocksText(call)).toMatch(/Police recorded burglary offences\*: adds 2021-11/);
    expect(seriesOf('burglary').points.some((p) => p.period === '2021-11')).toBe(false);
  });
});

describe('a file with a problem', () => {
  it('is refused in the thread, naming the file and line (never the temp copy), and changes nothing', async () => {
    const before = JSON.stringify(bot.store.snapshot().priorities);
    const { ts } = await share('D0DM5', 'robbery-bad.csv', 'period,value\n2021-11,0.5\n2021-11,0.6\n', {
      dm: true,
      text: 'robbery',
    });
    const refused = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.thread_ts === ts && /cannot be imported/.test(blocksText(c)),
      WAIT,
    );
    expect(blocksText(refused)).toContain('robbery-bad.csv, line 3: period 2021-11 appears twice (also on line 2)');
    expect(blocksText(refused)).not.toContain('import_apply');

    const { ts: streetTs } = await share(
      'D0DM5',
      '2021-11-avon-and-somerset-street.csv',
      'Crime ID,Month\nx,2021-11\n',
      {
        dm: true,
      },
    );
    const street = await fake.waitFor(
      (c) =>
        c.method === 'chat.postMessage' && c.params.thread_ts === streetTs && /cannot be imported/.test(blocksText(c)),
      WAIT,
    );
    expect(blocksText(street)).toContain('2021-11-avon-and-somerset-street.csv, line 1:');
    expect(blocksText(street)).not.toContain(process.env.MEASURES_UPLOADS_DIR!);
    await settle(bot);
    expect(JSON.stringify(bot.store.snapshot().priorities)).toBe(before);
  });
});

describe('after a restart', () => {
  it('a preview posted before it can still be applied: pending previews live in the store', async () => {
    const { ts } = await share('D0DM6', 'rape-charges.csv', 'period,value\n2021-11,40\n', { dm: true });
    const { call, id } = await previewIn('D0DM6', ts);
    // A second bot process on the same store file, as after a restart on another machine: the
    // temp copy is gone, so the file is fetched from Slack again.
    fs.rmSync(path.join(process.env.MEASURES_UPLOADS_DIR!, id), { recursive: true, force: true });
    const downloads = fake.callsTo('file.download').length;
    const restarted = await startBot(fake, { storeFile: bot.storeFile, config: { analysts: ['U0ANALYST'] } });
    try {
      await click('import_apply', id, 'D0DM6', 'U0ANALYST', call, restarted);
      await fake.waitFor((c) => c.params.thread_ts === ts && /^Applied /.test(c.params.text ?? ''), WAIT);
      expect(findMeasure(restarted.store.snapshot(), 'rape-charges')!.measure.series!.official).toBe(true);
      expect(fake.callsTo('file.download')).toHaveLength(downloads + 1);
    } finally {
      await restarted.stop();
    }
  });
});
