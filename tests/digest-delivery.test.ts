// The digest in the running bot: the real Bolt app against the fake Slack, with an injected
// clock and timers. Exactly once per (channel, week) across restarts, crashes and two
// processes; catch-up within 24 h and a skip beyond; DST weeks; retries; health; commands.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDigest, type DigestRuntime } from '../src/slack/digest/runtime.ts';
import { renderDigestChart } from '../src/digest/chart.ts';
import { DIGEST_EVENT_TYPE } from '../src/slack/digest/slack-io.ts';
import { claimKey } from '../src/digest/keys.ts';
import { PACKAGE_ROOT } from '../src/paths.ts';
import { STORE_UNAVAILABLE_TEXT } from '../src/slack/views/update-messages.ts';
import { startFakeSlack, type FakeSlack, type ImageBlock, type RecordedCall } from './helpers/fake-slack.ts';
import { startBot, type RunningBot } from './helpers/slack-app.ts';
import { sendToBot, slashCommandBody } from './helpers/slack-requests.ts';
import { collectingLog, ManualClock, update } from './helpers/digest-support.ts';

const CHANNEL = 'C0DIGEST';
const ANALYST = 'U0ANALYST';

interface Rig {
  fake: FakeSlack;
  bot: RunningBot;
  clock: ManualClock;
  log: ReturnType<typeof collectingLog>;
  runtime: DigestRuntime;
  settle(): Promise<void>;
  /** (Re)starts the digest runtime, as the bot does at start. */
  startRuntime(env?: NodeJS.ProcessEnv): Promise<DigestRuntime>;
  digestPosts(): RecordedCall[];
  threadPosts(): RecordedCall[];
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.runtime.stop();
    await rig.bot.stop();
    await rig.fake.stop();
  }
});

async function rig(
  startIso: string,
  env: NodeJS.ProcessEnv = {},
  options: { storeFile?: string; fake?: FakeSlack; chart?: boolean } = {},
): Promise<Rig> {
  const fake = options.fake ?? (await startFakeSlack());
  const clock = ManualClock.at(startIso);
  fake.clock = () => clock.ms;
  const bot = await startBot(fake, { storeFile: options.storeFile, config: { analysts: [ANALYST] } });
  const log = collectingLog();
  const r: Rig = {
    fake,
    bot,
    clock,
    log,
    runtime: undefined as unknown as DigestRuntime,
    settle: async () => {
      await r.runtime.scheduler?.idle();
      await new Promise((resolve) => setImmediate(resolve));
      await r.runtime.scheduler?.idle();
    },
    async startRuntime(extraEnv = {}) {
      r.runtime = startDigest({
        env: { DIGEST_CHANNEL: CHANNEL, ...env, ...extraEnv },
        store: bot.store,
        client: bot.slack.app.client,
        log,
        now: clock.now,
        timers: clock.timerApi,
        sleep: clock.sleep,
        renderChart: options.chart ? renderDigestChart : null,
        retryDelaysMs: [1000, 2000, 4000],
      });
      bot.slack.deps.digest = r.runtime;
      await r.settle();
      return r.runtime;
    },
    digestPosts: () =>
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.params.channel === CHANNEL && !c.params.thread_ts && (c.reply as { ok: boolean }).ok),
    threadPosts: () =>
      fake.callsTo('chat.postMessage').filter((c) => c.params.channel === CHANNEL && c.params.thread_ts),
  };
  await r.startRuntime();
  rigs.push(r);
  return r;
}

const keyOf = (r: Rig, week: string) =>
  r.bot.store.snapshot().digest.keys.find((k) => k.channel === CHANNEL && k.week === week);
const blocksText = (call: RecordedCall) => JSON.stringify(call.params.blocks);

