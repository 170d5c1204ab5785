// `measures update` as an operator runs it: exit 0 applied, 3 refused (naming the line),
// 2 for bad usage, 1 when the store cannot be trusted.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Store } from '../src/store/schema.ts';
import { runMeasures } from './helpers/cli.ts';
import { measuresInProcess, readStoreJson, tempStoreFile } from './helpers/store-temp.ts';

const robbery = (s: Store) => s.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!;

describe('measures update', () => {
  it('applies an update with the real bin, says what changed and records the operator', () => {
    const file = tempStoreFile();
    const r = runMeasures(['update', 'robbery', 'trend: moderate reduction', '--as', 'U0ANALYST1'], file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Saved.\n  Trend: Stable → Moderate reduction\n');
    const s = readStoreJson(file);
    expect(robbery(s).trend.label).toBe('Moderate reduction');
    expect(s.changeLog).toMatchObject([
      { author: 'U0ANALYST1', source: { kind: 'cli' }, target: { kind: 'measure', id: 'robbery' }, field: 'trend' },
    ]);
  }, 60_000);

  it('resolves the target as officers name it, and priorities take the priority form', async () => {
    const file = tempStoreFile();
    const r = await measuresInProcess(['update', 'street', 'robbery', 'comment: two-word target', '--as', 'U1'], file);
    expect(r.code).toBe(0);
    expect(robbery(readStoreJson(file)).comments.at(-1)!.text).toBe('two-word target');
    const p = await measuresInProcess(
      ['update', 'reduce-neighbourhood-crime', 'burglary trend: Small increase\nrobbery trend: Stable', '--as', 'U1'],
      file,
    );
    expect(p.code).toBe(0);
    expect(p.out).toContain('Police recorded burglary offences: Trend: Moderate Reduction → Small increase');
  });

  it('exits 3 for a refused update, naming the line and why, and changes nothing', async () => {
    const file = tempStoreFile();
    const before = fs.readFileSync(file, 'utf8');
    const r = await measuresInProcess(['update', 'robbery', 'trend: Stable\ntrend: Brilliant', '--as', 'U1'], file);
    expect(r.code).toBe(3);
    expect(r.err).toContain('Line 2 ("trend: Brilliant"): "Brilliant" is not a trend label');
    expect(r.err).toContain('Nothing was changed.');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it(
    'refuses a 309-digit value with exit 3, ' +
      'naming the line and the limit, not exit 1 as if the store were corrupt',
    () => {
      const file = tempStoreFile();
      const before = fs.readFileSync(file, 'utf8');
      const r = runMeasures(
        ['update', 'robbery', `trend: Stable\nvalue 2021-10: ${'9'.repeat(309)}`, '--as', 'U1'],
        file,
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /^Refused\. Line 2 \("value 2021-10: 9+…" \(324 characters\)\): .* is out of range: .* from 0 to 1,000,000,000\. Nothing was changed\.\n$/,
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
    },
    60_000,
  );

  it('--json prints one object with the status, the entries and the summary', async () => {
    const file = tempStoreFile();
    const ok = await measuresInProcess(['update', 'robbery', 'msg: 7/8 above', '--as', 'U1', '--json'], file);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      ok: true,
      status: 'applied',
      summary: ['MSG position: 8th of 8 (above average) → 7th of 8 (above average)'],
      entries: [{ field: 'benchmark' }],
    });
    const refused = await measuresInProcess(['update', 'robbery', 'msg: 9/8 above', '--as', 'U1', '--json'], file);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.out)).toMatchObject({
      ok: false,
      status: 'refused',
      refusal: { line: 1, text: 'msg: 9/8 above', reason: 'rank 9 is not between 1 and 8' },
    });
  });

  it('exits 2 without --as, without text, or for a target it cannot name', async () => {
    const file = tempStoreFile();
    expect((await measuresInProcess(['update', 'robbery', 'trend: Stable'], file)).code).toBe(2);
    expect((await measuresInProcess(['update', 'robbery', '--as', 'U1'], file)).code).toBe(2);
    const unknown = await measuresInProcess(['update', 'zzqx', 'trend: Stable', '--as', 'U1'], file);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no measure or priority matches "zzqx"');
    expect(readStoreJson(file).changeLog).toEqual([]);
  });

  it('exits 1 for an invalid store, naming the file and the bad field, and leaves it alone', async () => {
    const file = tempStoreFile((s) => {
      (robbery(s) as { unit: string }).unit = '';
    });
    const before = fs.readFileSync(file, 'utf8');
    const r = await measuresInProcess(['update', 'robbery', 'trend: Stable', '--as', 'U1'], file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/priorities\[\d\]\.measures\[\d\]\.unit/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
