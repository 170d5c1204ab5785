// The measure chart as a pure chart.js configuration: the force as a solid line, the MSG
// average dashed, the lowest–highest peer band behind them, the latest point marked and
// labelled, the trend in the title, the unit on the y-axis and the source in the footer.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { computeTrend } from '../measures/computed/index.ts';
import { shortPeriodLabel } from '../measures/computed/periods.ts';
import { disagreementLine } from '../measures/glance.ts';
import { ordinal, relationInWords } from '../measures/wording.ts';
import { findMeasure, type Measure } from '../store/index.ts';
import { measureChartData, valueBasis, type ChartStore, type MeasureChartData } from './chart-data.ts';
import { formatValue, isPercentUnit, wrapText } from './format.ts';
import { legendOptions, type LegendRole } from './legend.ts';
import {
  backgroundPlugin,
  footerPlugin,
  latestLabelPlugin,
  FOOTER_LINE_HEIGHT,
  type FooterOptions,
  type LatestLabelOptions,
} from './plugins.ts';
import { COLOURS, ENGLAND_AND_WALES_DASH, FONT, FONT_FAMILY, MEASURE_CHART_SIZE, MSG_DASH } from './style.ts';

export type LineConfig = ChartConfiguration<'line', (number | null)[], string>;
/** Options for the built-in and our own plugins (footer, latestLabel, panelTitles). */
type ChartPlugins = NonNullable<NonNullable<LineConfig['options']>['plugins']>;
export type LineDataset = ChartDataset<'line', (number | null)[]> & { legendRole?: LegendRole };

export interface ChartSpec {
  kind: 'measure' | 'priority' | 'scorecard';
  id: string;
  width: number;
  height: number;
  /** Plain-text title, e.g. for a Slack file upload. */
  title: string;
  filename: string;
  illustrative: boolean;
  config: LineConfig;
}

export const ILLUSTRATIVE_FOOTER =
  "ILLUSTRATIVE DATA, not official: generated to reproduce the report's published trend and MSG position.";

export function measureChartConfig(store: ChartStore, measureId: string): ChartSpec | null {
  const found = findMeasure(store, measureId);
  if (!found) return null;
  const data = measureChartData(store, found.measure);
  if (!data) return null;
  const { measure } = data;
  const illustrative = !data.series.official;
  const footer = footerLines(data);
  const datasets = measureDatasets(data, 'y');
  const latestText = `${shortPeriodLabel(data.latest.period)}: ${formatValue(data.latest.value, measure.unit)}`;
  const titleLines = wrapText(measure.title, 52);
  const subtitle = subtitleText(measure, illustrative);
  const config: LineConfig = {
    type: 'line',
    data: { labels: data.periods.map(shortPeriodLabel), datasets },
    options: {
      devicePixelRatio: 1,
      responsive: false,
      animation: false,
      layout: { padding: { top: 6, right: 26, bottom: footer.lines.length * FOOTER_LINE_HEIGHT + 10, left: 10 } },
      plugins: {
        title: {
          display: true,
          text: titleLines,
          color: COLOURS.text,
          font: { size: FONT.title, weight: 'bold', family: FONT_FAMILY },
          padding: { top: 4, bottom: 2 },
        },
        subtitle: {
          display: true,
          text: subtitle.length === 1 ? subtitle[0]! : subtitle,
          color: illustrative ? COLOURS.illustrative : COLOURS.muted,
          font: { size: FONT.subtitle, family: FONT_FAMILY, weight: illustrative ? 'bold' : 'normal' },
          padding: { bottom: 6 },
        },
        legend: legendOptions(data.hasPeers || data.englandAndWales !== null),
        tooltip: { enabled: false },
        footer,
        latestLabel: { labels: [{ datasetIndex: 0, text: latestText }] },
      } as ChartPlugins,
      scales: {
        x: xScale(data.rollingYear),
        y: yScale(axisTitle(data), measure.unit),
      },
    },
    plugins: [backgroundPlugin, footerPlugin, latestLabelPlugin] as LineConfig['plugins'],
  };
  return {
    kind: 'measure',
    id: measure.id,
    width: MEASURE_CHART_SIZE.width,
    // England and Wales takes the legend to a second row and the footer to a third line.
    height: MEASURE_CHART_SIZE.height + (data.englandAndWales ? 50 : 0),
    title: `${measure.title}: ${measure.trend.label}${illustrative ? ' (illustrative data)' : ''}`,
    filename: `${measure.id}-${data.latest.period}.png`,
    illustrative,
    config,
  };
}