describe('the scheduled digest', () => {
  it('posts at Monday 09:00 London once, with metadata, marks it sent and binds its thread', async () => {
    const r = await rig('2026-11-23T08:50:00Z');
    // Robbery's answer was posted in #answers earlier: the change links to that thread.
    await r.bot.store.mutate((d) => {
      d.threads.push({
        channel: 'C0ANSWERS',
        ts: '1763000000.000100',
        kind: 'measure',
        id: 'robbery',
        createdAt: '2026-11-19T10:00:00.000Z',
      });
    });
    await update(r.bot.store, 'robbery', 'trend: Moderate increase', '2026-11-20T10:00:00Z', 'U0A');
    expect(r.digestPosts()).toHaveLength(0);
    await r.clock.advanceTo('2026-11-23T08:59:59Z', r.settle);
    expect(r.digestPosts()).toHaveLength(0);
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    const posts = r.digestPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params.metadata).toMatchObject({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { week: '2026-W48', channel: CHANNEL, late: false },
    });
    expect(blocksText(posts[0]!)).toContain('robbery offences trend: Stable → Moderate increase');
    expect(blocksText(posts[0]!)).toContain('<@U0A>');
    expect(blocksText(posts[0]!)).toContain('<https://fake.slack.com/archives/C0ANSWERS/p1763000000000100|thread>');
    const ts = (posts[0]!.reply as { ts: string }).ts;
    expect(keyOf(r, '2026-W48')).toMatchObject({ status: 'sent', ts });
    expect(r.bot.store.snapshot().digest.lastSentAt).toBe('2026-11-23T09:00:00.000Z');
    expect(r.bot.store.snapshot().threads).toContainEqual(
      expect.objectContaining({ channel: CHANNEL, ts, kind: 'digest', id: '2026-W48' }),
    );
    expect(r.log.lines.some((l) => /next run Mon 30 Nov 2026 09:00 GMT \(week 2026-W49\)/.test(l))).toBe(true);
    // The rest of the week passes without another post.
    await r.clock.advanceTo('2026-11-29T23:00:00Z', r.settle);
    expect(r.digestPosts()).toHaveLength(1);
  });

  it('shows one sparkline chart of the changed measures, with alt text, in the message', async () => {
    const r = await rig('2026-11-23T08:59:00Z', {}, { chart: true });
    await update(r.bot.store, 'robbery', 'value 2022-01: 0.09', '2026-11-20T10:00:00Z', 'U0A');
    await update(r.bot.store, 'burglary', 'trend: Large reduction', '2026-11-20T11:00:00Z', 'U0B');
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    const post = r.digestPosts()[0]!;
    const ts = (post.reply as { ts: string }).ts;
    const upload = r.fake.callsTo('files.getUploadURLExternal');
    expect(upload).toHaveLength(1);
    expect(upload[0]!.params.alt_text).toMatch(
      /^Sparklines of the 2 measures that changed.*Burglary: .*\(better\); Robbery: .*latest Jan 22: 0\.09 \(worse\)/,
    );
    expect(r.fake.callsTo('files.completeUploadExternal')[0]!.params).toMatchObject({
      channel_id: CHANNEL,
      thread_ts: ts,
    });
    const updated = r.fake.messages.get(`${CHANNEL}:${ts}`)!;
    const image = updated.blocks.find((b) => b.type === 'image') as ImageBlock;
    expect(image).toMatchObject({
      slack_file: { id: expect.stringMatching(/^F/) },
      alt_text: expect.stringContaining('Sparklines'),
    });
    expect(updated.metadata).toMatchObject({ event_type: DIGEST_EVENT_TYPE, event_payload: { week: '2026-W48' } });
    expect(r.fake.fileBytes(image.slack_file.id)!.subarray(1, 4).toString()).toBe('PNG');
  });

  it('says a quiet week in one line', async () => {
    const r = await rig('2026-11-23T08:59:00Z');
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    const post = r.digestPosts()[0]!;
    expect(blocksText(post)).toContain('A quiet week: nothing changed since Mon 16 Nov 09:00.');
    expect(blocksText(post)).toContain("Every measure's data is older than its expected update interval.");
  });

  it(
    'follows the March change: ' + 'Monday 09:00 is 08:00 UTC after it, and a Sunday 01:30 slot fires at 02:00 BST',
    async () => {
      const r = await rig('2026-03-23T08:00:00Z');
      await r.clock.advanceTo('2026-03-23T09:00:00Z', r.settle);
      expect(r.digestPosts()).toHaveLength(1); // GMT: 09:00 UTC
      await r.clock.advanceTo('2026-03-30T07:59:00Z', r.settle);
      expect(r.digestPosts()).toHaveLength(1);
      await r.clock.advanceTo('2026-03-30T08:00:00Z', r.settle);
      expect(r.digestPosts()).toHaveLength(2); // BST: 09:00 local is 08:00 UTC
      expect(r.digestPosts()[1]!.params.metadata?.event_payload.week).toBe('2026-W14');

      const s = await rig('2026-03-28T12:00:00Z', { DIGEST_SCHEDULE: 'Sun 01:30' });
      await s.clock.advanceTo('2026-03-29T00:59:59Z', s.settle);
      expect(s.digestPosts()).toHaveLength(0);
      await s.clock.advanceTo('2026-03-29T01:00:00Z', s.settle); // 02:00 BST, the first valid instant after 01:30
      expect(s.digestPosts()).toHaveLength(1);
      expect(s.log.lines.some((l) => l.includes('next run Sun 5 Apr 2026 01:30 BST'))).toBe(true);
    },
  );

  it('follows the October change: a Sunday 01:30 slot fires once, at the first of the two 01:30s', async () => {
    const r = await rig('2026-10-24T12:00:00Z', { DIGEST_SCHEDULE: 'Sun 01:30' });
    await r.clock.advanceTo('2026-10-25T00:29:59Z', r.settle);
    expect(r.digestPosts()).toHaveLength(0);
    await r.clock.advanceTo('2026-10-25T00:30:00Z', r.settle); // 01:30 BST
    expect(r.digestPosts()).toHaveLength(1);
    await r.clock.advanceTo('2026-10-25T03:00:00Z', r.settle); // through 01:30 GMT
    expect(r.digestPosts()).toHaveLength(1);
    await r.clock.advanceTo('2026-11-01T01:30:00Z', r.settle); // next week, GMT
    expect(r.digestPosts()).toHaveLength(2);

    const m = await rig('2026-10-26T08:30:00Z');
    await m.clock.advanceTo('2026-10-26T08:59:59Z', m.settle);
    expect(m.digestPosts()).toHaveLength(0);
    await m.clock.advanceTo('2026-10-26T09:00:00Z', m.settle); // GMT again: 09:00 UTC
    expect(m.digestPosts()).toHaveLength(1);
  });
});

