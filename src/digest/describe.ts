// Display strings for net changes: the "from" and "to" a reader sees. Plain text, not
// escaped (Slack presenters escape; the CLI prints as is).
import type { Action, Comment, Measure, Store } from '../store/index.ts';
import {
  formatNumber,
  formatPercent,
  formatSigned,
  ordinal,
  periodLabel,
  relationInWords,
} from '../measures/wording.ts';
import { addMonths, intervalMonths } from '../measures/computed/periods.ts';
import type { ComputedBenchmark } from '../measures/computed/benchmark.ts';
import { asObject, figureOf, type NetChange } from './net-changes.ts';

const MAX_TEXT = 300;
export const clip = (s: string, max = MAX_TEXT) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function trendText(v: unknown): string {
  if (typeof v === 'string') return v;
  const label = asObject(v)?.label;
  return typeof label === 'string' ? label : 'none';
}

/** "3rd of 8, higher than the MSG average" or "not available". */
export function benchmarkText(v: unknown): string {
  const o = asObject(v);
  if (!o) return 'none';
  if (o.status !== 'published' || typeof o.rank !== 'number' || typeof o.of !== 'number') return 'not available';
  const relation =
    o.relation === 'above' || o.relation === 'below' || o.relation === 'similar'
      ? `, ${relationInWords(o.relation)}`
      : '';
  return `${ordinal(o.rank)} of ${o.of}${relation}`;
}

export function computedBenchmarkText(b: ComputedBenchmark | null): string {
  if (!b) return 'none';
  return `${ordinal(b.rank)} of ${b.of}, ${relationInWords(b.relation)} (computed from ${b.sourceLabel})`;
}

/** Numbers in the measure's terms: "87%" or "0.52" (the unit is named once per line, not per number). */
export function figure(value: number, measure: Pick<Measure, 'unit'>): string {
  return measure.unit.startsWith('%') ? `${formatNumber(value)}%` : formatNumber(value);
}

/** "+0.03 (+5.8%) on Oct 2021", or null without a previous period. */
export function changeOnPrevious(
  measure: Measure,
  period: string,
  value: number,
): { text: string; percent: number | null; delta: number } | null {
  const previousPeriod = addMonths(period, -intervalMonths(measure));
  const previous =
    measure.series?.points.find((p) => p.period === previousPeriod) ??
    [...(measure.series?.points ?? [])]
      .filter((p) => p.period < period)
      .sort((a, b) => a.period.localeCompare(b.period))
      .at(-1);
  if (!previous) return null;
  const delta = value - previous.value;
  const percent = previous.value !== 0 ? (delta / previous.value) * 100 : null;
  const pct = percent === null ? '' : ` (${formatPercent(Math.round(percent * 10) / 10)})`;
  return { text: `${formatSigned(delta)}${pct} on ${periodLabel(previous.period)}`, percent, delta };
}

function forceName(store: Store, slug: string): string {
  return store.msg.forces.find((f) => f.slug === slug)?.shortName ?? slug;
}

function actionText(v: unknown): string {
  const a = asObject(v) as Partial<Action> | null;
  if (!a?.text) return 'none';
  const details = [a.owner ? `owner ${a.owner}` : null, a.due ? `due ${a.due}` : null].filter(Boolean);
  return clip(`${a.text}${details.length > 0 ? ` (${details.join(', ')})` : ''}`);
}

/** from/to for one net change, measured against the store as it is now (until). */
export function fromTo(store: Store, measure: Measure | null, change: NetChange): { from: string; to: string } {
  const [, a, b] = change.field.split(':');
  switch (change.kind) {
    case 'trend':
      return { from: trendText(change.before), to: trendText(change.after) };
    case 'msg':
      return { from: benchmarkText(change.before), to: benchmarkText(change.after) };
    case 'value': {
      const period = a!;
      const before = figureOf(change.before);
      const after = figureOf(change.after);
      if (!measure) return { from: String(before ?? 'none'), to: String(after ?? 'removed') };
      if (after === null) return { from: `${periodLabel(period)}: ${figure(before!, measure)}`, to: 'removed' };
      const onPrevious = changeOnPrevious(measure, period, after);
      const to = `${periodLabel(period)}: ${figure(after, measure)}${onPrevious ? `, ${onPrevious.text}` : ''}`;
      if (before !== null) return { from: `${periodLabel(period)}: ${figure(before, measure)}`, to };
      return { from: 'no figure', to };
    }
    case 'peer': {
      const slug = a!;
      const period = b!;
      const before = figureOf(change.before);
      const after = figureOf(change.after);
      const fmt = (v: number | null) => (v === null ? 'no figure' : measure ? figure(v, measure) : String(v));
      return {
        from: `${forceName(store, slug)} ${periodLabel(period)}: ${fmt(before)}`,
        to: after === null ? 'removed' : fmt(after),
      };
    }
    case 'action-added':
      return change.after
        ? { from: 'none', to: actionText(change.after) }
        : { from: actionText(change.before), to: 'removed' };
    case 'action-done': {
      const done = Boolean(asObject(change.after)?.done);
      const text = actionText(change.after ?? change.before);
      return done ? { from: `planned: ${text}`, to: 'done' } : { from: `done: ${text}`, to: 'reopened' };
    }
    case 'comment': {
      const comment = asObject(change.after) as Partial<Comment> | null;
      if (comment?.text) return { from: 'none', to: clip(comment.text) };
      return { from: clip(String((asObject(change.before) as Partial<Comment> | null)?.text ?? '')), to: 'removed' };
    }
  }
}
