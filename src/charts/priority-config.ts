// The priority chart: small multiples, one panel per measure with a series, stacked on one
// shared period axis (chart.js stacked y-axes), each panel with its own unit and the same
// solid-force / dashed-MSG / band encoding as the measure chart.
import { ordinal } from '../measures/wording.ts';
import { shortPeriodLabel } from '../measures/computed/periods.ts';
import { findPriority } from '../store/index.ts';
import { measureChartData, type ChartStore, type MeasureChartData } from './chart-data.ts';
import { formatValue, wrapText } from './format.ts';
import { legendOptions } from './legend.ts';
import {
  axisTitle,
  ILLUSTRATIVE_FOOTER,
  measureDatasets,
  xScale,
  yScale,
  type ChartSpec,
  type LineConfig,
  type LineDataset,
} from './measure-config.ts';
import { backgroundPlugin, footerPlugin, latestLabelPlugin, panelTitlePlugin, FOOTER_LINE_HEIGHT } from './plugins.ts';
import { COLOURS, FONT, FONT_FAMILY, PRIORITY_CHART_WIDTH } from './style.ts';

const PANEL_HEIGHT = 170;
const CHROME_HEIGHT = 175;

export function priorityChartConfig(store: ChartStore, priorityId: string): ChartSpec | null {
  const priority = findPriority(store, priorityId);
  if (!priority) return null;
  const panels = priority.measures
    .map((m) => measureChartData(store, m))
    .filter((d): d is MeasureChartData => d !== null);
  if (panels.length === 0) return null;

  // One shared category axis: the union of every panel's periods, in order.
  const periods = [...new Set(panels.flatMap((p) => p.periods))].sort();
  const datasets: LineDataset[] = [];
  const scales: Record<string, unknown> = { x: xScale(panels.every((p) => p.rollingYear)) };
  const panelTitles: { axisId: string; text: string; unit: string }[] = [];
  const latestLabels: { datasetIndex: number; text: string }[] = [];
  // chart.js stacks the first-listed axis at the bottom; list panels in reverse so the
  // first measure reads first, at the top.
  panels.forEach((panel, i) => {
    const axisId = `y${i}`;
    latestLabels.push({ datasetIndex: datasets.length, text: latestText(panel) });
    for (const dataset of measureDatasets(panel, axisId, 6)) {
      datasets.push({
        ...dataset,
        data: alignTo(periods, panel, dataset.data as (number | null)[]),
        pointRadius: alignRadius(periods, panel, dataset.pointRadius),
      });
    }
    panelTitles.push({ axisId, text: panelTitle(panel), unit: axisTitle(panel).join(' ') });
  });
  [...panels.keys()].reverse().forEach((i) => {
    scales[`y${i}`] = yScale(axisTitle(panels[i]!), panels[i]!.measure.unit, {
      stack: 'panels',
      stackWeight: 1,
      offset: true,
      // Headroom for the panel title row.
      grace: '45%',
      border: { display: true, color: COLOURS.muted },
      title: { display: false },
    });
  });

  const illustrative = panels.some((p) => !p.series.official);
  const footer = footerLines(panels);
  const height = CHROME_HEIGHT + PANEL_HEIGHT * panels.length;
  const anyPeers = panels.some((p) => p.hasPeers);
  const config: LineConfig = {
    type: 'line',
    data: { labels: periods.map(shortPeriodLabel), datasets },
    options: {
      devicePixelRatio: 1,
      responsive: false,
      animation: false,
      layout: { padding: { top: 6, right: 26, bottom: footer.length * FOOTER_LINE_HEIGHT + 10, left: 10 } },
      plugins: {
        title: {
          display: true,
          text: wrapText(priority.title, 52),
          color: COLOURS.text,
          font: { size: FONT.title, weight: 'bold', family: FONT_FAMILY },
        },
        subtitle: {
          display: true,
          text:
            `${panels[0]!.forceName} against its most similar group ` +
            `(MSG)${illustrative ? ' · ILLUSTRATIVE panels marked' : ''}`,
          color: COLOURS.muted,
          font: { size: FONT.subtitle, family: FONT_FAMILY },
          padding: { bottom: 6 },
        },
        legend: legendOptions(anyPeers),
        tooltip: { enabled: false },
        footer: { lines: footer, illustrative: false },
        panelTitles: { panels: panelTitles },
        latestLabel: { labels: latestLabels },
      } as NonNullable<NonNullable<LineConfig['options']>['plugins']>,
      scales: scales as NonNullable<LineConfig['options']>['scales'],
    },
    plugins: [backgroundPlugin, footerPlugin, panelTitlePlugin, latestLabelPlugin] as LineConfig['plugins'],
  };
  return {
    kind: 'priority',
    id: priority.id,
    width: PRIORITY_CHART_WIDTH,
    height,
    title: priority.title,
    filename: `${priority.id}.png`,
    illustrative,
    config,
  };
}

/** "Burglary · Moderate Reduction · 6th/8": short enough for one row at 360 px. */
function panelTitle(panel: MeasureChartData): string {
  const m = panel.measure;
  const b = m.benchmark.status === 'published' ? ` · ${ordinal(m.benchmark.rank)}/${m.benchmark.of}` : '';
  const flag = panel.series.official ? '' : 'ILLUSTRATIVE · ';
  return `${flag}${shortMeasureName(m.title)} · ${m.trend.label}${b}`;
}

/** "Police recorded burglary offences" → "Burglary"; long titles are cut at a word. */
export function shortMeasureName(title: string): string {
  const core = title
    .replace(/^(police recorded|number of( all)?|volume of) /i, '')
    .replace(/ offences$/i, '')
    .trim();
  const capital = core.charAt(0).toUpperCase() + core.slice(1);
  if (capital.length <= 34) return capital;
  return `${capital.slice(0, 33).replace(/\s+\S*$/, '')}…`;
}

function latestText(panel: MeasureChartData): string {
  return `${shortPeriodLabel(panel.latest.period)}: ${formatValue(panel.latest.value, panel.measure.unit)}`;
}

function alignRadius(
  periods: string[],
  panel: MeasureChartData,
  radius: LineDataset['pointRadius'],
): LineDataset['pointRadius'] {
  if (!Array.isArray(radius)) return radius;
  const byPeriod = new Map(panel.periods.map((p, i) => [p, radius[i] as number]));
  return periods.map((p) => byPeriod.get(p) ?? 0);
}

function alignTo(periods: string[], panel: MeasureChartData, values: (number | null)[]): (number | null)[] {
  const byPeriod = new Map(panel.periods.map((p, i) => [p, values[i] ?? null]));
  return periods.map((p) => byPeriod.get(p) ?? null);
}

function footerLines(panels: MeasureChartData[]): string[] {
  const official = [...new Set(panels.filter((p) => p.series.official).map((p) => p.series.source.split(',')[0]!))];
  const lines: string[] = [];
  if (official.length > 0) lines.push(...wrapText(`Source: ${official.join('; ')}.`, 100).slice(0, 2));
  const gaps = new Set(
    panels.flatMap((p) =>
      p.incompletePeriods.map((g) => `${shortPeriodLabel(g.period)}: no ${g.missing.join(', ')} data`),
    ),
  );
  if (gaps.size > 0) lines.push(`${[...gaps].slice(0, 2).join('; ')}, so no MSG average or range.`);
  if (panels.some((p) => !p.series.official)) lines.push(...wrapText(`Panels marked ${ILLUSTRATIVE_FOOTER}`, 100));
  return lines;
}
