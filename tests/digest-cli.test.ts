// `measures digest`: the window (--since at 00:00 London, else the last sent digest, else
// 7 days), the JSON shape, and that it never marks a digest sent.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../commands/digest.ts';
import { openStore } from '../src/store/index.ts';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import type { CommandIO } from '../commands/io.ts';
import { UsageError } from '../commands/io.ts';
import { tempDir } from './helpers/seed.ts';
import { update } from './helpers/digest-support.ts';
import { runMeasures, runMeasuresInProcess } from './helpers/cli.ts';

function capture(env: NodeJS.ProcessEnv): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env };
}

async function storeWithChanges(): Promise<string> {
  const file = path.join(tempDir('digest-cli-'), 'store.json');
  fs.copyFileSync(SEED_STORE_FILE, file);
  const store = await openStore(file, { notice: () => {} });
  // Sunday 22 March 2026 23:30 London (GMT).
  await update(store, 'robbery', 'trend: Moderate increase', '2026-03-22T23:30:00Z', 'U1');
  // Monday 30 March 00:30 BST is 29 March 23:30 UTC: a "since 2026-03-30" must include it.
  await update(store, 'burglary', 'comment: Operation started', '2026-03-29T23:30:00Z', 'U2');
  await update(store, 'vehicle-crime', 'trend: Small increase', '2026-04-01T10:00:00Z', 'U3');
  await store.close();
  return file;
}

describe('measures digest', () => {
  it('--since is midnight in DIGEST_TIMEZONE and --json has the documented shape', async () => {
    const file = await storeWithChanges();
    const io = capture({ MEASURES_STORE: file });
    const code = await run(['--since', '2026-03-30', '--json'], io, new Date('2026-04-02T12:00:00Z'));
    expect(code).toBe(0);
    const json = JSON.parse(io.stdout.join(''));
    expect(Object.keys(json)).toEqual(['since', 'until', 'headline', 'changes', 'stale']);
    expect(json.since).toBe('2026-03-30T00:00:00+01:00');
    expect(json.until).toBe('2026-04-02T13:00:00+01:00');
    expect(json.changes.map((c: { measure: string }) => c.measure)).toEqual([
      'Police recorded burglary offences',
      'Police recorded vehicle crime offences',
    ]);
    for (const c of json.changes) {
      expect(Object.keys(c)).toEqual(['priority', 'measure', 'kind', 'from', 'to', 'by', 'at', 'link']);
      expect(c.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    expect(json.changes[0]).toMatchObject({
      kind: 'comment',
      from: 'none',
      to: 'Operation started',
      by: 'U2',
      at: '2026-03-30T00:30:00+01:00',
    });
    expect(json.headline).toEqual(['Police recorded vehicle crime offences: trend Stable → Small increase (worse)']);
    expect(json.stale.length).toBeGreaterThan(0);
  });

  it('defaults to 7 days, or to the last sent digest, and never marks a digest sent', async () => {
    const file = await storeWithChanges();
    const before = fs.readFileSync(file, 'utf8');
    const io = capture({ MEASURES_STORE: file });
    await run(['--json'], io, new Date('2026-03-30T12:00:00Z'));
    const json = JSON.parse(io.stdout.join(''));
    expect(json.since).toBe('2026-03-23T12:00:00+00:00'); // before the clocks changed
    expect(json.changes).toHaveLength(1); // the 22 March trend is older than 7 days
    expect(fs.readFileSync(file, 'utf8')).toBe(before);

    const store = await openStore(file, { notice: () => {} });
    await store.mutate((d) => {
      d.digest.lastSentAt = '2026-03-31T08:00:00.000Z';
    });
    await store.close();
    const io2 = capture({ MEASURES_STORE: file });
    await run([], io2, new Date('2026-04-02T12:00:00Z'));
    const text = io2.stdout.join('\n');
    expect(text).toContain('Measures digest: Tue 31 Mar 2026 09:00 to Thu 2 Apr 2026 13:00 (Europe/London)');
    expect(text).toContain('Police recorded vehicle crime offences trend: Stable → Small increase');
    expect(text).not.toContain('Operation started');
  });

  it('refuses a bad --since or DIGEST_TIMEZONE as a usage error', async () => {
    const file = await storeWithChanges();
    await expect(run(['--since', '2026-02-30'], capture({ MEASURES_STORE: file }))).rejects.toThrow(UsageError);
    await expect(run([], capture({ MEASURES_STORE: file, DIGEST_TIMEZONE: 'Europe/Londn' }))).rejects.toThrow(
      /DIGEST_TIMEZONE/,
    );
  });

  it('runs through the real bin', async () => {
    const file = await storeWithChanges();
    const r = runMeasures(['digest', '--since', '2026-03-01', '--json'], file);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toHaveLength(3);
    // The usage error's wording and exit code come from runCli, which the bin calls: in-process.
    const bad = await runMeasuresInProcess(['digest', '--since', 'monday'], file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^measures digest: --since wants a date/);
  }, 60_000); // a node + tsx start-up, which takes seconds beside another file's processes
});
