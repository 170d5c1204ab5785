// What a chart shows, derived once from a measure's series: the force's values, the MSG
// average and range per period, and the latest point. Shared by the chart config and the
// alt text so the words always describe the picture.
import { homeForce, type Measure, type Series, type Store } from '../store/index.ts';
import { ENGLAND_AND_WALES_CODE, onsRate } from '../measures/ons-comparison.ts';
import { periodIndex } from '../measures/computed/periods.ts';

/** The part of the store a chart needs; workers receive only this much. */
/** `ons` is optional: only rolling-year (ONS) charts use it, for England and Wales. */
export type ChartStore = Pick<Store, 'force' | 'msg' | 'priorities'> & Partial<Pick<Store, 'ons'>>;

export interface ChartPoint {
  period: string;
  value: number;
  count?: number;
}

export interface MeasureChartData {
  measure: Measure;
  series: Series;
  periods: string[];
  force: (number | null)[];
  /** Unweighted mean of all MSG forces (the force included); null when a force is missing that period. */
  msgAverage: (number | null)[];
  /** Lowest and highest peer (the force excluded); null when a peer is missing that period. */
  peerMin: (number | null)[];
  peerMax: (number | null)[];
  hasPeers: boolean;
  /** Periods where some peer values are missing, so no average or range is drawn. */
  incompletePeriods: { period: string; missing: string[] }[];
  latest: ChartPoint;
  previous: ChartPoint | null;
  /** Each point covers the 12 months ending with its period (ONS rolling years). */
  rollingYear: boolean;
  forceName: string;
  /**
   * England and Wales for the same rolling years, from the stored ONS editions; null per period
   * without an edition. Only for ONS series: police.uk months are not comparable with it.
   */
  englandAndWales: (number | null)[] | null;
  /** Editions whose England and Wales leaves a force out, e.g. Dec 2019 "excluding Greater Manchester Police". */
  englandAndWalesScopes: { period: string; scope: string }[];
}

export function forceDisplayName(store: Pick<Store, 'force' | 'msg'>): string {
  return homeForce(store)?.name ?? store.force.name;
}

/** A measure is charted only when its series has points: never an empty chart. */
export function hasChartPoints(measure: Pick<Measure, 'series'>): boolean {
  return (measure.series?.points.length ?? 0) > 0;
}

/** Null when the measure has no points (see hasChartPoints). */
export function measureChartData(store: ChartStore, measure: Measure): MeasureChartData | null {
  const series = measure.series;
  if (!series || !hasChartPoints(measure)) return null;
  const points = [...series.points].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const peerSlugs = store.msg.forces.map((f) => f.slug).filter((s) => s !== store.force.slug);
  const hasPeers = points.some((p) => p.peers && Object.keys(p.peers).length > 0);
  const msgAverage: (number | null)[] = [];
  const peerMin: (number | null)[] = [];
  const peerMax: (number | null)[] = [];
  const incompletePeriods: MeasureChartData['incompletePeriods'] = [];
  const nameOf = (slug: string) => store.msg.forces.find((f) => f.slug === slug)?.name ?? slug;
  for (const p of points) {
    const values = peerSlugs.map((s) => p.peers?.[s]?.value);
    const complete = hasPeers && values.every((v) => v !== undefined);
    if (hasPeers && !complete) {
      incompletePeriods.push({
        period: p.period,
        missing: peerSlugs.filter((s) => p.peers?.[s] === undefined).map(nameOf),
      });
    }
    if (!complete) {
      msgAverage.push(null);
      peerMin.push(null);
      peerMax.push(null);
      continue;
    }
    const peers = values as number[];
    msgAverage.push((peers.reduce((a, b) => a + b, 0) + p.value) / (peers.length + 1));
    peerMin.push(Math.min(...peers));
    peerMax.push(Math.max(...peers));
  }
  const last = points[points.length - 1]!;
  const prev = points[points.length - 2];
  const rollingYear = /rolling year/i.test(series.source);
  const englandAndWales = rollingYear
    ? englandAndWalesFor(
        store,
        measure,
        points.map((p) => p.period),
      )
    : null;
  return {
    measure,
    series,
    periods: points.map((p) => p.period),
    force: points.map((p) => p.value),
    msgAverage,
    peerMin,
    peerMax,
    hasPeers,
    incompletePeriods,
    latest: toChartPoint(last),
    previous: prev ? toChartPoint(prev) : null,
    rollingYear,
    forceName: forceDisplayName(store),
    englandAndWales,
    englandAndWalesScopes: englandAndWales
      ? scopesFor(
          store,
          points.map((p) => p.period),
        )
      : [],
  };
}

function scopesFor(store: ChartStore, periods: string[]): { period: string; scope: string }[] {
  return (store.ons ?? [])
    .filter((e) => e.scope && periods.includes(e.yearEnding))
    .map((e) => ({ period: e.yearEnding, scope: e.scope! }));
}

function englandAndWalesFor(store: ChartStore, measure: Measure, periods: string[]): (number | null)[] | null {
  const groups = measure.sourceMapping.ons;
  if (!store.ons?.length || groups.length === 0) return null;
  const values = periods.map((period) => {
    const edition = store.ons!.find((e) => e.yearEnding === period);
    return edition ? onsRate(edition, ENGLAND_AND_WALES_CODE, groups) : null;
  });
  return values.some((v) => v !== null) ? values : null;
}

function toChartPoint(p: { period: string; value: number; count?: number }): ChartPoint {
  return p.count === undefined
    ? { period: p.period, value: p.value }
    : { period: p.period, value: p.value, count: p.count };
}

/** "offences per 1,000 residents, per month": rates need their time base to be read right. */
export function valueBasis(data: MeasureChartData): string | null {
  if (!/per 1,000/.test(data.measure.unit)) return null;
  if (data.rollingYear) return 'per year';
  const step = stepMonths(data.periods);
  return step === 1 ? 'per month' : step === 3 ? 'per quarter' : step === 12 ? 'per year' : null;
}

function stepMonths(periods: string[]): number | null {
  if (periods.length < 2) return null;
  const [a, b] = periods.slice(-2) as [string, string];
  return periodIndex(b) - periodIndex(a);
}
