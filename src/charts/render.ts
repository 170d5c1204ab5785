// In-process rendering with one reused renderer (created on first use): for the CLI's
// `--chart FILE`, tests and the workers of the chart service.
import { altTextForMeasure, altTextForPriority, altTextForScorecard } from './alt-text.ts';
import type { ChartStore } from './chart-data.ts';
import { measureChartConfig } from './measure-config.ts';
import { priorityChartConfig } from './priority-config.ts';
import { PngChartRenderer } from './renderer.ts';
import { scorecardChartConfig } from './scorecard-config.ts';

/** The chart of an answer: a measure's or a priority's. */
export interface ChartRequest {
  kind: 'measure' | 'priority';
  id: string;
}

/** The whole force's scorecard (`/measures scorecard`): one image of every measure. */
export interface ScorecardRequest {
  kind: 'scorecard';
  id: 'force';
}

export type AnyChartRequest = ChartRequest | ScorecardRequest;

export interface RenderedChart {
  png: Buffer;
  altText: string;
  filename: string;
  title: string;
}

let renderer: PngChartRenderer | null = null;

/** The one renderer of this thread; a new one per render leaks memory in chart.js + canvas. */
export function sharedRenderer(): PngChartRenderer {
  renderer ??= new PngChartRenderer();
  return renderer;
}

/** Null when there is nothing to draw (unknown id, or no series): never an empty chart. */
export function renderChart(store: ChartStore, request: AnyChartRequest): RenderedChart | null {
  const [spec, altText] =
    request.kind === 'scorecard'
      ? [scorecardChartConfig(store), altTextForScorecard(store)]
      : request.kind === 'measure'
        ? [measureChartConfig(store, request.id), altTextForMeasure(store, request.id)]
        : [priorityChartConfig(store, request.id), altTextForPriority(store, request.id)];
  if (!spec) return null;
  return {
    png: sharedRenderer().render(spec),
    altText: altText ?? spec.title,
    filename: spec.filename,
    title: spec.title,
  };
}

export function renderMeasureChart(store: ChartStore, measureId: string): { png: Buffer; altText: string } | null {
  return renderChart(store, { kind: 'measure', id: measureId });
}

export function renderPriorityChart(store: ChartStore, priorityId: string): { png: Buffer; altText: string } | null {
  return renderChart(store, { kind: 'priority', id: priorityId });
}
