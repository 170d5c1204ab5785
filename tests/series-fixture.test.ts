// The bundled report's series: every measure has one; the four police.uk series and the ONS
// homicide series equal independent sums of ../shared/data; every illustrative series is
// flagged as such and, under the computed methods, reproduces the published trend and MSG
// position.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeBenchmark, computeTrend, trendLabelsAgree } from '../src/measures/computed/index.ts';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { parseStoreText } from '../src/store/validate.ts';
import { seedSeries } from '../scripts/seed-series.ts';

const store = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
const measures = store.priorities.flatMap((p) => p.measures);
const byId = (id: string) => measures.find((m) => m.id === id)!;
const DATA = path.resolve(path.dirname(SEED_STORE_FILE), '..', '..', 'shared', 'data');
const hasData = fs.existsSync(path.join(DATA, 'police-uk', 'monthly-counts-2021-asp-msg.csv'));

const REAL: Record<string, string> = {
  burglary: 'Burglary',
  'vehicle-crime': 'Vehicle crime',
  robbery: 'Robbery',
  'theft-from-the-person': 'Theft from the person',
};

describe('every measure has a series', () => {
  it.each(measures.map((m) => [m.id]))('%s', (id) => {
    const m = byId(id);
    expect(m.series).not.toBeNull();
    expect(m.series!.points.length).toBeGreaterThanOrEqual(8);
    expect(m.series!.source.length).toBeGreaterThan(10);
  });
});

describe('illustrative series reproduce the published report', () => {
  const illustrative = measures.filter((m) => m.series && !m.series.official);
  it('covers the 14 measures with no matching public data', () => {
    expect(illustrative.map((m) => m.id).sort()).toEqual(
      measures
        .filter((m) => !REAL[m.id] && m.id !== 'homicide')
        .map((m) => m.id)
        .sort(),
    );
  });

  it.each(illustrative.map((m) => [m.id]))(
    '%s: flagged, ends at the report quarter, same trend and MSG position',
    (id) => {
      const m = byId(id);
      expect(m.series!.official).toBe(false);
      expect(m.series!.source).toMatch(/^Illustrative series .* not official data$/);
      expect(m.series!.caveats.join(' ')).toMatch(/Illustrative/);
      expect(m.series!.points.at(-1)!.period).toBe('2021-11');
      const trend = computeTrend(m);
      expect(trend && trendLabelsAgree(m.trend.label, trend.label), `${m.trend.label} vs ${trend?.label}`).toBe(true);
      const computed = computeBenchmark(m, store);
      if (m.benchmark.status === 'published') {
        expect(computed).toMatchObject({ rank: m.benchmark.rank, of: m.benchmark.of, relation: m.benchmark.relation });
      } else {
        // No published position, so no invented peers either.
        expect(computed).toBeNull();
        expect(m.series!.points.every((p) => !p.peers)).toBe(true);
      }
    },
  );
});

describe.skipIf(!hasData)('real series equal independent sums of ../shared/data', () => {
  // Independent of scripts/seed: a plain split of the CSV.
  const lines = fs
    .readFileSync(path.join(DATA, 'police-uk', 'monthly-counts-2021-asp-msg.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const sum = (month: string, slug: string, type: string) =>
    lines
      .map((l) => l.split(','))
      .filter(([mo, s, , t]) => mo === month && s === slug && t === type)
      .reduce((acc, row) => acc + Number(row[4]), 0);
  const fileExists = (month: string, slug: string) => lines.some((l) => l.startsWith(`${month},${slug},`));

  it.each(Object.entries(REAL))('%s = police.uk "%s" for ASP and its 7 peers, Jan–Dec 2021', (id, type) => {
    const series = byId(id).series!;
    expect(series.official).toBe(true);
    expect(series.source).toContain('police.uk');
    expect(series.points.map((p) => p.period)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2021-${String(i + 1).padStart(2, '0')}`),
    );
    for (const point of series.points) {
      for (const force of store.msg.forces) {
        const held = force.slug === store.force.slug ? point : point.peers?.[force.slug];
        if (!fileExists(point.period, force.slug)) {
          expect(held, `${force.slug} ${point.period} has no file, so no value`).toBeUndefined();
          continue;
        }
        const count = sum(point.period, force.slug, type);
        expect(held?.count, `${force.slug} ${point.period}`).toBe(count);
        expect(held!.value).toBeCloseTo((count / force.population) * 1000, 5);
      }
    }
  });

  it('leaves Derbyshire December 2021 missing rather than zero', () => {
    expect(byId('robbery').series!.points.find((p) => p.period === '2021-12')!.peers!.derbyshire).toBeUndefined();
  });

  it('carries the SOURCES.md caveats', () => {
    expect(byId('burglary').series!.caveats.join(' ')).toMatch(/all burglary/);
    expect(byId('robbery').series!.caveats.join(' ')).toMatch(/business robbery/);
    expect(byId('vehicle-crime').series!.caveats.join(' ')).toMatch(/not Home Office offence groups/);
  });

  it('homicide is ONS Table P1 counts and Table P3 rates, rolling years', () => {
    const rows = fs
      .readFileSync(path.join(DATA, 'ons', 'pfa-p1-p3-asp-msg-2018-2019.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const cell = (edition: string, table: string, code: string) =>
      Number(rows.find((r) => r[1] === edition && r[2] === table && r[3] === code && r[5] === 'Homicide')![6]);
    const series = byId('homicide').series!;
    expect(series.official).toBe(true);
    expect(series.points).toHaveLength(8);
    for (const point of series.points) {
      for (const force of store.msg.forces) {
        const held = force.slug === store.force.slug ? point : point.peers![force.slug]!;
        expect(held.count).toBe(cell(point.period, 'Table P1', force.onsCode));
        // Stored to 6 significant figures.
        expect(Math.abs(held.value / cell(point.period, 'Table P3', force.onsCode) - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it('re-running the seed script reproduces the committed series exactly (deterministic)', () => {
    const copy = structuredClone(store);
    seedSeries(copy, DATA);
    for (const [i, p] of copy.priorities.entries()) {
      for (const [j, m] of p.measures.entries()) expect(m.series).toEqual(store.priorities[i]!.measures[j]!.series);
    }
  });
});
