// The `measures` CLI as a user runs it: a real store file, output and exit codes. Most cases go
// through runCli in this process (what the bin calls, without a node + tsx start-up each); two
// run the real bin, so the bin's own wiring (exit code, stdout, stderr) is covered too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMeasures, runMeasuresInProcess } from './helpers/cli.ts';
import { tempDir } from './helpers/seed.ts';

/** A real-bin run is a node + tsx start-up, which takes seconds beside another file's processes. */
const REAL_BIN_MS = 60_000;

function freshStorePath(): string {
  return path.join(tempDir(), 'store.json');
}

describe('measures ask', () => {
  it(
    'creates a missing store from the bundled report, with a notice on stderr only',
    () => {
      const store = freshStorePath();
      const r = runMeasures(['ask', '--json', 'robbery'], store); // the real bin
      expect(r.code).toBe(0);
      expect(fs.existsSync(store)).toBe(true);
      expect(r.stderr).toMatch(/created .*store\.json from the bundled report/);
      const answer = JSON.parse(r.stdout);
      expect(answer.kind).toBe('measure');
      expect(answer.measure).toMatchObject({
        title: 'Police recorded robbery offences',
        trend: 'Stable',
        benchmark: { rank: 8, of: 8, relation: 'above' },
      });
      expect(answer.priority.title).toBe('Reduce Neighbourhood Crime');
      expect(answer.priority.plannedActions).toHaveLength(3);
    },
    REAL_BIN_MS,
  );

  it('joins unquoted words and answers question forms', async () => {
    const r = await runMeasuresInProcess(
      ['ask', '--json', 'how', 'are', 'we', 'doing', 'on', 'car', 'theft?'],
      freshStorePath(),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).measure.title).toBe('Police recorded vehicle crime offences');
  });

  it('prints a readable answer without --json', async () => {
    const r = await runMeasuresInProcess(['ask', 'rape', 'files', 'sent', 'to', 'CPS'], freshStorePath());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Volume of Rape referrals to CPS');
    expect(r.stdout).toContain('Moderate Increase · no MSG position · Nov 21: 52 referrals to CPS');
    expect(r.stdout).toContain('Planned actions (Better Criminal Justice Outcomes for Rape Cases)');
  });

  it('prints the point first: title, headline, the flag, three short actions, one context line', async () => {
    const r = await runMeasuresInProcess(['ask', 'robbery'], freshStorePath());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Police recorded robbery offences',
      'Stable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21',
      '! Since the report, the monthly figures show a large increase',
    ]);
    expect(lines.filter((l) => /^ {2}\d\. /.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^Data to Dec 2021 · trend set 30 Nov 2021 · Source: police\.uk .* · out of date$/u);
    // The detail is one flag away, unchanged.
    expect(r.stdout).not.toContain('Caveat:');
    const full = await runMeasuresInProcess(['ask', '--full', 'robbery'], freshStorePath());
    expect(full.stdout).toContain('Trend: Stable (as of 30 Nov 2021)');
    expect(full.stdout).toContain('Computed from the series (12 periods to Dec 2021): Large increase');
    expect(full.stdout).toContain('Caveat:');
  });

  it('keeps the JSON answer as it was and adds the headline', async () => {
    const r = await runMeasuresInProcess(['ask', '--json', 'robbery'], freshStorePath());
    const answer = JSON.parse(r.stdout);
    expect(answer.headline).toBe('Stable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21');
    expect(answer.measure.computedTrend.label).toBe('Large increase');
    expect(answer.measure.caveats.length).toBeGreaterThan(0);
  });

  it('exits 0 for not-found and ambiguous answers, with candidates', async () => {
    const store = freshStorePath();
    const notFound = await runMeasuresInProcess(['ask', '--json', 'parking fines'], store);
    expect(notFound.code).toBe(0);
    expect(JSON.parse(notFound.stdout)).toMatchObject({ kind: 'not-found' });
    expect(JSON.parse(notFound.stdout).candidates.length).toBeGreaterThan(0);
    const ambiguous = await runMeasuresInProcess(['ask', '--json', 'theft'], store);
    expect(ambiguous.code).toBe(0);
    expect(JSON.parse(ambiguous.stdout).kind).toBe('ambiguous');
  });

  it('answers an empty query with help', async () => {
    const r = await runMeasuresInProcess(['ask', '--json', ''], freshStorePath());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('help');
  });

  it('refuses a question over 500 characters, as Slack does, saying so and never echoing it whole', async () => {
    const store = freshStorePath();
    const words = 'robbery burglary '.repeat(3000).trim().split(' ');
    const text = await runMeasuresInProcess(['ask', ...words], store);
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toBe(
      'That question is too long (50,999 characters); questions are read up to 500. ' +
        'Ask in a few words, for example "robbery" or "how are we doing on burglary"; "list" shows every measure.',
    );
    const json = JSON.parse((await runMeasuresInProcess(['ask', '--json', ...words], store)).stdout);
    expect(json).toMatchObject({ kind: 'not-found', candidates: [], tooLong: { chars: 50_999, limit: 500 } });
    expect(json.query).toHaveLength(501);
  });

  it(
    'exits 2 for an unknown flag or a missing flag argument',
    async () => {
      expect(runMeasures(['ask', '--nope', 'robbery'], freshStorePath()).code).toBe(2); // the real bin
      expect((await runMeasuresInProcess(['ask', 'robbery', '--chart'], freshStorePath())).code).toBe(2);
      expect((await runMeasuresInProcess(['frobnicate'], freshStorePath())).code).toBe(2);
    },
    REAL_BIN_MS,
  );
});

