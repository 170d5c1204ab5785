// The chart renderer as the Slack app sees it: the real chart service from src/charts/, loaded
// so that a broken canvas install degrades to text answers, or a stand-in; and the prewarm that
// fills the service's cache after start.
import type { AnyChartRequest, ChartRequest, RenderedChart } from '../charts/render.ts';
import type { Store } from '../store/index.ts';

/**
 * The chart service as the Slack app sees it (src/charts/service.ts is the real one). Kept as
 * an interface so the app never waits on rendering before an ack and tests can pass a fast one.
 */
export interface ChartRenderer {
  /** null: no chart for this entity (no series held). Rejects when rendering failed. */
  render(request: AnyChartRequest, store: Store, options?: { background?: boolean }): Promise<RenderedChart | null>;
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
export async function loadChartService(
  warn: (message: string) => void,
  options: { workers?: number } = {},
): Promise<ChartRenderer> {
  try {
    // Imported lazily: canvas is native, and a broken install must not stop the bot answering.
    // The renderer is loaded here as well as in the workers, so that such an install shows
    // at start, as this warning, rather than as a failed render per answer.
    // The workers are forked first, so that they start while this process loads canvas.
    const { createChartService } = await import('../charts/service.ts');
    const service: ChartRenderer = createChartService(options);
    await import('../charts/render.ts').catch(async (err: unknown) => {
      await service.close();
      throw err;
    });
    return service;
  } catch (err) {
    warn(`charts are unavailable, answers will say so: ${(err as Error).message}`);
    return noCharts;
  }
}

/**
 * Renders every priority and measure chart once after start, so the chart service's cache
 * (keyed by data version) answers the first questions without a render. As background renders:
 * an answer's chart asked for meanwhile goes ahead of every prewarm render still queued.
 */
export async function prewarmCharts(
  charts: ChartRenderer,
  store: Store,
  shouldStop: () => boolean,
): Promise<{ rendered: number; failed: number; ms: number }> {
  const started = performance.now();
  const requests: ChartRequest[] = store.priorities.flatMap((p) => [
    { kind: 'priority' as const, id: p.id },
    ...p.measures.map((m) => ({ kind: 'measure' as const, id: m.id })),
  ]);
  let rendered = 0;
  let failed = 0;
  await Promise.all(
    requests.map(async (request) => {
      try {
        if (await charts.render(request, store, { background: true })) rendered += 1;
      } catch {
        // A shutdown rejects the renders still queued: those did not fail.
        if (!shouldStop()) failed += 1;
      }
    }),
  );
  return { rendered, failed, ms: Math.round(performance.now() - started) };
}
