// What the update form offers and starts from, read from a store snapshot: the current trend
// split into its label and qualifier, the MSG position, the periods a new figure can be for,
// and the open actions that can be marked done. Pure; the Slack view is built from this.
import { findMeasure, findPriority, type Action, type Measure, type Store } from '../../store/index.ts';
import { addMonths, longPeriodLabel, periodIndex } from '../computed/periods.ts';
import { parseTrendLabel } from './trend-labels.ts';

/** Slack's checkboxes take at most 10 options. */
export const MAX_DONE_OPTIONS = 10;
/** Recent periods offered for a new figure (a correction), besides the next ones. */
const RECENT_PERIODS = 4;
const NEXT_PERIODS = 3;

export type FormTarget = { kind: 'measure' | 'priority'; id: string };

export interface PeriodOption {
  period: string;
  /** "Dec 2021", "Quarter to Nov 2021", "Year to Dec 2019". */
  label: string;
}

export interface OpenAction {
  /** 1-based position in the priority's list, as "action done: n" counts. */
  n: number;
  action: Action;
}

export interface MeasureDefaults {
  measure: Measure;
  /** One of TREND_LABELS, or null when the stored label is not on the list. */
  trend: string | null;
  qualifier: string;
  msg: { rank: number | null; relation: 'above' | 'below' | 'similar' | 'not-available' };
  groupSize: number;
  periods: PeriodOption[];
  latest: { period: string; value: number; count: number | null } | null;
  /** Whether the series holds counts beside the values (crimes beside a rate). */
  hasCounts: boolean;
}

export interface FormDefaults {
  target: FormTarget;
  title: string;
  priorityId: string;
  /** The measure whose trend, position and figures the form edits; null for a priority until one is chosen. */
  measure: MeasureDefaults | null;
  choices: { id: string; title: string }[];
  openActions: OpenAction[];
  /** Open actions left out because only 10 fit. */
  moreOpenActions: number;
}

/** The trend as the form shows it: "Stable (100%)" → Stable + "100%". */
export function splitTrend(label: string): { trend: string | null; qualifier: string } {
  const parsed = parseTrendLabel(label);
  if (!parsed.ok) return { trend: null, qualifier: '' };
  const m = /^(.*?)\s*(?:\(([^()]*)\))?$/.exec(parsed.label)!;
  return { trend: m[1]!, qualifier: m[2] ?? '' };
}

/** A series of ONS rolling years: each point is the year ending that month. */
function isRollingYear(measure: Measure): boolean {
  return /\bONS\b/.test(measure.series?.source ?? '') && measure.sourceMapping.ons.length > 0;
}

/** Months between the series' points: its own spacing where it has two, else the update interval. */
export function stepMonths(measure: Measure): number {
  const points = measure.series?.points ?? [];
  if (points.length >= 2) {
    const gap = periodIndex(points.at(-1)!.period) - periodIndex(points.at(-2)!.period);
    if (gap > 0) return gap;
  }
  return { monthly: 1, quarterly: 3, annual: 12 }[measure.updateInterval];
}

function periodLabel(measure: Measure, period: string, step: number): string {
  if (isRollingYear(measure)) return `Year to ${longPeriodLabel(period)}`;
  if (step === 3) return `Quarter to ${longPeriodLabel(period)}`;
  return longPeriodLabel(period);
}

/**
 * The series' latest few periods and the next few, never past `today`'s month (a figure for a
 * month not yet over is refused as it is in the update language). Without a series, the months
 * up to this one.
 */
export function periodOptions(measure: Measure, today: string): PeriodOption[] {
  const step = stepMonths(measure);
  const thisMonth = today.slice(0, 7);
  const held = (measure.series?.points ?? []).map((p) => p.period);
  const last = held.at(-1);
  const periods = last
    ? [
        ...held.slice(-RECENT_PERIODS),
        ...Array.from({ length: NEXT_PERIODS }, (_, i) => addMonths(last, step * (i + 1))).filter(
          (p) => p <= thisMonth,
        ),
      ]
    : Array.from({ length: RECENT_PERIODS }, (_, i) => addMonths(thisMonth, -step * (RECENT_PERIODS - 1 - i)));
  return periods.map((period) => ({ period, label: periodLabel(measure, period, step) }));
}

export function measureDefaults(store: Store, measure: Measure, today: string): MeasureDefaults {
  const latestPoint = measure.series?.points.at(-1) ?? null;
  const b = measure.benchmark;
  return {
    measure,
    ...splitTrend(measure.trend.label),
    msg: b.status === 'published' ? { rank: b.rank, relation: b.relation } : { rank: null, relation: 'not-available' },
    groupSize: store.msg.forces.length,
    periods: periodOptions(measure, today),
    latest: latestPoint
      ? { period: latestPoint.period, value: latestPoint.value, count: latestPoint.count ?? null }
      : null,
    hasCounts:
      Boolean(measure.series?.countUnit) || (measure.series?.points.some((p) => p.count !== undefined) ?? false),
  };
}

/** Open actions, the 10 oldest when there are more, in list order. */
export function openActions(actions: Action[]): { shown: OpenAction[]; more: number } {
  const open = actions.map((action, i) => ({ n: i + 1, action })).filter((a) => !a.action.done);
  const oldest = [...open]
    .sort((a, b) => Date.parse(a.action.addedAt) - Date.parse(b.action.addedAt) || a.n - b.n)
    .slice(0, MAX_DONE_OPTIONS);
  return { shown: oldest.sort((a, b) => a.n - b.n), more: open.length - oldest.length };
}

/**
 * Everything the form needs for a measure or a priority; null when the target no longer
 * exists. `measureId` chooses a priority's measure (a priority of one measure has it chosen).
 */
export function formDefaults(
  store: Store,
  target: FormTarget,
  today: string,
  measureId: string | null = null,
): FormDefaults | null {
  const found = target.kind === 'measure' ? findMeasure(store, target.id) : null;
  const priority = found ? found.priority : findPriority(store, target.id);
  if (!priority || (target.kind === 'measure' && !found)) return null;
  const chosen =
    found?.measure ??
    priority.measures.find((m) => m.id === measureId) ??
    (priority.measures.length === 1 ? priority.measures[0]! : null);
  const { shown, more } = openActions(priority.plannedActions);
  return {
    target,
    title: found ? found.measure.title : priority.title,
    priorityId: priority.id,
    measure: chosen ? measureDefaults(store, chosen, today) : null,
    choices: priority.measures.map((m) => ({ id: m.id, title: m.title })),
    openActions: shown,
    moreOpenActions: more,
  };
}