describe('exactly once', () => {
  it('a restart after the post does not post again', async () => {
    const r = await rig('2026-11-23T08:59:00Z');
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    expect(r.digestPosts()).toHaveLength(1);
    const storeFile = r.bot.storeFile;
    await r.runtime.stop();
    await r.bot.stop();
    rigs.splice(rigs.indexOf(r), 1);
    // The whole bot restarts at 09:03 on the same store.
    const again = await rig('2026-11-23T09:03:00Z', {}, { storeFile, fake: r.fake });
    await again.clock.advanceTo('2026-11-23T12:00:00Z', again.settle);
    expect(again.digestPosts()).toHaveLength(1);
  });

  it('a key left pending by a crash after the post is resolved from the channel, not reposted', async () => {
    const r = await rig('2026-11-23T08:00:00Z');
    r.clock.ms = Date.parse('2026-11-23T09:00:00Z');
    // What a crash between chat.postMessage and "mark sent" leaves: a pending key and the message.
    await r.bot.store.mutate((d) => claimKey(d, CHANNEL, '2026-W48', new Date('2026-11-23T09:00:00Z')));
    await r.bot.slack.app.client.chat.postMessage({
      channel: CHANNEL,
      text: 'digest',
      metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { channel: CHANNEL, week: '2026-W48' } },
    });
    await r.runtime.stop();
    r.clock.ms = Date.parse('2026-11-23T09:01:00Z');
    await r.startRuntime();
    expect(r.digestPosts()).toHaveLength(1); // only the one posted before the "crash"
    expect(keyOf(r, '2026-W48')).toMatchObject({ status: 'sent' });
    expect(r.log.lines.some((l) => l.includes('found posted') && l.includes('not posted again'))).toBe(true);
  });

  it('a key left pending by a crash before the post waits out its lease, then posts once', async () => {
    const r = await rig('2026-11-23T08:00:00Z');
    await r.bot.store.mutate((d) => claimKey(d, CHANNEL, '2026-W48', new Date('2026-11-23T09:00:00Z')));
    await r.runtime.stop();
    r.clock.ms = Date.parse('2026-11-23T09:02:00Z');
    await r.startRuntime();
    expect(r.digestPosts()).toHaveLength(0); // someone may still be posting: leave it to them
    await r.clock.advanceTo('2026-11-23T09:30:00Z', r.settle);
    expect(r.digestPosts()).toHaveLength(1);
    expect(keyOf(r, '2026-W48')).toMatchObject({ status: 'sent' });
    expect(r.log.lines.some((l) => l.includes('left by a crash'))).toBe(true);
  });

  it('two processes delivering the same week post once', async () => {
    const fake = await startFakeSlack();
    fake.clock = () => Date.now();
    fake.latencyMs = 150; // the posts overlap in time
    const r = await rig('2026-11-23T08:00:00Z', {}, { fake });
    const run = () =>
      new Promise<{ outcome: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(PACKAGE_ROOT, 'tests', 'helpers', 'digest-worker.ts'),
            r.bot.storeFile,
            fake.apiUrl,
            CHANNEL,
            '2026-W50',
          ],
          { cwd: PACKAGE_ROOT },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const outcomes = (await Promise.all([run(), run(), run()])).map((o) => o.outcome).sort();
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(1);
    expect(outcomes.every((o) => ['posted', 'in-flight', 'already-sent'].includes(o))).toBe(true);
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.params.metadata?.event_payload?.week === '2026-W50');
    expect(posts).toHaveLength(1);
  }, 30_000);

  it('a post that timed out but reached Slack is found before the retry, not posted twice', async () => {
    const r = await rig('2026-11-23T08:59:00Z');
    r.fake.fail('chat.postMessage', { status: 500, applied: true, when: (p) => p.channel === CHANNEL && !p.thread_ts });
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    const stored = [...r.fake.messages.values()].filter((m) => m.channel === CHANNEL && m.metadata);
    expect(stored).toHaveLength(1);
    expect(keyOf(r, '2026-W48')).toMatchObject({ status: 'sent', ts: stored[0]!.ts });
    expect(r.log.lines.some((l) => /post attempt 1 failed \(Slack answered HTTP 500\); retrying in 1 s/.test(l))).toBe(
      true,
    );
  });

  it('a failed post is retried with backoff and logged', async () => {
    const r = await rig('2026-11-23T08:59:00Z');
    r.fake.fail('chat.postMessage', { error: 'internal_error', times: 2, when: (p) => p.channel === CHANNEL });
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    expect(r.digestPosts()).toHaveLength(1);
    expect(r.clock.sleeps.slice(0, 2)).toEqual([1000, 2000]);
    expect(r.log.lines.filter((l) => l.includes('post attempt'))).toHaveLength(2);
  });
});

