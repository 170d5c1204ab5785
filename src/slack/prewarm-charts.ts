// Renders every priority and measure chart once after start, one at a time, so the chart
// service's cache (keyed by data version) answers the first questions without a render.
// Sequential on purpose: it must not crowd out answers that arrive meanwhile.
import type { Store } from '../store/schema.ts';
import type { ChartRef, ChartRenderer } from './charts.ts';

export async function prewarmCharts(charts: ChartRenderer, store: Store, shouldStop: () => boolean = () => false): Promise<{ rendered: number; failed: number; ms: number }> {
  const started = performance.now();
  const refs: ChartRef[] = store.priorities.flatMap((p) => [{ kind: 'priority' as const, id: p.id }, ...p.measures.map((m) => ({ kind: 'measure' as const, id: m.id }))]);
  let rendered = 0;
  let failed = 0;
  for (const ref of refs) {
    if (shouldStop()) break;
    try {
      if (await charts.render(ref, store)) rendered += 1;
    } catch {
      failed += 1;
    }
  }
  return { rendered, failed, ms: Math.round(performance.now() - started) };
}
