// The chart service as the Slack app sees it (issue 4 builds it in src/charts/). Kept as an
// interface so the app never waits on rendering before an ack and tests can pass a fast one.
import type { Store } from '../store/schema.ts';

export interface ChartImage {
  png: Buffer;
  altText: string;
  filename: string;
  title: string;
}

export interface ChartRef {
  kind: 'measure' | 'priority';
  id: string;
}

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
export async function loadChartService(warn: (message: string) => void): Promise<ChartRenderer> {
  try {
    // A computed specifier: the app must start (without charts) even if that module is broken.
    const specifier = '../charts/index.ts';
    const charts = (await import(specifier)) as {
      createChartService?: (options?: { workers?: number }) => ChartRenderer;
      renderChart?: (store: Store, ref: ChartRef) => ChartImage | null;
    };
    if (typeof charts.createChartService === 'function') return charts.createChartService();
    if (typeof charts.renderChart === 'function') {
      // Renders on the event loop: correct, but acks wait behind renders under load.
      warn('charts: no worker-pool service (createChartService) yet; rendering in-process');
      const render = charts.renderChart;
      return { render: async (ref, store) => render(store, ref), close: () => undefined };
    }
    throw new Error('src/charts/index.ts exports neither createChartService nor renderChart');
  } catch (err) {
    warn(`charts are unavailable, answers will say so: ${(err as Error).message}`);
    return noCharts;
  }
}
