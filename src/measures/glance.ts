// The glanceable answer: what an officer reads first on a phone. The point in one headline
// line, a flag only when the figures since the report disagree with it, the planned actions
// cut short, and one line of context. Everything else is in the full answer (Details, --full).
import type { ActionView, LatestView, MeasureView, PriorityView } from './answer.ts';
import { trendLabelsAgree } from './computed/index.ts';
import { shortPeriodLabel } from './computed/periods.ts';
import { dateLabel, formatNumber, formatPercent, formatSigned, ordinal, periodLabel } from './wording.ts';

export const HEADLINE_MAX = 160;
export const COMPACT_ACTIONS_SHOWN = 3;
const ACTION_MAX = 100;

type Polarity = MeasureView['polarity'];

/**
 * Where a rank sits, in words that follow the rank and the polarity (rank 1 is always best):
 * for a measure where higher is worse, 8th of 8 is the highest rate; where higher is better, the lowest.
 */
export function rankInWords(rank: number, of: number, polarity: Polarity): string {
  const [best, worst] = polarity === 'higher-is-worse' ? ['lowest', 'highest'] : ['highest', 'lowest'];
  if (of <= 1) return 'the only force compared';
  if (rank === 1) return `${best} rate`;
  if (rank === of) return `${worst} rate`;
  if (of % 2 === 1 && rank === (of + 1) / 2) return 'middle of the group';
  // Counted from the nearer end: 6th of 8 where higher is worse is the 3rd highest rate.
  return rank <= of / 2 ? `${ordinal(rank)} ${best} rate` : `${ordinal(of - rank + 1)} ${worst} rate`;
}

/** "8th of 8 in MSG (highest rate)", or a plain "no MSG position" where none is published. */
export function msgPositionShort(m: Pick<MeasureView, 'benchmark' | 'polarity'>): string {
  if (!m.benchmark) return 'no MSG position';
  const { rank, of } = m.benchmark;
  return `${ordinal(rank)} of ${of} in MSG (${rankInWords(rank, of, m.polarity)})`;
}

/** "125 crimes", "0.302 per 1,000 residents", "77.1%": the figure without the unit's long preamble. */
function shortFigure(value: number, unit: string, count?: number, countUnit?: string): string {
  if (count !== undefined && countUnit)
    return `${formatNumber(count)} ${count === 1 ? countUnit.replace(/s$/, '') : countUnit}`;
  if (unit.startsWith('%')) return `${formatNumber(value)}%`;
  const per = unit.indexOf(' per ');
  return `${formatNumber(value)} ${per >= 0 ? unit.slice(per + 1) : unit}`;
}

/** A relative change rounded for a glance: "−1%", but "+0.4%" rather than a misleading "0%". */
function glancePercent(percent: number): string {
  const whole = Math.round(percent);
  return formatPercent(whole === 0 ? Math.round(percent * 10) / 10 : whole);
}

function changeInWords(latest: LatestView, unit: string, useCount: boolean): string | null {
  const against = latest.yearEarlier ?? (latest.previousPeriod ? { period: latest.previousPeriod } : null);
  if (!against) return null;
  const before = latest.yearEarlier
    ? { value: latest.yearEarlier.value, count: latest.yearEarlier.count }
    : { value: latest.value - (latest.change ?? 0), count: undefined as number | undefined };
  const on = `on ${shortPeriodLabel(against.period)}`;
  if (unit.startsWith('%')) {
    const points = Math.round((latest.value - before.value) * 10) / 10;
    if (points === 0) return `unchanged ${on}`;
    return `${formatSigned(points)} ${Math.abs(points) === 1 ? 'pt' : 'pts'} ${on}`;
  }
  const from = useCount && latest.yearEarlier?.count !== undefined ? latest.yearEarlier.count : before.value;
  const to = useCount && latest.yearEarlier?.count !== undefined ? latest.count! : latest.value;
  const percent = latest.yearEarlier ? (from === 0 ? null : ((to - from) / from) * 100) : latest.changePercent;
  if (to === from) return `unchanged ${on}`;
  return percent === null ? `${formatSigned(to - from)} ${on}` : `${glancePercent(percent)} ${on}`;
}