describe('measures ask --chart', () => {
  it('writes the PNG of a measure and still prints the answer', async () => {
    const dir = tempDir();
    const png = path.join(dir, 'robbery.png');
    const r = await runMeasuresInProcess(['ask', 'robbery', '--json', '--chart', png], path.join(dir, 'store.json'));
    expect(r.code).toBe(0);
    expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(JSON.parse(r.stdout).measure.title).toBe('Police recorded robbery offences');
  });

  it('refuses a path in a folder that does not exist, before doing anything (exit 2)', async () => {
    const store = freshStorePath();
    const r = await runMeasuresInProcess(['ask', 'robbery', '--chart', '/nonexistent-folder/x.png'], store);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--chart \/nonexistent-folder\/x\.png: the folder \/nonexistent-folder does not exist/);
    expect(r.stdout).toBe('');
    expect(fs.existsSync(store)).toBe(false);
  });

  it('refuses a path that is a folder, before doing anything (exit 2)', async () => {
    const dir = tempDir();
    const store = path.join(dir, 'store.json');
    const r = await runMeasuresInProcess(['ask', 'robbery', '--chart', dir], store);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `measures ask: --chart ${dir}: that is a folder; give a file name such as ${path.join(dir, 'chart.png')}\n`,
    );
    expect(r.stdout).toBe('');
    expect(fs.existsSync(store)).toBe(false);
  });

  it('is a usage error (exit 2, one line naming the file and why) when the chart cannot be written', async () => {
    const r = await runMeasuresInProcess(['ask', 'robbery', '--json', '--chart', '/dev/full'], freshStorePath());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      'measures ask: --chart /dev/full: cannot write it (no space left on device)',
    );
    expect(r.stderr).not.toMatch(/chart written|\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('says on stderr that a definition has no chart, and writes nothing', async () => {
    const dir = tempDir();
    const png = path.join(dir, 'msg.png');
    const r = await runMeasuresInProcess(['ask', 'what is MSG', '--chart', png], path.join(dir, 'store.json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no chart for a glossary answer/);
    expect(fs.existsSync(png)).toBe(false);
  });
});

describe('measures with no command', () => {
  it('prints usage on stderr and exits 2', async () => {
    const r = await runMeasuresInProcess([], freshStorePath());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: measures <command>/);
  });
});

describe('a broken store', () => {
  it('is refused with exit 1, naming the file and the bad field, and is never overwritten', async () => {
    const store = freshStorePath();
    await runMeasuresInProcess(['list'], store);
    const doc = JSON.parse(fs.readFileSync(store, 'utf8'));
    doc.priorities[3].measures[2].benchmark.rank = 'eighth';
    const broken = JSON.stringify(doc);
    fs.writeFileSync(store, broken);
    for (const args of [['ask', 'robbery'], ['validate'], ['list', '--json']]) {
      const r = await runMeasuresInProcess(args, store);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(store);
      expect(r.stderr).toContain('priorities[3].measures[2].benchmark');
      expect(r.stdout).toBe('');
    }
    expect(fs.readFileSync(store, 'utf8')).toBe(broken);
  });

  it('is refused when it is not JSON at all', async () => {
    const store = freshStorePath();
    fs.writeFileSync(store, '{"schemaVersion": 1, ');
    const r = await runMeasuresInProcess(['validate'], store);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not valid JSON/);
  });

  it('validate accepts a good store and names what it holds', async () => {
    const store = freshStorePath();
    await runMeasuresInProcess(['list'], store);
    const r = await runMeasuresInProcess(['validate'], store);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid .*7 priorities, 19 measures, 10 glossary terms/);
  });
});

describe('a store with a field this version does not know', () => {
  it('is refused by update (exit 1) and left exactly as it was', async () => {
    const store = freshStorePath();
    await runMeasuresInProcess(['list'], store);
    const doc = JSON.parse(fs.readFileSync(store, 'utf8'));
    doc.priorities[3].measures[2].note = 'added by hand';
    const text = JSON.stringify(doc);
    fs.writeFileSync(store, text);
    const r = await runMeasuresInProcess(['update', 'robbery', 'comment: hello', '--as', 'U0ANALYST'], store);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('priorities[3].measures[2].note');
    expect(fs.readFileSync(store, 'utf8')).toBe(text);
  });
});
