// The digest's one chart: small multiples (a sparkline grid) of the measures that changed,
// with alt text. A pure chart.js config for src/charts' PngChartRenderer: chart.js supplies
// the canvas lifecycle and this file's plugin draws the panels, because chart.js has no grid
// of independent charts in one canvas. renderDigestChart draws it with the shared renderer.
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import type { RenderedChart } from '../charts/render.ts';
import { findMeasure, type Store } from '../store/index.ts';
import { shortPeriodLabel } from '../measures/computed/periods.ts';
import { formatValue } from '../charts/format.ts';
import { shortMeasureName } from '../charts/priority-config.ts';
import { backgroundPlugin } from '../charts/plugins.ts';
import { type Canvas2D, canvasOf } from '../charts/canvas-2d.ts';
import { COLOURS, FONT, FONT_FAMILY, OKABE_ITO } from '../charts/style.ts';
import type { Digest } from './build.ts';
import { clip } from './describe.ts';

export const SPARKLINE_POINTS = 12;
export const MAX_PANELS = 12;
const COLUMNS = 3;
const WIDTH = 800;
const PANEL = { width: 256, height: 128, gap: 8 } as const;
const TOP = 58;
const BOTTOM = 34;

export interface SparklinePanel {
  measureId: string;
  title: string;
  values: number[];
  /** "Dec 21: 0.07". */
  latest: string;
  /** From the digest's headline movement for this measure, if any. */
  direction: 'worse' | 'better' | null;
}

export interface SparklineSpec {
  width: number;
  height: number;
  title: string;
  filename: string;
  altText: string;
  panels: SparklinePanel[];
  config: ChartConfiguration<'line', number[], string>;
}

const LINE_COLOUR = { worse: OKABE_ITO.vermillion, better: OKABE_ITO.blue, none: COLOURS.muted } as const;

/** The direction of the measure's biggest movement in this digest (worse wins a tie). */
function directionOf(digest: Digest, measureId: string): SparklinePanel['direction'] {
  const moves = digest.changes.filter((c) => c.measureId === measureId && c.movement).map((c) => c.movement!);
  if (moves.length === 0) return null;
  return moves.sort((a, b) => b.size - a.size || (a.direction === 'worse' ? -1 : 1))[0]!.direction;
}

export function sparklinePanels(store: Pick<Store, 'priorities'>, digest: Digest): SparklinePanel[] {
  const panels: SparklinePanel[] = [];
  for (const id of digest.changedMeasureIds) {
    const measure = findMeasure(store, id)?.measure;
    const points = [...(measure?.series?.points ?? [])]
      .sort((a, b) => a.period.localeCompare(b.period))
      .slice(-SPARKLINE_POINTS);
    const last = points.at(-1);
    if (!measure || !last || points.length < 2) continue; // nothing to draw: never an empty panel
    panels.push({
      measureId: id,
      title: shortMeasureName(measure.title),
      values: points.map((p) => p.value),
      latest: `${shortPeriodLabel(last.period)}: ${formatValue(last.value, measure.unit)}`,
      direction: directionOf(digest, id),
    });
  }
  return panels;
}

function trendWords(values: number[]): string {
  const first = values[0]!;
  const last = values.at(-1)!;
  if (first === 0) return last === 0 ? 'flat' : 'rising from zero';
  const change = ((last - first) / Math.abs(first)) * 100;
  if (Math.abs(change) < 5) return 'roughly flat';
  return `${change > 0 ? 'up' : 'down'} ${Math.abs(Math.round(change))}% over the period shown`;
}

export function sparklineAltText(panels: SparklinePanel[], hidden: number): string {
  const parts = panels.map(
    (p) => `${p.title}: ${trendWords(p.values)}, latest ${p.latest}${p.direction ? ` (${p.direction})` : ''}`,
  );
  const more = hidden > 0 ? ` ${hidden} more changed measures are not drawn.` : '';
  const text =
    `Sparklines of the ${panels.length} measure${panels.length === 1 ? '' : 's'} that changed, ` +
    `up to ${SPARKLINE_POINTS} latest periods each. ${parts.join('; ')}.${more}`;
  return clip(text, 1000);
}

interface GridOptions {
  title: string;
  panels: SparklinePanel[];
  footer: string;
}

