// The force scorecard as one image: every priority, and under it every measure with a
// sparkline of its figures, its trend and latest figure, and its MSG rank marked by band. Drawn
// by one chart.js plugin (scorecard-plugin.ts) from rows worked out here, so that the pure
// config carries every text and font size a test checks. Sized for a phone: 1080 px wide and
// no text under 24 px, so at Slack's 360 px the smallest letters are still 8 px tall.
import { shortPeriodLabel } from '../measures/computed/periods.ts';
import { rankBand } from '../measures/scorecard.ts';
import { ordinal } from '../measures/wording.ts';
import type { ChartStore } from './chart-data.ts';
import { forceDisplayName, hasChartPoints } from './chart-data.ts';
import { formatCount, formatValue, isPercentUnit } from './format.ts';
import type { Measure, SeriesPoint } from '../store/index.ts';
import type { ChartSpec, LineConfig } from './measure-config.ts';
import { shortMeasureName } from './priority-config.ts';
import { backgroundPlugin } from './plugins.ts';
import { scorecardPlugin, type ScorecardPluginOptions, type ScorecardRow } from './scorecard-plugin.ts';

export const SCORECARD_WIDTH = 1080;
/** Every font size the scorecard draws with, in px. The smallest sets legibility on a phone. */
export const SCORECARD_FONT = {
  title: 38,
  subtitle: 24,
  priority: 27,
  measure: 27,
  detail: 24,
  rank: 30,
  band: 24,
  footer: 24,
} as const;

export const SCORECARD_LAYOUT = {
  margin: 24,
  headerHeight: 150,
  priorityHeight: 56,
  rowHeight: 84,
  footerLineHeight: 32,
  sparkLeft: 650,
  sparkWidth: 230,
  rankLeft: 905,
} as const;

/** Up to this many of a measure's latest figures in its sparkline (two years of months). */
const SPARK_POINTS = 24;

/** "622 crimes", "0.302 per 1,000", "77.1%", "152 disruptions": a count where the series holds one, as answers do. */
function figure(m: Measure, point: SeriesPoint): string {
  const countUnit = m.series?.countUnit;
  if (point.count !== undefined && countUnit) return `${formatCount(point.count)} ${countUnit}`;
  const value = formatValue(point.value, m.unit);
  if (isPercentUnit(m.unit)) return value;
  return /per 1,000/.test(m.unit) ? `${value} per 1,000` : `${value} ${m.unit}`;
}

function measureRows(store: ChartStore): { rows: ScorecardRow[]; illustrative: number; latest: string | null } {
  const rows: ScorecardRow[] = [];
  let illustrative = 0;
  let latest: string | null = null;
  for (const priority of store.priorities) {
    rows.push({ kind: 'priority', name: priority.title });
    for (const m of priority.measures) {
      const points = hasChartPoints(m) ? [...m.series!.points].sort((a, b) => a.period.localeCompare(b.period)) : [];
      const last = points.at(-1);
      if (last && (!latest || last.period > latest)) latest = last.period;
      const flagged = m.series !== null && !m.series.official;
      if (flagged) illustrative += 1;
      const b = m.benchmark;
      rows.push({
        kind: 'measure',
        name: `${shortMeasureName(m.title)}${flagged ? ' *' : ''}`,
        detail: last
          ? `${m.trend.label} · ${shortPeriodLabel(last.period)}: ${figure(m, last)}`
          : `${m.trend.label} · no figures`,
        spark: points.slice(-SPARK_POINTS).map((p) => p.value),
        rank: b.status === 'published' ? `${ordinal(b.rank)}/${b.of}` : null,
        band: b.status === 'published' ? rankBand(b.rank, b.of) : null,
      });
    }
  }
  return { rows, illustrative, latest };
}

export function scorecardChartConfig(store: ChartStore): ChartSpec | null {
  const { rows, illustrative, latest } = measureRows(store);
  const measures = rows.filter((r) => r.kind === 'measure').length;
  if (measures === 0) return null;
  const forceName = forceDisplayName(store);
  const footer = [
    illustrative > 0 ? `* Illustrative series (${illustrative} of ${measures}), not official data.` : '',
    'MSG rank: 1st is best. Green: best three. Red: worst three.',
  ].filter(Boolean);
  const L = SCORECARD_LAYOUT;
  const priorities = rows.length - measures;
  const height =
    L.headerHeight +
    priorities * L.priorityHeight +
    measures * L.rowHeight +
    footer.length * L.footerLineHeight +
    2 * L.margin;
  const scorecard: ScorecardPluginOptions = {
    title: `${forceName}: ${measures} measures`,
    subtitle: [
      'Trend · latest figure · sparkline · MSG rank',
      latest ? `Figures to ${shortPeriodLabel(latest)}` : 'No figures held',
    ],
    rows,
    footer,
    fonts: SCORECARD_FONT,
    layout: SCORECARD_LAYOUT,
  };
  const config: LineConfig = {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      devicePixelRatio: 1,
      responsive: false,
      animation: false,
      plugins: {
        legend: { display: false },
        title: { display: false },
        tooltip: { enabled: false },
        scorecard,
      } as NonNullable<NonNullable<LineConfig['options']>['plugins']>,
      scales: { x: { display: false }, y: { display: false } },
    },
    plugins: [backgroundPlugin, scorecardPlugin] as LineConfig['plugins'],
  };
  return {
    kind: 'scorecard',
    id: 'force',
    width: SCORECARD_WIDTH,
    height,
    title: `${forceName} scorecard`,
    filename: 'scorecard.png',
    illustrative: illustrative > 0,
    config,
  };
}
