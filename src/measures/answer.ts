// The answer model: one pure function from (store, query, clock) to everything a presenter
// shows. The CLI, Slack and the tests all read these objects; none recomputes a figure.
// Slack asks through cachedAnswer, a memo of it per store snapshot.
import { DateTime } from 'luxon';
import { findMeasure, findPriority } from '../store/index.ts';
import type { Action, Benchmark, Comment, Measure, Priority, SeriesPoint, Store } from '../store/index.ts';
import { resolveQuery, type EntityRef, type TooLong } from './resolve.ts';
import { msgPositionInWords, periodLabel } from './wording.ts';
import { computeBenchmark, formatBenchmarkComparison, type ComputedBenchmark } from './computed/benchmark.ts';
import { onsComparison, type OnsComparison } from './ons-comparison.ts';
import { addMonths, intervalMonths } from './computed/periods.ts';
import { computeTrend, type ComputedTrend } from './computed/trend.ts';
import { questionTooLong } from './resolve.ts';
import { LRUCache } from 'lru-cache';

export interface BenchmarkView {
  rank: number;
  of: number;
  relation: 'above' | 'below' | 'similar';
  asOf: string;
}

export interface LatestView {
  period: string;
  value: number;
  count?: number;
  /** Change in value on the previous period; null when there is no previous period. */
  change: number | null;
  changeCount?: number | null;
  changePercent: number | null;
  previousPeriod: string | null;
  illustrative: boolean;
  /** The same period a year earlier, when the series holds it: the fairer comparison for seasonal figures. */
  yearEarlier?: { period: string; value: number; count?: number };
}

export interface StaleNote {
  latestPeriod: string;
  expectedEvery: Measure['updateInterval'];
  message: string;
}

/** Figures computed from a measure's series, shown beside the published ones and never in their place. */
export interface ComputedExtras {
  computedTrend: ComputedTrend;
  /** `comparison` reads "published 6th of 8; police.uk Jan–Nov 2021 gives 7th of 8" when the two differ. */
  computedBenchmark: ComputedBenchmark & { comparison: string | null };
}

export interface MeasureView extends Partial<ComputedExtras> {
  id: string;
  title: string;
  trend: string;
  trendAsOf: string;
  benchmark: BenchmarkView | null;
  /** The published benchmark in the report's words, or "Not available". */
  benchmarkText: string;
  msgPosition: string;
  unit: string;
  countUnit?: string;
  polarity: Measure['polarity'];
  updateInterval: Measure['updateInterval'];
  latest: LatestView | null;
  asOf: string;
  source: string;
  illustrative: boolean;
  caveats: string[];
  comments: string[];
  commentDetails: Comment[];
  stale: StaleNote | null;
  hasChart: boolean;
  /** ONS rolling-year rates for the force, its MSG and England and Wales, when an ONS edition is held. */
  onsComparison?: OnsComparison;
}

export interface ActionView {
  number: number;
  text: string;
  done: boolean;
  owner: string | null;
  due: string | null;
}

export interface PriorityView {
  id: string;
  title: string;
  plannedActions: string[];
  actions: ActionView[];
  comments: string[];
  measures: Array<
    Pick<
      MeasureView,
      | 'id'
      | 'title'
      | 'trend'
      | 'benchmark'
      | 'benchmarkText'
      | 'msgPosition'
      | 'latest'
      | 'unit'
      | 'illustrative'
      | 'stale'
      | 'polarity'
    >
  >;
}

export interface GlossaryView {
  id: string;
  term: string;
  definition: string;
  related: string[];
  relatedRefs: EntityRef[];
}

export interface ListView {
  priorities: Array<{
    id: string;
    title: string;
    measures: Array<{ id: string; title: string; trend: string; benchmark: BenchmarkView | null }>;
  }>;
}

export type Answer =
  | { kind: 'measure'; query: string; measure: MeasureView; priority: PriorityView }
  | { kind: 'priority'; query: string; priority: PriorityView }
  | { kind: 'glossary'; query: string; glossary: GlossaryView }
  | { kind: 'ambiguous'; query: string; candidates: string[]; candidateRefs: EntityRef[] }
  | { kind: 'not-found'; query: string; candidates: string[]; candidateRefs: EntityRef[]; tooLong?: TooLong }
  | { kind: 'help'; query: string }
  | ({ kind: 'list'; query: string } & ListView);

export interface AnswerOptions {
  /** The clock, for the stale-data line. */
  now?: DateTime;
}

function benchmarkView(benchmark: Benchmark): BenchmarkView | null {
  if (benchmark.status !== 'published') return null;
  return { rank: benchmark.rank, of: benchmark.of, relation: benchmark.relation, asOf: benchmark.asOf };
}

