// Alt text for every chart: in words, what is plotted, the latest value and its change, and
// the position against the MSG (published, and computed where it differs). At most 1,000
// characters (Slack's limit for image alt text).
import { computeBenchmark, computeTrend, formatBenchmarkComparison, sourceLabel } from '../measures/computed/index.ts';
import { ordinal, relationInWords } from '../measures/wording.ts';
import { longPeriodLabel, periodRangeLabel } from '../measures/computed/periods.ts';
import { findMeasure, findPriority } from '../store/index.ts';
import {
  forceDisplayName,
  measureChartData,
  valueBasis,
  type ChartStore,
  type MeasureChartData,
} from './chart-data.ts';
import { shortMeasureName } from './priority-config.ts';
import { trendDisagreement } from './measure-config.ts';
import { formatChange, formatCount, formatValue } from './format.ts';

export const ALT_TEXT_MAX = 1000;

export function altTextForMeasure(store: ChartStore, measureId: string): string | null {
  const found = findMeasure(store, measureId);
  const data = found ? measureChartData(store, found.measure) : null;
  if (!data) return null;
  const sentences = [
    data.series.official ? '' : 'Illustrative data, not official figures.',
    `Line chart of ${data.measure.title} for ${data.forceName}, ${unitWords(data)}, ` +
      `${periodRangeLabel(data.periods[0]!, data.latest.period)} (${sourceLabel(data.series)}).`,
    data.hasPeers
      ? `A dashed line shows the average of the ${store.msg.forces.length} most similar group (MSG) ` +
        'forces and a shaded band the lowest to highest peer.'
      : 'No MSG comparison is plotted.',
    latestSentence(data),
    englandAndWalesSentence(data),
    trendSentence(data),
    msgSentence(store, data),
    data.incompletePeriods.length > 0
      ? `No MSG average for ${data.incompletePeriods.map(incompletePeriodWords).join(', ')}.`
      : '',
  ];
  return clip(sentences.filter(Boolean).join(' '));
}

export function altTextForPriority(store: ChartStore, priorityId: string): string | null {
  const priority = findPriority(store, priorityId);
  if (!priority) return null;
  const panels = priority.measures
    .map((m) => measureChartData(store, m))
    .filter((d): d is MeasureChartData => d !== null);
  if (panels.length === 0) return null;
  const illustrative = panels.filter((p) => !p.series.official).length;
  const head =
    `Small multiples for ${priority.title}: ${panels.length} panel${panels.length === 1 ? '' : 's'}, ` +
    `one per measure, on a shared period axis, each with ${panels[0]!.forceName} as a solid line` +
    (panels.some((p) => p.hasPeers)
      ? ' and, where peers exist, the MSG average dashed and the peer range shaded'
      : '') +
    '.';
  const whichPanels =
    illustrative === panels.length ? 'All panels are' : `${illustrative} panel${illustrative === 1 ? ' is' : 's are'}`;
  const flag = illustrative > 0 ? ` ${whichPanels} illustrative, not official data.` : '';
  const parts = panels.map((p) => {
    const b = p.measure.benchmark;
    const msg = b.status === 'published' ? `, MSG ${ordinal(b.rank)} of ${b.of}` : '';
    const flagged = p.series.official ? '' : ' (illustrative)';
    return (
      `${p.measure.title}${flagged}: ${formatValue(p.latest.value, p.measure.unit)} ` +
      `in ${longPeriodLabel(p.latest.period)}${changeWords(p)}; trend ${p.measure.trend.label}${msg}.`
    );
  });
  return clip([head + flag, ...parts].join(' '));
}

function englandAndWalesSentence(data: MeasureChartData): string {
  const latest = data.englandAndWales?.at(-1);
  if (latest === null || latest === undefined) return '';
  const scope = data.englandAndWalesScopes.find((s) => s.period === data.latest.period)?.scope;
  return (
    `A dotted black line shows England and Wales${scope ? ` (${scope})` : ''}: ` +
    `${formatValue(latest, data.measure.unit)} in ${longPeriodLabel(data.latest.period)}.`
  );
}

/** E.g. "Nov 2021 (no Kent data)": a period without an MSG average, and the forces it lacks. */
function incompletePeriodWords(g: MeasureChartData['incompletePeriods'][number]): string {
  return `${longPeriodLabel(g.period)} (no ${g.missing.join(', ')} data)`;
}