describe('missed slots', () => {
  it('posts a slot missed by up to 24 h once on start, marked late', async () => {
    const r = await rig('2026-11-23T20:00:00Z');
    expect(r.digestPosts()).toHaveLength(1);
    expect(r.digestPosts()[0]!.params.metadata?.event_payload.late).toBe(true);
    expect(blocksText(r.digestPosts()[0]!)).toContain('Late:* this digest was due Mon 23 Nov 09:00 GMT');
    await r.runtime.stop();
    await r.startRuntime(); // and again on another restart: still once
    expect(r.digestPosts()).toHaveLength(1);
  });

  it('skips and logs a slot missed by more than 24 h, and posts the next one on time', async () => {
    // A bot that has posted before (week 47), then was down from before Monday of week 48.
    const storeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'measures-digest-')), 'store.json');
    const doc = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'report-2021-11.json'), 'utf8'));
    doc.digest = {
      lastSentAt: '2026-11-16T09:00:00.000Z',
      keys: [
        {
          channel: CHANNEL,
          week: '2026-W47',
          status: 'sent',
          createdAt: '2026-11-16T09:00:00.000Z',
          sentAt: '2026-11-16T09:00:01.000Z',
          ts: '1763283601.000100',
        },
      ],
    };
    fs.writeFileSync(storeFile, JSON.stringify(doc));
    const r = await rig('2026-11-24T09:00:01Z', {}, { storeFile });
    expect(r.digestPosts()).toHaveLength(0);
    expect(
      r.log.lines.some((l) => l.includes('digest 2026-W48') && l.includes('missed by more than 24 h; skipped')),
    ).toBe(true);
    await r.clock.advanceTo('2026-11-30T09:00:00Z', r.settle);
    expect(r.digestPosts()).toHaveLength(1);
    expect(r.digestPosts()[0]!.params.metadata?.event_payload).toMatchObject({ week: '2026-W49', late: false });
  });

  it("does not call a new install's first start a missed digest", async () => {
    const r = await rig('2026-11-24T09:00:01Z');
    expect(r.digestPosts()).toHaveLength(0);
    expect(r.log.lines.some((l) => l.includes('missed by more than 24 h'))).toBe(false);
    expect(r.log.lines.some((l) => l.includes('no digest posted yet; the first one goes out at the next slot'))).toBe(
      true,
    );
  });
});