function fitText(ctx: Canvas2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function drawPanel(ctx: Canvas2D, panel: SparklinePanel, x: number, y: number): void {
  const { width, height } = PANEL;
  ctx.strokeStyle = COLOURS.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
  ctx.fillStyle = COLOURS.text;
  ctx.font = `bold ${FONT.footer + 1}px ${FONT_FAMILY}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fitText(ctx, panel.title, width - 16), x + 8, y + 6);

  const area = { left: x + 10, right: x + width - 12, top: y + 32, bottom: y + height - 26 };
  const min = Math.min(...panel.values);
  const max = Math.max(...panel.values);
  const span = max - min || Math.abs(max) || 1;
  const px = (i: number) => area.left + ((area.right - area.left) * i) / (panel.values.length - 1);
  const py = (v: number) => area.bottom - ((v - min) / span) * (area.bottom - area.top);
  const colour = LINE_COLOUR[panel.direction ?? 'none'];
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  panel.values.forEach((v, i) => (i === 0 ? ctx.moveTo(px(i), py(v)) : ctx.lineTo(px(i), py(v))));
  ctx.stroke();
  const last = panel.values.length - 1;
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.arc(px(last), py(panel.values[last]!), 4, 0, Math.PI * 2);
  ctx.fill();

  ctx.font = `${FONT.footer}px ${FONT_FAMILY}`;
  ctx.fillStyle = COLOURS.muted;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'left';
  ctx.fillText(panel.latest, x + 8, y + height - 5);
  if (panel.direction) {
    ctx.textAlign = 'right';
    ctx.fillStyle = colour;
    ctx.fillText(panel.direction === 'worse' ? 'worse' : 'better', x + width - 8, y + height - 5);
  }
}

const sparklineGridPlugin: Plugin<'line', GridOptions> = {
  id: 'sparklineGrid',
  afterDraw(chart: Chart, _args, options) {
    const ctx = canvasOf(chart);
    ctx.save();
    ctx.fillStyle = COLOURS.text;
    ctx.font = `bold ${FONT.subtitle + 2}px ${FONT_FAMILY}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(options.title, 12, 14);
    options.panels.forEach((panel, i) => {
      const col = i % COLUMNS;
      const row = Math.floor(i / COLUMNS);
      drawPanel(ctx, panel, 12 + col * (PANEL.width + PANEL.gap), TOP + row * (PANEL.height + PANEL.gap));
    });
    ctx.font = `${FONT.footer}px ${FONT_FAMILY}`;
    ctx.fillStyle = COLOURS.muted;
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    ctx.fillText(options.footer, 12, chart.height - 8);
    ctx.restore();
  },
};

/** null when no changed measure has figures to draw. */
export function digestChartSpec(store: Pick<Store, 'priorities'>, digest: Digest): SparklineSpec | null {
  const all = sparklinePanels(store, digest);
  if (all.length === 0) return null;
  const panels = all.slice(0, MAX_PANELS);
  const hidden = all.length - panels.length;
  const rows = Math.ceil(panels.length / COLUMNS);
  const height = TOP + rows * (PANEL.height + PANEL.gap) + BOTTOM;
  const title = 'Measures that changed';
  const footer =
    `Up to ${SPARKLINE_POINTS} latest periods each; ` +
    `the dot is the latest figure${hidden > 0 ? `; ${hidden} more changed measures not drawn` : ''}.`;
  const options: GridOptions = { title, panels, footer };
  return {
    width: WIDTH,
    height,
    title,
    filename: 'measures-digest.png',
    altText: sparklineAltText(panels, hidden),
    panels,
    config: {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        devicePixelRatio: 1,
        responsive: false,
        animation: false,
        events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false }, sparklineGrid: options } as never,
        scales: { x: { display: false }, y: { display: false } },
      },
      plugins: [backgroundPlugin, sparklineGridPlugin] as never,
    },
  };
}

export type DigestChartRenderer = (store: Store, digest: Digest) => Promise<RenderedChart | null>;

/** The renderer is imported lazily: a broken native canvas must cost the digest its chart, never the digest itself. */
export const renderDigestChart: DigestChartRenderer = async (store, digest) => {
  const spec = digestChartSpec(store, digest);
  if (!spec) return null;
  const { sharedRenderer } = await import('../charts/render.ts');
  const png = sharedRenderer().render(spec);
  return { png, altText: spec.altText, title: spec.title, filename: spec.filename };
};
