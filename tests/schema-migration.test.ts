import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStoreText } from '../src/store/validate.ts';
import { CURRENT_SCHEMA_VERSION } from '../src/store/schema.ts';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { StoreError } from '../src/store/errors.ts';

const seedText = fs.readFileSync(SEED_STORE_FILE, 'utf8');

describe('store schema versions', () => {
  it('migrates a version-0 document (report data only) forward', () => {
    const doc = JSON.parse(seedText);
    delete doc.schemaVersion;
    delete doc.changeLog;
    delete doc.threads;
    delete doc.digest;
    delete doc.ons;
    for (const p of doc.priorities) for (const m of p.measures) delete m.unitKind;
    const store = parseStoreText(JSON.stringify(doc), 'old.json');
    expect(store.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(store.changeLog).toEqual([]);
    expect(store.digest).toEqual({ lastSentAt: null, keys: [] });
    expect(store.priorities).toHaveLength(7);
  });

  it('gives each measure of a version-1 document the unit kind its unit text describes', () => {
    const doc = JSON.parse(seedText);
    const bundled = new Map<string, string>();
    for (const p of doc.priorities) {
      for (const m of p.measures) {
        bundled.set(m.id, m.unitKind);
        delete m.unitKind;
      }
    }
    doc.schemaVersion = 1;
    doc.priorities[0].measures[0].unit = 'widgets';
    const measures = parseStoreText(JSON.stringify(doc), 'v1.json').priorities.flatMap((p) => p.measures);
    expect(measures).toHaveLength(19);
    const migrated = new Map(measures.map((m) => [m.id, m.unitKind]));
    // Wording it cannot place keeps only the limits every number has.
    expect(migrated.get(measures[0]!.id)).toBe('other');
    migrated.delete(measures[0]!.id);
    bundled.delete(measures[0]!.id);
    expect(migrated).toEqual(bundled);
    expect(measures.find((m) => m.id === 'robbery')!.unitKind).toBe('rate');
    expect(measures.find((m) => m.id === 'rape-charges')!.unitKind).toBe('count');
    expect(measures.find((m) => m.id === 'rape-charge-rate')!.unitKind).toBe('percentage');
  });

  it('refuses a document from a newer program', () => {
    const doc = JSON.parse(seedText);
    doc.schemaVersion = 99;
    expect(() => parseStoreText(JSON.stringify(doc), 'new.json')).toThrow(/newer than this program/);
  });

  it('names the JSON path of the bad field and what was expected', () => {
    const doc = JSON.parse(seedText);
    doc.priorities[0].measures[0].polarity = 'sideways';
    try {
      parseStoreText(JSON.stringify(doc), 'bad.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).jsonPath).toBe('priorities[0].measures[0].polarity');
      expect((err as Error).message).toMatch(
        /bad\.json: invalid store at priorities\[0\]\.measures\[0\]\.polarity: .*higher-is-better.*sideways/,
      );
    }
  });
});

/** A measure as it sits in the seed JSON, typed only as far as these tests reach to break one field. */
type SeedMeasure = Record<string, unknown> & {
  benchmark: { rank: number };
  trend: { asOf: string };
  series: { points: object[] };
};

describe('what the schema refuses', () => {
  const refusal = (change: (doc: { priorities: { measures: SeedMeasure[] }[] }) => void): StoreError => {
    const doc = JSON.parse(seedText);
    change(doc);
    try {
      parseStoreText(JSON.stringify(doc), 'bad.json');
    } catch (err) {
      return err as StoreError;
    }
    throw new Error('the store was accepted');
  };

  it('refuses a field it does not know, rather than dropping it on the next write', () => {
    const err = refusal((d) => (d.priorities[0]!.measures[0]!.note = 'kept by hand'));
    expect(err.jsonPath).toBe('priorities[0].measures[0].note');
    expect(err.message).toMatch(/a field this version of measures-bot does not know/);
  });

  it('refuses a measure without a unit kind, or with one it does not know', () => {
    expect(refusal((d) => delete d.priorities[0]!.measures[0]!.unitKind).jsonPath).toBe(
      'priorities[0].measures[0].unitKind',
    );
    expect(refusal((d) => (d.priorities[0]!.measures[0]!.unitKind = 'money')).jsonPath).toBe(
      'priorities[0].measures[0].unitKind',
    );
  });

  it('refuses a rank beyond the number of forces, a date that does not exist and a period given twice', () => {
    expect(refusal((d) => (d.priorities[3]!.measures[2]!.benchmark.rank = 9)).jsonPath).toBe(
      'priorities[3].measures[2].benchmark.rank',
    );
    expect(refusal((d) => (d.priorities[3]!.measures[2]!.trend.asOf = '2021-13-45')).jsonPath).toBe(
      'priorities[3].measures[2].trend.asOf',
    );
    const twice = refusal((d) =>
      d.priorities[3]!.measures[2]!.series.points.push({ ...d.priorities[3]!.measures[2]!.series.points[0] }),
    );
    expect(twice.message).toMatch(/series\.points\[12\]\.period: one point per period; 2021-01 appears twice/);
  });
});

describe('the bundled report', () => {
  it('gives every measure the unit kind its unit describes', () => {
    const measures = JSON.parse(seedText).priorities.flatMap((p: { measures: unknown[] }) => p.measures) as Array<{
      unit: string;
      unitKind: string;
    }>;
    expect(measures).toHaveLength(19);
    for (const m of measures) {
      const expected = m.unit.startsWith('%') ? 'percentage' : m.unit.includes('per 1,000') ? 'rate' : 'count';
      expect(`${m.unit}: ${m.unitKind}`).toBe(`${m.unit}: ${expected}`);
    }
  });
});
