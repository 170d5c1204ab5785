// `measures history` and historyEntries: what changed, newest first, filtered by measure and date.
import { describe, expect, it } from 'vitest';
import { historyEntries } from '../src/store/index.ts';
import type { ChangeEntry } from '../src/store/schema.ts';
import { measuresInProcess, readStoreJson, tempStoreFile } from './helpers/store-temp.ts';
import { seedStore } from './helpers/seed.ts';

function entry(n: number, at: string, target: ChangeEntry['target'], field = 'trend'): ChangeEntry {
  return {
    id: `m${n}#1`,
    messageId: `m${n}`,
    author: 'U1',
    at,
    source: { kind: 'cli' },
    target,
    field,
    before: null,
    after: null,
  };
}

describe('historyEntries', () => {
  const store = seedStore();
  store.changeLog = [
    entry(1, '2026-11-01T09:00:00Z', { kind: 'measure', id: 'robbery' }),
    entry(2, '2026-11-20T09:00:00Z', { kind: 'measure', id: 'burglary' }),
    entry(3, '2026-11-20T09:00:00Z', { kind: 'priority', id: 'reduce-neighbourhood-crime' }, 'action:add'),
    entry(4, '2026-11-24T23:30:00Z', { kind: 'measure', id: 'robbery' }),
    entry(5, '2026-11-25T08:00:00Z', { kind: 'measure', id: 'homicide' }),
  ];
  const ids = (entries: ChangeEntry[]) => entries.map((e) => e.messageId);

  it('lists newest first, keeping log order for the same time', () => {
    expect(ids(historyEntries(store))).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
  });

  it('filters by measure, by priority (its measures and its actions) and by date', () => {
    expect(ids(historyEntries(store, { measureId: 'robbery' }))).toEqual(['m4', 'm1']);
    expect(ids(historyEntries(store, { priorityId: 'reduce-neighbourhood-crime' }))).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(ids(historyEntries(store, { since: '2026-11-20' }))).toEqual(['m5', 'm4', 'm3', 'm2']);
    expect(ids(historyEntries(store, { measureId: 'robbery', since: '2026-11-25' }))).toEqual([]);
  });
});

describe('measures history', () => {
  it('prints each change with time, author, source and what changed, newest first', async () => {
    const file = tempStoreFile();
    await measuresInProcess(['update', 'robbery', 'trend: Small increase', '--as', 'U0AAA'], file);
    await measuresInProcess(['update', 'burglary', 'comment: checked', '--as', 'U0BBB'], file);
    const r = await measuresInProcess(['history'], file);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC {2}U0BBB {2}\(cli\) {2}Police recorded burglary offences: Comment added: checked$/,
    );
    expect(lines[1]).toContain('U0AAA  (cli)  Police recorded robbery offences: Trend: Stable → Small increase');

    const robbery = await measuresInProcess(['history', 'street', 'robbery', '--json'], file);
    const json = JSON.parse(robbery.out);
    expect(json).toMatchObject({ kind: 'history', subject: 'robbery' });
    expect(json.entries).toHaveLength(1);
    expect(json.entries[0]).toMatchObject({
      ...readStoreJson(file).changeLog[0],
      summary: 'Police recorded robbery offences: Trend: Stable → Small increase',
    });
  });

  it('says so when nothing changed, and refuses a bad --since', async () => {
    const file = tempStoreFile();
    expect((await measuresInProcess(['history', 'robbery', '--since', '2026-01-01'], file)).out).toBe(
      'No changes recorded for robbery since 2026-01-01.\n',
    );
    const bad = await measuresInProcess(['history', '--since', '25/11/2026'], file);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('YYYY-MM-DD');
  });
});

describe('describing entries written by imports', () => {
  it('shows bare numbers and series summaries readably', async () => {
    const { describeChange } = await import('../src/measures/update/describe.ts');
    const store = seedStore();
    const base = entry(9, '2026-11-25T08:00:00Z', { kind: 'measure', id: 'robbery' });
    expect(describeChange(store, { ...base, field: 'value:2021-11', before: 0.07, after: 0.08 })).toBe(
      'Value 2021-11: 0.07 → 0.08 offences per 1,000 residents',
    );
    expect(describeChange(store, { ...base, field: 'peer:kent:2021-11', before: null, after: 0.05 })).toBe(
      'Kent 2021-11: none → 0.05 offences per 1,000 residents',
    );
    expect(
      describeChange(store, {
        ...base,
        field: 'series',
        before: null,
        after: { source: 'police.uk', official: true, points: 36 },
      }),
    ).toBe('Series: none → police.uk (36 points)');
  });
});
