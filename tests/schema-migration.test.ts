import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStoreText } from '../src/store/validate.ts';
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
    const store = parseStoreText(JSON.stringify(doc), 'old.json');
    expect(store.schemaVersion).toBe(1);
    expect(store.changeLog).toEqual([]);
    expect(store.digest).toEqual({ lastSentAt: null, keys: [] });
    expect(store.priorities).toHaveLength(7);
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
      expect((err as Error).message).toMatch(/bad\.json: invalid store at priorities\[0\]\.measures\[0\]\.polarity: .*higher-is-better.*sideways/);
    }
  });
});

describe('what the schema refuses', () => {
  const refusal = (change: (doc: any) => void): StoreError => {
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
    const err = refusal((d) => (d.priorities[0].measures[0].note = 'kept by hand'));
    expect(err.jsonPath).toBe('priorities[0].measures[0].note');
    expect(err.message).toMatch(/a field this version of measures-bot does not know/);
  });

  it('refuses a rank beyond the number of forces, a date that does not exist and a period given twice', () => {
    expect(refusal((d) => (d.priorities[3].measures[2].benchmark.rank = 9)).jsonPath).toBe('priorities[3].measures[2].benchmark.rank');
    expect(refusal((d) => (d.priorities[3].measures[2].trend.asOf = '2021-13-45')).jsonPath).toBe('priorities[3].measures[2].trend.asOf');
    const twice = refusal((d) => d.priorities[3].measures[2].series.points.push({ ...d.priorities[3].measures[2].series.points[0] }));
    expect(twice.message).toMatch(/series\.points\[12\]\.period: one point per period; 2021-01 appears twice/);
  });
});