function unitWords(data: MeasureChartData): string {
  const basis = valueBasis(data);
  return basis ? `${data.measure.unit} ${basis}` : data.measure.unit;
}

function latestSentence(data: MeasureChartData): string {
  const unit = data.measure.unit;
  const count =
    data.latest.count !== undefined
      ? ` (${formatCount(data.latest.count)} ${data.series.countUnit ?? ''})`.replace(' )', ')')
      : '';
  return (
    `Latest, ${longPeriodLabel(data.latest.period)}: ` +
    `${formatValue(data.latest.value, unit)}${count}${changeWords(data)}.`
  );
}

function changeWords(data: MeasureChartData): string {
  if (!data.previous) return '';
  return (
    `, ${formatChange(data.latest.value - data.previous.value, data.measure.unit, data.previous.value)} ` +
    `on ${longPeriodLabel(data.previous.period)}`
  );
}

/** As the subtitle: the published label, and where the figures since disagree, what they show. */
function trendSentence(data: MeasureChartData): string {
  const computed = computeTrend(data.measure);
  const published = `Published trend: ${data.measure.trend.label}.`;
  const disagreement = trendDisagreement(data.measure);
  if (!computed || !disagreement) return published;
  return (
    `${published} ${disagreement} ` +
    `(computed from this series, ${periodRangeLabel(computed.window.from, computed.window.to)}).`
  );
}

function msgSentence(store: ChartStore, data: MeasureChartData): string {
  const b = data.measure.benchmark;
  const computed = computeBenchmark(data.measure, store);
  const differs = formatBenchmarkComparison(b, computed);
  if (b.status !== 'published') return differs ? `MSG position: ${differs}.` : 'MSG position: not available.';
  if (!differs)
    return (
      `MSG position: ${ordinal(b.rank)} of ${b.of}, ${relationInWords(b.relation)} ` +
      `(published${computed ? `; ${computed.sourceLabel} agrees` : ''}).`
    );
  // The comparison names both relations when they differ; otherwise say the shared one.
  return computed && computed.relation === b.relation
    ? `MSG position: ${differs}; both ${relationInWords(b.relation)}.`
    : `MSG position: ${differs}.`;
}

function clip(text: string): string {
  if (text.length <= ALT_TEXT_MAX) return text;
  return `${text.slice(0, ALT_TEXT_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

/**
 * The scorecard image in words: what each row shows, then every measure's trend and MSG rank.
 * At most ALT_TEXT_MAX characters, which is also what files.getUploadURLExternal allows for a
 * file's alt text (alt_txt_too_large above 1,000): when long trend labels would not fit, the
 * description shrinks first, then the measures are grouped by trend, so every one is still named.
 */
export function altTextForScorecard(store: ChartStore): string | null {
  const measures = store.priorities.flatMap((p) => p.measures);
  if (measures.length === 0) return null;
  const illustrative = measures.filter((m) => m.series && !m.series.official).length;
  const rankOf = (m: (typeof measures)[number]) =>
    m.benchmark.status === 'published' ? `${ordinal(m.benchmark.rank)}/${m.benchmark.of}` : 'no rank';
  const inOrder = `${measures.map((m) => `${shortMeasureName(m.title)}: ${m.trend.label}, ${rankOf(m)}`).join('; ')}.`;
  // The same facts grouped by trend label, which says each label once: shorter when labels repeat.
  const labels = [...new Set(measures.map((m) => m.trend.label))];
  const byTrend = `${labels
    .map(
      (label) =>
        `${label}: ${measures
          .filter((m) => m.trend.label === label)
          .map((m) => `${shortMeasureName(m.title)} (${rankOf(m)})`)
          .join(', ')}`,
    )
    .join('; ')}.`;
  const long =
    `Scorecard of ${forceDisplayName(store)}'s ${measures.length} measures, by priority. Per measure: trend, ` +
    'latest figure, a sparkline, and rank in its most similar group of forces (MSG; 1st is best).' +
    (illustrative > 0 ? ` ${illustrative} of ${measures.length} series are illustrative.` : '');
  const short = `Scorecard of ${measures.length} measures: trend and MSG rank (1st is best).`;
  const candidates = [`${long} ${inOrder}`, `${short} ${inOrder}`, `${short} By trend: ${byTrend}`];
  return clip(candidates.find((c) => c.length <= ALT_TEXT_MAX) ?? candidates.at(-1)!);
}