function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function latestView(measure: Measure): LatestView | null {
  const points = measure.series?.points;
  if (!points || points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a.period.localeCompare(b.period));
  const last = sorted[sorted.length - 1]!;
  const prev: SeriesPoint | undefined = sorted[sorted.length - 2];
  const view: LatestView = {
    period: last.period,
    value: last.value,
    change: prev ? round(last.value - prev.value) : null,
    changePercent: prev && prev.value !== 0 ? round(((last.value - prev.value) / prev.value) * 100, 1) : null,
    previousPeriod: prev?.period ?? null,
    illustrative: !measure.series!.official,
  };
  const yearEarlier = sorted.find((p) => p.period === addMonths(last.period, -12));
  if (yearEarlier) {
    view.yearEarlier = { period: yearEarlier.period, value: yearEarlier.value };
    if (yearEarlier.count !== undefined) view.yearEarlier.count = yearEarlier.count;
  }
  if (last.count !== undefined) {
    view.count = last.count;
    view.changeCount = prev?.count !== undefined ? last.count - prev.count : null;
  }
  return view;
}

/**
 * Data is stale when the newest period is older than two update intervals: one interval
 * for the next period to happen and one for it to be published.
 */
function staleNote(
  measure: Measure,
  latestPeriod: string | null,
  fallbackDate: string,
  now: DateTime,
): StaleNote | null {
  const interval = intervalMonths(measure);
  const endOfLatest = latestPeriod
    ? DateTime.fromFormat(latestPeriod, 'yyyy-MM', { zone: 'utc' }).endOf('month')
    : DateTime.fromISO(fallbackDate, { zone: 'utc' }).endOf('day');
  const due = endOfLatest.plus({ months: 2 * interval });
  if (now <= due) return null;
  const period = latestPeriod ?? fallbackDate.slice(0, 7);
  const age = Math.floor(now.diff(endOfLatest, 'months').months);
  const ageText = age >= 24 ? `${Math.floor(age / 12)} years` : `${age} months`;
  return {
    latestPeriod: period,
    expectedEvery: measure.updateInterval,
    message:
      `Data is out of date: the latest ${latestPeriod ? 'figures are' : 'published position is'} ` +
      `for ${periodLabel(period)}, ${ageText} ago, and this measure is expected ${measure.updateInterval}.`,
  };
}

/** What a priority's answer shows of each measure: none of the computed or ONS figures a measure's own answer adds. */
function measureSummary(measure: Measure, now: DateTime): PriorityView['measures'][number] {
  const latest = latestView(measure);
  return {
    id: measure.id,
    title: measure.title,
    trend: measure.trend.label,
    benchmark: benchmarkView(measure.benchmark),
    benchmarkText: measure.benchmark.text,
    msgPosition: msgPositionInWords(measure.benchmark),
    latest,
    unit: measure.unit,
    polarity: measure.polarity,
    illustrative: measure.series ? !measure.series.official : false,
    stale: staleNote(measure, latest?.period ?? null, measure.trend.asOf, now),
  };
}

function computeMeasureExtras(store: Store, measure: Measure): Partial<ComputedExtras> {
  const extras: Partial<ComputedExtras> = {};
  const trend = computeTrend(measure);
  if (trend) extras.computedTrend = trend;
  const benchmark = computeBenchmark(measure, store);
  if (benchmark)
    extras.computedBenchmark = { ...benchmark, comparison: formatBenchmarkComparison(measure.benchmark, benchmark) };
  return extras;
}

function measureView(store: Store, measure: Measure, now: DateTime): MeasureView {
  const summary = measureSummary(measure, now);
  const latest = summary.latest;
  const asOfCandidates = [measure.trend.asOf, measure.benchmark.asOf];
  if (latest)
    asOfCandidates.push(DateTime.fromFormat(latest.period, 'yyyy-MM', { zone: 'utc' }).endOf('month').toISODate()!);
  const asOf = asOfCandidates.sort().at(-1)!;
  const extras = computeMeasureExtras(store, measure);
  const view: MeasureView = {
    id: measure.id,
    title: measure.title,
    trend: summary.trend,
    trendAsOf: measure.trend.asOf,
    benchmark: summary.benchmark,
    benchmarkText: summary.benchmarkText,
    msgPosition: summary.msgPosition,
    unit: summary.unit,
    polarity: measure.polarity,
    updateInterval: measure.updateInterval,
    latest,
    asOf,
    source: measure.series ? measure.series.source : store.report.source,
    illustrative: summary.illustrative,
    caveats: measure.series?.caveats ?? [],
    comments: measure.comments.map((c) => c.text),
    commentDetails: measure.comments,
    stale: summary.stale,
    hasChart: (measure.series?.points.length ?? 0) > 0,
    ...extras,
  };
  if (measure.series?.countUnit) view.countUnit = measure.series.countUnit;
  const ons = onsComparison(store, measure);
  if (ons && ons.force.rate !== null) view.onsComparison = ons;
  return view;
}

