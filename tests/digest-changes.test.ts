// Net change detection from the change log, polarity ordering of the headline, stale data
// and the CLI's window and JSON shape.
import { describe, expect, it } from 'vitest';
import { buildDigest, digestJson } from '../src/digest/build.ts';
import { netChanges, entriesBetween } from '../src/digest/net-changes.ts';
import { formatDigestText } from '../src/digest/text.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { MemoryStore, update } from './helpers/digest-support.ts';

const ZONE = 'Europe/London';
const since = new Date('2026-11-16T09:00:00Z');
const until = new Date('2026-11-23T09:00:00Z');
const digestOf = (store: MemoryStore) => buildDigest(store.snapshot(), { since, until, zone: ZONE });

describe('net changes', () => {
  it('reports each kind once, grouped by priority, with who, when (with offset) and display strings', async () => {
    const store = new MemoryStore();
    await update(store, 'robbery', 'trend: Moderate increase', '2026-11-17T10:00:00Z', 'U1');
    await update(store, 'robbery', 'msg: 7/8 above', '2026-11-17T10:05:00Z', 'U1');
    await update(store, 'robbery', 'value 2022-01: 0.08', '2026-11-18T10:00:00Z', 'U2');
    await update(store, 'robbery', 'peer kent 2022-01: 0.05', '2026-11-18T10:01:00Z', 'U2');
    await update(
      store,
      { kind: 'priority', id: 'reduce-neighbourhood-crime' },
      'action: Review hotspots owner: DI Jones',
      '2026-11-19T10:00:00Z',
      'U3',
    );
    await update(
      store,
      { kind: 'priority', id: 'reduce-neighbourhood-crime' },
      'action done: 1',
      '2026-11-19T11:00:00Z',
      'U3',
    );
    await update(store, 'burglary', 'comment: New team in place', '2026-11-20T10:00:00Z', 'U4');
    const d = digestOf(store);
    const kinds = d.changes.map((c) => c.kind).sort();
    expect(kinds).toEqual(['action-added', 'action-done', 'comment', 'msg', 'peer', 'trend', 'value'].sort());
    expect(new Set(d.changes.map((c) => c.priority))).toEqual(new Set(['Reduce Neighbourhood Crime']));
    const trend = d.changes.find((c) => c.kind === 'trend')!;
    expect(trend).toMatchObject({
      measure: 'Police recorded robbery offences',
      from: 'Stable',
      to: 'Moderate increase',
      by: 'U1',
      at: '2026-11-17T10:00:00+00:00',
    });
    const value = d.changes.find((c) => c.kind === 'value')!;
    expect(value.from).toBe('no figure');
    expect(value.to).toMatch(/^Jan 2022: 0\.08, \+0\.\d+ \(\+\d[\d.,]*%\) on Dec 2021$/);
    expect(d.changes.find((c) => c.kind === 'msg')).toMatchObject({ to: '7th of 8, higher than the MSG average' });
    expect(d.changes.find((c) => c.kind === 'action-done')!.to).toBe('done');
    expect(d.quiet).toBe(false);
  });

  it('drops an undone update and a value set and set back', async () => {
    const store = new MemoryStore();
    await update(store, 'robbery', 'trend: Large increase', '2026-11-17T10:00:00Z', 'U1');
    await update(store, 'robbery', 'undo', '2026-11-17T10:10:00Z', 'U1');
    await update(store, 'burglary', 'value 2021-12: 9.99', '2026-11-18T10:00:00Z', 'U2');
    const original = findMeasure(store.snapshot(), 'burglary')!.measure;
    expect(original.series!.points.find((p) => p.period === '2021-12')!.value).toBe(9.99);
    const entries = entriesBetween(store.snapshot(), since, until);
    const before = (entries.find((e) => e.field === 'value:2021-12')!.before as { value: number }).value;
    await update(store, 'burglary', `value 2021-12: ${before}`, '2026-11-19T10:00:00Z', 'U2');
    await update(store, 'vehicle-crime', 'trend: Small increase', '2026-11-19T11:00:00Z', 'U3');
    await update(store, 'vehicle-crime', 'trend: Stable', '2026-11-19T12:00:00Z', 'U3');
    expect(netChanges(entriesBetween(store.snapshot(), since, until))).toEqual([]);
    const d = digestOf(store);
    expect(d.changes).toEqual([]);
    expect(d.quiet).toBe(true);
    expect(formatDigestText(d)).toContain('A quiet week: nothing changed since Mon 16 Nov 09:00.');
  });

  it('drops an action or a comment added and undone', async () => {
    const store = new MemoryStore();
    const neighbourhood = { kind: 'priority' as const, id: 'reduce-neighbourhood-crime' };
    await update(store, neighbourhood, 'action: Review hotspots', '2026-11-17T10:00:00Z', 'U1');
    await update(store, neighbourhood, 'undo', '2026-11-17T10:01:00Z', 'U1');
    await update(store, 'burglary', 'comment: Typo in this', '2026-11-18T10:00:00Z', 'U2');
    await update(store, 'burglary', 'undo', '2026-11-18T10:01:00Z', 'U2');
    await update(store, 'burglary', 'comment: The right comment', '2026-11-18T10:02:00Z', 'U2');
    const d = digestOf(store);
    expect(d.changes.map((c) => [c.kind, c.to])).toEqual([['comment', 'The right comment']]);
  });

  it('puts only the newest figure of a measure in the headline', async () => {
    const store = new MemoryStore();
    const burglary = findMeasure(store.snapshot(), 'burglary')!.measure;
    const dec = burglary.series!.points.find((p) => p.period === '2021-12')!.value;
    // A wild revision of an old month, then a modest new month.
    await update(store, 'burglary', 'value 2021-06: 99', '2026-11-17T10:00:00Z');
    await update(store, 'burglary', `value 2022-01: ${(dec * 0.9).toFixed(4)}`, '2026-11-17T10:01:00Z');
    const d = digestOf(store);
    expect(d.headline).toEqual([
      expect.stringMatching(/^Police recorded burglary offences: .*down 10(\.\d)?% in Jan 2022 [^;]*\(better\)/),
    ]);
    expect(d.headline[0]).not.toContain('Jun 2021');
  });

  it('keeps the window: a change before since or after until is not reported', async () => {
    const store = new MemoryStore();
    await update(store, 'robbery', 'trend: Large increase', '2026-11-16T08:59:59Z');
    await update(store, 'burglary', 'trend: Large increase', '2026-11-23T09:00:01Z');
    expect(digestOf(store).changes).toEqual([]);
  });

  it(
    'reports a net change across several updates once, ' +
      'from the first before to the last after, by the last author',
    async () => {
      const store = new MemoryStore();
      await update(store, 'robbery', 'trend: Small increase', '2026-11-17T10:00:00Z', 'U1');
      await update(store, 'robbery', 'trend: Large increase', '2026-11-18T10:00:00Z', 'U2');
      const d = digestOf(store);
      expect(d.changes).toHaveLength(1);
      expect(d.changes[0]).toMatchObject({ from: 'Stable', to: 'Large increase', by: 'U2' });
    },
  );

  it('reports a computed MSG position that new peer figures moved', async () => {
    const store = new MemoryStore();
    const robbery = findMeasure(store.snapshot(), 'robbery')!.measure;
    const peerCount = store.snapshot().msg.forces.length - 1;
    const latest = robbery.series!.points.filter((p) => Object.keys(p.peers ?? {}).length === peerCount).at(-1)!;
    // Make every peer far worse (higher, for a higher-is-worse measure) in the latest complete period.
    const lines = Object.keys(latest.peers!).map((slug) => `robbery peer ${slug} ${latest.period}: 50`);
    await update(
      store,
      { kind: 'priority', id: 'reduce-neighbourhood-crime' },
      lines.join('\n'),
      '2026-11-18T10:00:00Z',
      'U5',
    );
    const computed = digestOf(store).changes.filter((c) => c.kind === 'msg');
    expect(computed).toHaveLength(1);
    expect(computed[0]!.to).toMatch(/^1st of 8, .*computed/);
    expect(computed[0]!.by).toBe('U5');
  });
});

