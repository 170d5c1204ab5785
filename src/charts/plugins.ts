// Small inline chart.js plugins. Each reads its text from options.plugins[<id>], so the
// pure chart config carries everything a test needs to check (footer, latest label, panels).
import type { Chart, Plugin } from 'chart.js';
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
  /** text is bold at the panel's top left; unit is muted at its top right. */
  panels: { axisId: string; text: string; unit: string }[];
}

/** A 2D context, typed loosely: the project has no DOM lib, and node-canvas matches it. */
type Ctx = {
  save(): void;
  restore(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(t: string, x: number, y: number): void;
  strokeText(t: string, x: number, y: number): void;
  measureText(t: string): { width: number };
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  lineJoin: string;
  font: string;
  textAlign: string;
  textBaseline: string;
  globalCompositeOperation: string;
};

const ctxOf = (chart: Chart) => chart.ctx as unknown as Ctx;

export const FOOTER_LINE_HEIGHT = FONT.footer + 5;

export const backgroundPlugin: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const ctx = ctxOf(chart);
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
    const ctx = ctxOf(chart);
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
    const ctx = ctxOf(chart);
    ctx.save();
    ctx.font = `bold ${FONT.latest}px ${FONT_FAMILY}`;
    const width = ctx.measureText(text).width;
    // Left of the point, above or below it: whichever box crosses fewer drawn points of any
    // series (lines, average, band edges), so the label hides as little data as possible.
    // In small multiples the label must stay inside its own panel, not the whole chart.
    const axis = chart.scales[(meta as { yAxisID?: string }).yAxisID ?? 'y'];
    const area = { left: chart.chartArea.left, top: axis?.top ?? chart.chartArea.top, bottom: axis?.bottom ?? chart.chartArea.bottom };
    const x = Math.max(area.left + width + 4, point.x - 10);
    const boxes = [
      { above: true, top: point.y - 16 - FONT.latest, bottom: point.y - 12 },
      { above: false, top: point.y + 12, bottom: point.y + 16 + FONT.latest },
    ].filter((b) => b.top >= area.top - 8 && b.bottom <= area.bottom + 2);
    const crossings = (box: { top: number; bottom: number }) => {
      let hits = 0;
      chart.data.datasets.forEach((_, i) => {
        const other = chart.getDatasetMeta(i);
        if ((other as { yAxisID?: string }).yAxisID !== (meta as { yAxisID?: string }).yAxisID) return;
        for (const el of other.data) {
          if (el.x >= x - width - 4 && el.x <= x + 4 && el.y >= box.top - 4 && el.y <= box.bottom + 4) hits++;
        }
      });
      return hits;
    };
    const best = boxes.sort((a, b) => crossings(a) - crossings(b))[0];
    const y = best ? best.bottom - 4 : point.y - 16;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'alphabetic';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 5;
    ctx.strokeStyle = COLOURS.background;
    ctx.strokeText(text, x, y);
    ctx.fillStyle = COLOURS.force;
    ctx.fillText(text, x, y);
    ctx.restore();
}

export const panelTitlePlugin: Plugin<'line', PanelTitleOptions> = {
  id: 'panelTitles',
  afterDatasetsDraw(chart, _args, options) {
    const ctx = ctxOf(chart);
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
      const titleWidth = ctx.measureText(panel.text).width;
      halo(ctx, panel.text, left, y, COLOURS.text);
      ctx.font = `${FONT.axisTitle}px ${FONT_FAMILY}`;
      // The unit sits at the right of the title row, or under the title when both won't fit.
      const unitWidth = ctx.measureText(panel.unit).width;
      const fits = left + titleWidth + 16 + unitWidth <= chart.chartArea.right;
      ctx.textAlign = fits ? 'right' : 'left';
      halo(ctx, panel.unit, fits ? chart.chartArea.right : left, fits ? y + 1 : y + FONT.panelTitle + 4, COLOURS.muted);
    }
    ctx.restore();
  },
};

function halo(ctx: Ctx, text: string, x: number, y: number, colour: string): void {
  ctx.lineWidth = 5;
  ctx.strokeStyle = COLOURS.background;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}