function actionView(action: Action, index: number): ActionView {
  return { number: index + 1, text: action.text, done: action.done, owner: action.owner, due: action.due };
}

function priorityView(priority: Priority, now: DateTime): PriorityView {
  return {
    id: priority.id,
    title: priority.title,
    plannedActions: priority.plannedActions.map((a) => a.text),
    actions: priority.plannedActions.map(actionView),
    comments: priority.comments.map((c) => c.text),
    measures: priority.measures.map((m) => measureSummary(m, now)),
  };
}

export function listView(store: Store): ListView {
  return {
    priorities: store.priorities.map((p) => ({
      id: p.id,
      title: p.title,
      measures: p.measures.map((m) => ({
        id: m.id,
        title: m.title,
        trend: m.trend.label,
        benchmark: benchmarkView(m.benchmark),
      })),
    })),
  };
}

/** The answer for an entity already chosen (a button click, a thread's binding). */
export function answerFor(
  store: Store,
  ref: Pick<EntityRef, 'kind' | 'id'>,
  query = '',
  options: AnswerOptions = {},
): Answer | null {
  const now = options.now ?? DateTime.utc();
  if (ref.kind === 'measure') {
    const found = findMeasure(store, ref.id);
    if (!found) return null;
    return {
      kind: 'measure',
      query,
      measure: measureView(store, found.measure, now),
      priority: priorityView(found.priority, now),
    };
  }
  if (ref.kind === 'priority') {
    const priority = findPriority(store, ref.id);
    return priority ? { kind: 'priority', query, priority: priorityView(priority, now) } : null;
  }
  const term = store.glossary.find((g) => g.id === ref.id);
  if (!term) return null;
  const relatedRefs: EntityRef[] = [
    ...term.related.priorities.flatMap((id) => {
      const p = findPriority(store, id);
      return p ? [{ kind: 'priority' as const, id, title: p.title }] : [];
    }),
    ...term.related.measures.flatMap((id) => {
      const m = findMeasure(store, id);
      return m ? [{ kind: 'measure' as const, id, title: m.measure.title }] : [];
    }),
  ];
  return {
    kind: 'glossary',
    query,
    glossary: {
      id: term.id,
      term: term.term,
      definition: term.definition,
      related: relatedRefs.map((r) => r.title),
      relatedRefs,
    },
  };
}

export function buildAnswer(store: Store, query: string, options: AnswerOptions = {}): Answer {
  const resolution = resolveQuery(store, query);
  switch (resolution.kind) {
    case 'help':
      return { kind: 'help', query };
    case 'list':
      return { kind: 'list', query, ...listView(store) };
    case 'ambiguous':
      return {
        kind: resolution.kind,
        query,
        candidates: resolution.candidates.map((c) => c.title),
        candidateRefs: resolution.candidates,
      };
    case 'not-found': {
      const candidates = {
        candidates: resolution.candidates.map((c) => c.title),
        candidateRefs: resolution.candidates,
      };
      // A question refused for its length is not echoed back whole: only as much as is ever read.
      if (resolution.tooLong)
        return {
          kind: 'not-found',
          query: `${query.trim().slice(0, resolution.tooLong.limit)}…`,
          ...candidates,
          tooLong: resolution.tooLong,
        };
      return { kind: 'not-found', query, ...candidates };
    }
    default:
      return answerFor(store, resolution.ref, query, options)!;
  }
}

// Answers are pure functions of (store snapshot, question, day): officers ask about the same
// few measures over and over, and building one costs a few milliseconds of event-loop time
// that other acks wait behind. The memo follows the snapshot object, so any store change
// (a write, a reload) starts it afresh.
const ANSWERS_PER_SNAPSHOT = 500;
const answersBySnapshot = new WeakMap<Store, LRUCache<string, Answer>>();

/**
 * buildAnswer, memoised per snapshot, question and UTC day (the stale-data note depends on
 * the day). Treat the result as read-only.
 */
export function cachedAnswer(store: Store, query: string, now: Date): Answer {
  // A question too long to be read is refused at once; keeping megabytes as a key would not pay.
  if (questionTooLong(query)) return buildAnswer(store, query, { now: DateTime.fromJSDate(now) });
  let answers = answersBySnapshot.get(store);
  if (!answers) {
    answers = new LRUCache({ max: ANSWERS_PER_SNAPSHOT });
    answersBySnapshot.set(store, answers);
  }
  const key = `${now.toISOString().slice(0, 10)}\n${query}`;
  const hit = answers.get(key);
  if (hit) return hit;
  const answer = buildAnswer(store, query, { now: DateTime.fromJSDate(now) });
  answers.set(key, answer);
  return answer;
}