describe('long digests', () => {
  it('keeps 100 changes within Block Kit limits, with the details in the thread paced about 1/s', async () => {
    const r = await rig('2026-11-23T08:00:00Z');
    const measures = r.bot.store.snapshot().priorities.flatMap((p) => p.measures.map((m) => m.id));
    for (let i = 0; i < 100; i++) {
      await update(
        r.bot.store,
        measures[i % measures.length]!,
        `comment: Observation number ${i + 1} with a little more text to make it realistic`,
        `2026-11-20T10:${String(i % 60).padStart(2, '0')}:00Z`,
        `U0A${i}`,
      );
    }
    await r.clock.advanceTo('2026-11-23T09:00:00Z', r.settle);
    const main = r.digestPosts();
    expect(main).toHaveLength(1);
    const blocks = main[0]!.params.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks).length).toBeLessThan(12_000);
    for (const b of blocks)
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : 3000);
    expect(blocksText(main[0]!)).toContain('All 100 changes are listed in this thread.');

    const thread = r.threadPosts();
    expect(thread.length).toBeGreaterThan(1);
    const threadText = thread.map(blocksText).join('\n');
    for (let i = 1; i <= 100; i++) expect(threadText).toContain(`Observation number ${i} with`);
    for (const t of thread) {
      expect((t.params.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(t.params.blocks).length).toBeLessThan(12_000);
    }
    // Paced on the injected clock: consecutive posts in the channel at least a second apart.
    const seconds = [main[0]!, ...thread].map((c) => Number((c.reply as { ts: string }).ts.split('.')[0]));
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]! - seconds[i - 1]!).toBeGreaterThanOrEqual(1);
    expect(r.clock.sleeps.every((ms) => ms <= 1100)).toBe(true);
  });
});

