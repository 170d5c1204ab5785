// Small inline chart.js plugins. Each reads its text from options.plugins[<id>], so the
// pure chart config carries everything a test needs to check (footer, latest label, panels).
import type { Chart, Plugin } from 'chart.js';
import { type Canvas2D, canvasOf } from './canvas-2d.ts';
import { COLOURS, FONT, FONT_FAMILY } from './style.ts';

export interface FooterOptions {
  lines: string[];
  /** Illustrative series are flagged in a warm colour as well as in words. */
  illustrative: boolean;
}

export interface LatestLabelOptions {
  labels: { datasetIndex: number; text: string }[];
}

export interface PanelTitleOptions {
  /** text is bold at the panel's top left; unit is muted under it. */
  panels: { axisId: string; text: string; unit: string }[];
}

export const FOOTER_LINE_HEIGHT = FONT.footer + 5;

export const backgroundPlugin: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const ctx = canvasOf(chart);
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = COLOURS.background;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export const footerPlugin: Plugin<'line', FooterOptions> = {
  id: 'footer',
  afterDraw(chart, _args, options) {
    const lines = options.lines ?? [];
    const ctx = canvasOf(chart);
    ctx.save();
    ctx.font = `${FONT.footer}px ${FONT_FAMILY}`;
    ctx.fillStyle = options.illustrative ? COLOURS.illustrative : COLOURS.muted;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    lines.forEach((line, i) => {
      ctx.fillText(line, 12, chart.height - 8 - (lines.length - 1 - i) * FOOTER_LINE_HEIGHT);
    });
    ctx.restore();
  },
};

export const latestLabelPlugin: Plugin<'line', LatestLabelOptions> = {
  id: 'latestLabel',
  afterDatasetsDraw(chart, _args, options) {
    for (const label of options.labels ?? []) drawLatestLabel(chart, label.datasetIndex, label.text);
  },
};

function drawLatestLabel(chart: Chart, datasetIndex: number, text: string): void {
  const meta = chart.getDatasetMeta(datasetIndex);
  const data = chart.data.datasets[datasetIndex]?.data ?? [];
  let index = data.length - 1;
  while (index >= 0 && (data[index] === null || data[index] === undefined)) index--;
  const point = meta.data[index];
  if (!point) return;
  const ctx = canvasOf(chart);
  ctx.save();
  ctx.font = `bold ${FONT.latest}px ${FONT_FAMILY}`;
  const width = ctx.measureText(text).width;
  // Left of the point, clear of every series drawn under the label's span: above the
  // highest or below the lowest point there (lines enter the span from the left, so the
  // span is widened by one step), whichever is nearer the latest point and fits the panel.
  const axis = chart.scales[(meta as { yAxisID?: string }).yAxisID ?? 'y'];
  const area = {
    left: chart.chartArea.left,
    top: axis?.top ?? chart.chartArea.top,
    bottom: axis?.bottom ?? chart.chartArea.bottom,
  };
  const x = Math.max(area.left + width + 4, point.x - 10);
  const step = index > 0 && meta.data[index - 1] ? point.x - meta.data[index - 1]!.x : 0;
  let highest = point.y;
  let lowest = point.y;
  chart.data.datasets.forEach((_, i) => {
    const other = chart.getDatasetMeta(i);
    if ((other as { yAxisID?: string }).yAxisID !== (meta as { yAxisID?: string }).yAxisID) return;
    other.data.forEach((el, j) => {
      if (el.x < x - width - 4 - step || el.x > x + 4 || !Number.isFinite(el.y)) return;
      if ((chart.data.datasets[i]!.data[j] ?? null) === null) return;
      highest = Math.min(highest, el.y);
      lowest = Math.max(lowest, el.y);
    });
  });
  const candidates = [
    { y: highest - 12, fits: highest - 12 - FONT.latest >= area.top - 4 },
    { y: lowest + 12 + FONT.latest, fits: lowest + 12 + FONT.latest <= area.bottom },
  ].filter((c) => c.fits);
  candidates.sort((a, b) => Math.abs(a.y - point.y) - Math.abs(b.y - point.y));
  const y = candidates[0]?.y ?? point.y - 14;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'alphabetic';
  // A translucent white plate, not a stroked halo: stroking text costs ~1 ms a label in cairo.
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(x - width - 3, y - FONT.latest + 1, width + 6, FONT.latest + 4);
  ctx.fillStyle = COLOURS.force;
  ctx.fillText(text, x, y);
  ctx.restore();
}

export const panelTitlePlugin: Plugin<'line', PanelTitleOptions> = {
  id: 'panelTitles',
  afterDatasetsDraw(chart, _args, options) {
    const ctx = canvasOf(chart);
    ctx.save();
    ctx.font = `bold ${FONT.panelTitle}px ${FONT_FAMILY}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.lineJoin = 'round';
    for (const panel of options.panels ?? []) {
      const scale = chart.scales[panel.axisId];
      if (!scale) continue;
      const y = scale.top + 4;
      ctx.font = `bold ${FONT.panelTitle}px ${FONT_FAMILY}`;
      ctx.textAlign = 'left';
      const left = chart.chartArea.left + 8;
      halo(ctx, panel.text, left, y, COLOURS.text);
      ctx.font = `${FONT.axisTitle}px ${FONT_FAMILY}`;
      // The unit goes under the title, the same in every panel, where the y-axis title would
      // be too long to read sideways in a short panel.
      ctx.textAlign = 'left';
      halo(ctx, panel.unit, left, y + FONT.panelTitle + 4, COLOURS.muted);
    }
    ctx.restore();
  },
};

/** Text on a translucent white plate (textAlign left, textBaseline top), so lines behind stay faintly visible. */
function halo(ctx: Canvas2D, text: string, x: number, y: number, colour: string): void {
  const width = ctx.measureText(text).width;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(x - 3, y - 2, width + 6, FONT.panelTitle + 4);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}
