// Every measure's chart for the report: the same PNGs the bot posts, from the same worker pool,
// all asked for at once so the pool's workers share them out.
import type { Store } from '../store/index.ts';
import type { ChartService } from '../charts/service.ts';
import type { ReportModel } from './model.ts';
import { withoutOpaqueAlpha } from './opaque-png.ts';

export interface ReportChart {
  /** The chart's pixels; re-encoded without an alpha channel when every pixel is opaque (opaque-png.ts). */
  png: Buffer;
  altText: string;
}

export async function renderReportCharts(
  model: ReportModel,
  store: Store,
  charts: Pick<ChartService, 'render'>,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<Map<string, ReportChart>> {
  const ids = model.priorities.flatMap((p) => p.measures.filter((m) => m.hasChart).map((m) => m.id));
  const out = new Map<string, ReportChart>();
  let done = 0;
  progress(0, ids.length);
  await Promise.all(
    ids.map(async (id) => {
      const chart = await charts.render({ kind: 'measure', id }, store);
      if (chart) out.set(id, { png: await withoutOpaqueAlpha(chart.png), altText: chart.altText });
      progress(++done, ids.length);
    }),
  );
  return out;
}