describe('settings and health', () => {
  it('is off, logged once, without DIGEST_CHANNEL', async () => {
    const r = await rig('2026-11-23T08:00:00Z');
    await r.runtime.stop();
    const before = r.clock.pending();
    await r.startRuntime({ DIGEST_CHANNEL: '' });
    expect(r.runtime.scheduler).toBeNull();
    // Only the followers' personal digests keep a timer: they need no channel.
    expect(r.clock.pending()).toBe(before + 1);
    expect(r.log.lines.filter((l) => l.includes('digest: off (DIGEST_CHANNEL is not set)'))).toHaveLength(1);
  });

  it('checks at start that the bot can post to the channel, and says why not', async () => {
    const fake = await startFakeSlack();
    fake.notMember.add(CHANNEL);
    const r = await rig('2026-11-23T08:00:00Z', {}, { fake });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = r.log.lines.find((l) =>
      l.startsWith(
        'ERROR digest: the bot cannot post to DIGEST_CHANNEL C0DIGEST: the bot is not a member of the channel; ' +
          'invite it',
      ),
    );
    // The bot's display name (manifest.yml), which is what /invite autocompletes.
    expect(line).toContain('invite it: /invite @Measures in that channel');
  });
});

describe('/measures digest', () => {
  const command = async (r: Rig, text: string, user = ANALYST) => {
    const responseUrl = r.fake.responseUrl();
    const res = await sendToBot(
      r.bot.url,
      slashCommandBody({ text, user_id: user, response_url: responseUrl }),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    return (await r.fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl)).params;
  };

  it('previews ephemerally and never marks anything sent', async () => {
    const r = await rig('2026-11-23T08:00:00Z');
    await update(
      r.bot.store,
      'robbery',
      'trend: Moderate increase',
      new Date(Date.now() - 3600_000).toISOString(),
      'U0A',
    );
    const reply = await command(r, 'digest');
    expect(reply.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.blocks)).toContain('robbery offences trend: Stable → Moderate increase');
    expect(JSON.stringify(reply.blocks)).toContain('Preview: only you can see this');
    expect(r.bot.store.snapshot().digest.keys).toEqual([]);
    expect(r.digestPosts()).toHaveLength(0);
  });

  it(
    "now: an analyst posts it once under this week's key; " + 'a second time says it is already posted; others may not',
    async () => {
      // Tuesday 10:00: Monday's slot is 25 h past, so the start skipped it; an analyst posts it by hand.
      const r = await rig('2026-11-24T10:00:00Z');
      const first = await command(r, 'digest now');
      expect(first.text).toContain("Posted this week's digest (2026-W48)");
      expect(r.digestPosts()).toHaveLength(1);
      const second = await command(r, 'digest now');
      expect(second.text).toContain('is already in');
      expect(r.digestPosts()).toHaveLength(1);
      const refused = await command(r, 'digest now', 'U0SOMEONE');
      expect(refused.text).toContain('Only analysts can post the digest');
      expect(r.digestPosts()).toHaveLength(1);
    },
  );

  it('now, with a store that cannot be written: says so, without the server path or the wrong apology', async () => {
    const r = await rig('2026-11-24T10:00:00Z');
    // Invalid on disk after start: the bot keeps serving the last good copy and refuses writes.
    fs.writeFileSync(r.bot.storeFile, '{ "schemaVersion": ');
    const reply = await command(r, 'digest now');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe(STORE_UNAVAILABLE_TEXT);
    expect(JSON.stringify(reply)).not.toContain(r.bot.storeFile);
    expect(JSON.stringify(reply)).not.toContain('store.json');
    expect(reply.text).not.toContain('post the answer');
    expect(r.digestPosts()).toHaveLength(0);
    expect(r.bot.logs.some((l) => l.includes('failed after the ack') && l.includes('store.json'))).toBe(true);
  });
});