describe('headline', () => {
  it('puts worsening before improving, judged by polarity, biggest first', async () => {
    const store = new MemoryStore();
    // Rape charge rate is higher-is-better: an increase is an improvement, even a big one.
    await update(store, 'rape-charge-rate', 'trend: Large increase', '2026-11-17T10:00:00Z');
    // Robbery is higher-is-worse: a rise is worse.
    await update(store, 'robbery', 'trend: Small increase', '2026-11-17T11:00:00Z');
    // A reduction in drug trafficking offences (higher-is-better: more are found) is worse.
    await update(store, 'drug-trafficking', 'trend: Large reduction', '2026-11-17T12:00:00Z');
    // Burglary (higher-is-worse) falling is better.
    await update(store, 'burglary', 'trend: Large reduction', '2026-11-17T13:00:00Z');
    const d = digestOf(store);
    // The biggest movement is an improvement, and still comes after both worsenings.
    expect(d.headline).toEqual([
      'Number of drug trafficking offences: trend Reducing → Large reduction (worse)',
      'Police recorded robbery offences: trend Stable → Small increase (worse)',
      'Charge rate for Rape offences: trend Stable → Large increase (better)',
      'Police recorded burglary offences: trend Moderate Reduction → Large reduction (better)',
    ]);
  });

  it('judges new figures by polarity and MSG places by rank', async () => {
    const store = new MemoryStore();
    const burglary = findMeasure(store.snapshot(), 'burglary')!.measure;
    const last = burglary.series!.points.at(-1)!;
    await update(store, 'burglary', `value 2022-01: ${(last.value * 1.5).toFixed(3)}`, '2026-11-17T10:00:00Z');
    await update(store, 'robbery', 'msg: 2/8 below', '2026-11-17T11:00:00Z');
    const d = digestOf(store);
    expect(d.headline[0]).toMatch(/^Police recorded burglary offences: up 50(\.\d)?% in Jan 2022 .*\(worse\)$/);
    expect(
      d.headline.some((h) => /robbery offences: MSG position \d+(st|nd|rd|th) → 2nd of 8 \(better\)/.test(h)),
    ).toBe(true);
  });
});

