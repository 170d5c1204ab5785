// The chart service as the Slack app sees it (src/charts/service.ts is the real one). Kept as
// an interface so the app never waits on rendering before an ack and tests can pass a fast one.
import type { ChartRequest, RenderedChart } from '../charts/render.ts';
import type { Store } from '../store/schema.ts';

/** A rendered PNG with its alt text and upload name: src/charts' own type. */
export type ChartImage = RenderedChart;
/** Which measure or priority to draw. */
export type ChartRef = ChartRequest;

export interface ChartRenderer {
  /** null: no chart for this entity (no series held). Rejects when rendering failed. */
  render(ref: ChartRef, store: Store): Promise<ChartImage | null>;
  close(): Promise<void> | void;
}

/** A renderer that never has a chart: answers then say "no chart available". */
export const noCharts: ChartRenderer = {
  render: async () => null,
  close: () => undefined,
};

/**
 * The real chart service from src/charts/. Loaded lazily so a broken or missing renderer
 * (native canvas) degrades to text answers with a logged reason instead of a bot that won't start.
 */
export async function loadChartService(warn: (message: string) => void, options: { workers?: number } = {}): Promise<ChartRenderer> {
  try {
    // Imported lazily: canvas is native, and a broken install must not stop the bot answering.
    const charts = await import('../charts/index.ts');
    const service: ChartRenderer = charts.createChartService(options);
    return service;
  } catch (err) {
    warn(`charts are unavailable, answers will say so: ${(err as Error).message}`);
    return noCharts;
  }
}
