// Draws the scorecard (scorecard-config.ts works out what): a title, then per priority a
// heading and per measure a row of name, trend and latest figure, a sparkline, and the MSG
// rank in the band's colour with the band in words (colour is never the only cue).
import type { Chart, Plugin } from 'chart.js';
import type { RankBand } from '../measures/scorecard.ts';
import { type Canvas2D, canvasOf } from './canvas-2d.ts';
import { COLOURS, FONT_FAMILY, OKABE_ITO } from './style.ts';

export interface ScorecardRow {
  kind: 'priority' | 'measure';
  /** The priority's title, or the measure's short name ("*" marks an illustrative series). */
  name: string;
  /** measure rows: "Stable · Dec 21: 0.302". */
  detail?: string;
  /** measure rows: the figures to draw, oldest first. */
  spark?: number[];
  /** measure rows: "8th/8", or null when no MSG position is published. */
  rank?: string | null;
  band?: RankBand | null;
}

export interface ScorecardPluginOptions {
  title: string;
  subtitle: string[];
  rows: ScorecardRow[];
  footer: string[];
  fonts: Record<'title' | 'subtitle' | 'priority' | 'measure' | 'detail' | 'rank' | 'band' | 'footer', number>;
  layout: Record<
    | 'margin'
    | 'headerHeight'
    | 'priorityHeight'
    | 'rowHeight'
    | 'footerLineHeight'
    | 'sparkLeft'
    | 'sparkWidth'
    | 'rankLeft',
    number
  >;
}

const BAND_COLOUR: Record<RankBand, string> = {
  best: '#007A5A', // Okabe–Ito bluish green, darkened for text contrast on white
  middle: COLOURS.muted,
  worst: '#B34700', // Okabe–Ito vermillion, darkened likewise
};
const BAND_WORDS: Record<RankBand, string> = { best: 'best 3', middle: 'middle', worst: 'worst 3' };

const font = (size: number, bold = false) => `${bold ? 'bold ' : ''}${size}px ${FONT_FAMILY}`;

/** `text` cut with "…" to fit `width` px in the context's current font. */
function fit(ctx: Canvas2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

function sparkline(ctx: Canvas2D, values: number[], box: { x: number; y: number; w: number; h: number }): void {
  if (values.length === 0) return;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  // A flat series (a constant 100%) sits in the middle rather than on an edge.
  const yOf = (v: number) => (span === 0 ? box.y + box.h / 2 : box.y + box.h - ((v - min) / span) * box.h);
  const xOf = (i: number) => (values.length === 1 ? box.x + box.w : box.x + (i / (values.length - 1)) * box.w);
  ctx.strokeStyle = OKABE_ITO.blue;
  ctx.lineWidth = 3;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  values.forEach((v, i) => (i === 0 ? ctx.moveTo(xOf(i), yOf(v)) : ctx.lineTo(xOf(i), yOf(v))));
  ctx.stroke();
  ctx.fillStyle = OKABE_ITO.blue;
  ctx.beginPath();
  ctx.arc(xOf(values.length - 1), yOf(values.at(-1)!), 6, 0, Math.PI * 2);
  ctx.fill();
}

export const scorecardPlugin: Plugin<'line', ScorecardPluginOptions> = {
  id: 'scorecard',
  afterDraw(chart: Chart, _args, o) {
    const ctx = canvasOf(chart);
    const { fonts: F, layout: L } = o;
    const right = chart.width - L.margin;
    ctx.save();
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    let y = L.margin;
    ctx.fillStyle = COLOURS.text;
    ctx.font = font(F.title, true);
    ctx.fillText(fit(ctx, o.title, right - L.margin), L.margin, y + F.title);
    ctx.font = font(F.subtitle);
    ctx.fillStyle = COLOURS.muted;
    o.subtitle.forEach((line, i) => ctx.fillText(line, L.margin, y + F.title + 14 + (i + 1) * (F.subtitle + 8)));
    y += L.headerHeight;
    for (const row of o.rows) {
      if (row.kind === 'priority') {
        ctx.fillStyle = COLOURS.text;
        ctx.fillRect(L.margin, y + 4, right - L.margin, 3);
        ctx.font = font(F.priority, true);
        ctx.fillText(fit(ctx, row.name, right - L.margin), L.margin, y + 14 + F.priority);
        y += L.priorityHeight;
        continue;
      }
      const textWidth = L.sparkLeft - 20 - L.margin;
      ctx.fillStyle = COLOURS.text;
      ctx.font = font(F.measure, true);
      ctx.fillText(fit(ctx, row.name, textWidth), L.margin, y + 8 + F.measure);
      ctx.fillStyle = COLOURS.muted;
      ctx.font = font(F.detail);
      ctx.fillText(fit(ctx, row.detail ?? '', textWidth), L.margin, y + 8 + F.measure + 8 + F.detail);
      sparkline(ctx, row.spark ?? [], { x: L.sparkLeft, y: y + 14, w: L.sparkWidth, h: L.rowHeight - 28 });
      if (row.rank && row.band) {
        ctx.fillStyle = BAND_COLOUR[row.band];
        ctx.font = font(F.rank, true);
        ctx.fillText(row.rank, L.rankLeft, y + 8 + F.rank);
        ctx.font = font(F.band, row.band !== 'middle');
        ctx.fillText(BAND_WORDS[row.band], L.rankLeft, y + 8 + F.rank + 6 + F.band);
      } else {
        ctx.fillStyle = COLOURS.muted;
        ctx.font = font(F.band);
        ctx.fillText('no MSG', L.rankLeft, y + 8 + F.rank);
        ctx.fillText('rank', L.rankLeft, y + 8 + F.rank + 6 + F.band);
      }
      ctx.fillStyle = COLOURS.grid;
      ctx.fillRect(L.margin, y + L.rowHeight - 1, right - L.margin, 1);
      y += L.rowHeight;
    }
    ctx.fillStyle = COLOURS.muted;
    ctx.font = font(F.footer);
    y += L.margin / 2;
    o.footer.forEach((line, i) =>
      ctx.fillText(fit(ctx, line, right - L.margin), L.margin, y + (i + 1) * L.footerLineHeight),
    );
    ctx.restore();
  },
};