describe('headline of a measure that moved more than one way', () => {
  it("names the trend and the MSG move on the measure's one line, each judged by polarity", async () => {
    const store = new MemoryStore();
    // Robbery (higher-is-worse) rising is worse; moving from 8th to 7th of 8 is better.
    await update(store, 'robbery', 'trend: Moderate increase\nmsg: 7/8 above', '2026-11-17T10:00:00Z');
    await update(store, 'burglary', 'trend: Small increase', '2026-11-17T11:00:00Z');
    const d = digestOf(store);
    const robbery =
      'Police recorded robbery offences: trend Stable → Moderate increase (worse); ' +
      'MSG position 8th → 7th of 8 (better)';
    expect(d.headline).toEqual([
      'Police recorded burglary offences: trend Moderate Reduction → Small increase (worse)',
      robbery,
    ]);
    expect(formatDigestText(d)).toContain(`  • ${robbery}`);
  });

  it('ranks the line by its biggest movement and lists that one first', async () => {
    const store = new MemoryStore();
    // The MSG move (7 places) outweighs the trend step: the line counts as better, after the worsening.
    await update(store, 'robbery', 'trend: Small increase\nmsg: 1/8 below', '2026-11-17T10:00:00Z');
    await update(store, 'burglary', 'trend: Small increase', '2026-11-17T11:00:00Z');
    expect(digestOf(store).headline).toEqual([
      'Police recorded burglary offences: trend Moderate Reduction → Small increase (worse)',
      'Police recorded robbery offences: MSG position 8th → 1st of 8 (better); ' +
        'trend Stable → Small increase (worse)',
    ]);
  });
});

describe('stale data', () => {
  it('lists measures older than their interval, and says it in one line when all are', async () => {
    const store = new MemoryStore();
    const d = digestOf(store);
    expect(d.allStale).toBe(true);
    expect(d.stale.length).toBe(store.snapshot().priorities.reduce((n, p) => n + p.measures.length, 0));
    const text = formatDigestText(d);
    expect(text).toContain("Every measure's data is older than its expected update interval.");
    expect(text).not.toContain('latest figures for');
    expect(digestJson(d).stale[0]).toEqual({
      measure: expect.any(String),
      latestPeriod: expect.stringMatching(/^\d{4}-\d{2}$/),
      expectedEvery: expect.stringMatching(/monthly|quarterly|annual/),
    });

    // In early 2022 only the measures whose data stopped earlier are stale.
    const early = buildDigest(store.snapshot(), {
      since: new Date('2022-01-10T00:00:00Z'),
      until: new Date('2022-01-17T00:00:00Z'),
      zone: ZONE,
    });
    expect(early.allStale).toBe(false);
    expect(early.stale.map((s) => s.measureId)).toEqual(['homicide']);
    expect(formatDigestText(early)).toContain(
      'Police recorded Homicide offences: latest figures for Dec 2019, expected monthly',
    );
  });
});