/** "Dec 21: 125 crimes, −1% on Nov 21" (against a year earlier where the series holds it). */
export function latestShort(m: Pick<MeasureView, 'latest' | 'unit' | 'countUnit'>): string {
  const latest = m.latest;
  if (!latest) return 'no figures held yet';
  const useCount = latest.count !== undefined && !!m.countUnit;
  const figure = shortFigure(latest.value, m.unit, useCount ? latest.count : undefined, m.countUnit);
  const change = changeInWords(latest, m.unit, useCount);
  return `${shortPeriodLabel(latest.period)}: ${figure}${change ? `, ${change}` : ''}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** `Stable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21`, at most 160 characters. */
export function headline(m: Pick<MeasureView, 'trend' | 'benchmark' | 'polarity' | 'latest' | 'unit' | 'countUnit'>) {
  return cut([m.trend, msgPositionShort(m), latestShort(m)].join(' · '), HEADLINE_MAX);
}

const STEADY = { increasing: 'a steady increase', reducing: 'a steady reduction', stable: 'no clear change' } as const;

/** "Since the report, the monthly figures show a large increase", only when they disagree with the label. */
export function disagreementLine(m: Pick<MeasureView, 'trend' | 'computedTrend' | 'updateInterval'>): string | null {
  const ct = m.computedTrend;
  if (!ct || trendLabelsAgree(m.trend, ct.label)) return null;
  const key = ct.label.toLowerCase();
  const what = key in STEADY ? STEADY[key as keyof typeof STEADY] : `a ${key}`;
  return `Since the report, the ${m.updateInterval} figures show ${what}`;
}

/** An action's first clause (when it says something on its own), or its first ~100 characters, with "…". */
export function actionHead(text: string): string {
  const whole = text.trim();
  const clause = whole.match(/^(.{40,}?)[,;:.](\s|$)/)?.[1];
  if (clause && clause.length <= ACTION_MAX) return clause.length < whole.length ? `${clause}…` : clause;
  if (whole.length <= ACTION_MAX) return whole;
  const cutAt = whole.lastIndexOf(' ', ACTION_MAX - 1);
  return `${whole.slice(0, cutAt > 40 ? cutAt : ACTION_MAX - 1).replace(/[\s,;:.]+$/, '')}…`;
}

function compactActionLine(a: ActionView): string {
  const extras = [
    a.owner ? `owner: ${a.owner}` : null,
    a.due ? `due ${dateLabel(a.due)}` : null,
    a.done ? 'done' : null,
  ];
  const set = extras.filter(Boolean);
  return `${a.number}. ${actionHead(a.text)}${set.length ? ` (${set.join(', ')})` : ''}`;
}

/** At most three numbered actions, each cut short, then "+N more" (the rest are in Details). */
export function compactActions(p: Pick<PriorityView, 'actions'>): { lines: string[]; more: number } {
  const shown = p.actions.slice(0, COMPACT_ACTIONS_SHOWN);
  return { lines: shown.map(compactActionLine), more: p.actions.length - shown.length };
}

/** "Data to Dec 2021 · trend set 31 Dec 2021 · Source: … · illustrative · out of date". */
export function contextLine(m: Pick<MeasureView, 'latest' | 'trendAsOf' | 'source' | 'illustrative' | 'stale'>) {
  const parts = [
    m.latest ? `Data to ${periodLabel(m.latest.period)}` : 'No figures held',
    `trend set ${dateLabel(m.trendAsOf)}`,
    `Source: ${m.source}`,
  ];
  if (m.illustrative) parts.push('illustrative');
  if (m.stale) parts.push('out of date');
  return parts.join(' · ');
}