/** Force, MSG average, band top, band bottom; the force first so it draws on top. */
export function measureDatasets(data: MeasureChartData, axisId: string, latestRadius = 7): LineDataset[] {
  const sparse =
    data.periods.length <= 12 &&
    !data.periods.every((_, i) => i === 0 || monthsApart(data.periods[i - 1]!, data.periods[i]!) === 1);
  const pointRadius = data.force.map((_, i) => (i === data.force.length - 1 ? latestRadius : sparse ? 3 : 0));
  const datasets: LineDataset[] = [
    {
      label: data.forceName,
      data: data.force,
      yAxisID: axisId,
      borderColor: COLOURS.force,
      backgroundColor: COLOURS.force,
      borderWidth: 4,
      pointRadius,
      pointBackgroundColor: COLOURS.force,
      pointBorderColor: COLOURS.background,
      pointBorderWidth: 2,
      tension: 0,
      spanGaps: true,
      fill: false,
      legendRole: 'line',
    },
  ];
  // England and Wales goes last, so the MSG band still fills to the dataset after it.
  const reference = data.englandAndWales ? [englandAndWalesDataset(data.englandAndWales, axisId)] : [];
  if (!data.hasPeers) return [...datasets, ...reference];
  datasets.push(
    {
      label: 'MSG average',
      data: data.msgAverage,
      yAxisID: axisId,
      borderColor: COLOURS.msgAverage,
      backgroundColor: COLOURS.msgAverage,
      borderWidth: 3,
      borderDash: MSG_DASH,
      pointRadius: 0,
      tension: 0,
      spanGaps: false,
      fill: false,
      legendRole: 'line',
    },
    {
      label: 'MSG range',
      data: data.peerMax,
      yAxisID: axisId,
      borderWidth: 0,
      borderColor: 'rgba(0,0,0,0)',
      backgroundColor: COLOURS.msgBand,
      pointRadius: 0,
      tension: 0,
      spanGaps: false,
      // Filled down to the lowest-peer dataset that follows it.
      fill: { target: '+1' },
      legendRole: 'band',
    },
    {
      label: 'MSG lowest peer',
      data: data.peerMin,
      yAxisID: axisId,
      borderWidth: 0,
      borderColor: 'rgba(0,0,0,0)',
      backgroundColor: COLOURS.msgBand,
      pointRadius: 0,
      tension: 0,
      spanGaps: false,
      fill: false,
      legendRole: 'none',
    },
  );
  return [...datasets, ...reference];
}

function englandAndWalesDataset(values: (number | null)[], axisId: string): LineDataset {
  return {
    label: 'England and Wales',
    data: values,
    yAxisID: axisId,
    borderColor: COLOURS.englandAndWales,
    backgroundColor: COLOURS.englandAndWales,
    borderWidth: 2.5,
    borderDash: ENGLAND_AND_WALES_DASH,
    // Only some editions are held: mark the ones there are and join across the gaps.
    pointRadius: 3,
    pointStyle: 'rect',
    tension: 0,
    spanGaps: true,
    fill: false,
    legendRole: 'line',
  };
}

function monthsApart(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

/** 19 px subtitle text fits about 68 characters across the 800 px chart (360 px in Slack's preview). */
export const SUBTITLE_LINE_MAX = 68;

/**
 * One line, "Trend: Stable · MSG 8th of 8, higher than average"; or, where the figures since the
 * report disagree with the published label, that label named as published and a second line saying
 * what the figures show, so the chart never calls a line that rose sharply "Stable" unqualified.
 */
export function subtitleText(measure: Measure, illustrative: boolean): string[] {
  const b = measure.benchmark;
  const msg =
    b.status === 'published'
      ? `MSG ${ordinal(b.rank)} of ${b.of}, ${relationInWords(b.relation).replace(' the MSG', '')}`
      : 'MSG position not available';
  const flag = illustrative ? 'ILLUSTRATIVE · ' : '';
  const disagreement = trendDisagreement(measure);
  if (!disagreement) return [`${flag}Trend: ${measure.trend.label} · ${msg}`];
  return [`${flag}Published trend: ${measure.trend.label} · ${msg}`, ...wrapText(disagreement, SUBTITLE_LINE_MAX)];
}

/** "Since the report, the monthly figures show a large increase", or null where they agree with the label. */
export function trendDisagreement(measure: Measure): string | null {
  return disagreementLine({
    trend: measure.trend.label,
    computedTrend: computeTrend(measure) ?? undefined,
    updateInterval: measure.updateInterval,
  });
}

export function axisTitle(data: MeasureChartData): string[] {
  const basis = valueBasis(data);
  return wrapText(basis ? `${data.measure.unit}, ${basis}` : data.measure.unit, 22);
}

function footerLines(data: MeasureChartData): FooterOptions {
  const illustrative = !data.series.official;
  if (illustrative) return { lines: wrapText(ILLUSTRATIVE_FOOTER, 100), illustrative };
  const lines = wrapText(`Source: ${data.series.source}.`, 100).slice(0, 2);
  for (const gap of data.incompletePeriods.slice(0, 1)) {
    lines.push(`${shortPeriodLabel(gap.period)}: no ${gap.missing.join(', ')} data, so no MSG average or range.`);
  }
  for (const s of data.englandAndWalesScopes.slice(0, 1))
    lines.push(`England and Wales, ${shortPeriodLabel(s.period)}: ${s.scope}.`);
  return { lines, illustrative };
}

export function xScale(rollingYear: boolean) {
  return {
    grid: { display: false },
    border: { color: COLOURS.muted },
    ticks: {
      color: COLOURS.text,
      font: { size: FONT.ticks, family: FONT_FAMILY },
      maxRotation: 0,
      autoSkip: true,
      autoSkipPadding: 18,
    },
    title: rollingYear
      ? {
          display: true,
          text: '12 months ending',
          color: COLOURS.muted,
          font: { size: FONT.axisTitle, family: FONT_FAMILY },
        }
      : { display: false },
  };
}

export function yScale(title: string[], unit: string, extra: Record<string, unknown> = {}) {
  return {
    beginAtZero: true,
    grace: '12%',
    border: { display: false },
    grid: { color: COLOURS.grid, drawTicks: false },
    ticks: {
      color: COLOURS.text,
      font: { size: FONT.ticks, family: FONT_FAMILY },
      maxTicksLimit: 4,
      padding: 8,
      // A percentage above 100 is impossible: headroom there stays unlabelled.
      callback: (value: number | string) =>
        isPercentUnit(unit) && Number(value) > 100 ? null : formatValue(Number(value), unit),
    },
    title: { display: true, text: title, color: COLOURS.muted, font: { size: FONT.axisTitle, family: FONT_FAMILY } },
    ...extra,
  };
}

export type { LatestLabelOptions };
