// The chart service's queue: an answer's chart goes ahead of the prewarm's (background)
// renders still queued, and the workers run at a lower OS priority than the bot. A stand-in
// worker answers in order, at once, so no canvas is needed.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { hasChartPoints } from '../src/charts/chart-data.ts';
import type { ChartService } from '../src/charts/service.ts';
import { allMeasures } from '../src/store/index.ts';
import { instantChartServices } from './helpers/instant-charts.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const [a, b, c, d] = allMeasures(store)
  .filter(hasChartPoints)
  .map((m) => ({ kind: 'measure' as const, id: m.id }));

const startService = instantChartServices();
const oneWorker = () => startService({ workers: 1 });

/** Asks for the charts in this order and returns the ids in the order they were drawn. */
async function drawnOrder(charts: ChartService, asks: Array<{ id: string; background?: boolean }>) {
  const drawn: string[] = [];
  await Promise.all(
    asks.map(({ id, background }) =>
      charts
        .render({ kind: 'measure', id }, store, { background })
        .then(() => drawn.push(background ? id : `answer ${id}`)),
    ),
  );
  return drawn;
}

describe('the chart queue', () => {
  it('draws an answer’s chart before the prewarm renders queued ahead of it', async () => {
    const drawn = await drawnOrder(oneWorker(), [
      { id: a!.id, background: true }, // the one worker takes this at once
      { id: b!.id, background: true },
      { id: c!.id, background: true },
      { id: d!.id },
    ]);
    expect(drawn).toEqual([a!.id, `answer ${d!.id}`, b!.id, c!.id]);
  });

  it('moves a queued prewarm render ahead when an answer asks for the same chart', async () => {
    const charts = oneWorker();
    const drawn = await drawnOrder(charts, [
      { id: a!.id, background: true },
      { id: b!.id, background: true },
      { id: c!.id, background: true },
      { id: c!.id },
    ]);
    // The answer shares the prewarm's render of c, which is drawn second.
    expect(drawn.slice(0, 3)).toEqual([a!.id, c!.id, `answer ${c!.id}`]);
    expect(charts.stats).toMatchObject({ renders: 3, shared: 1 });
  });

  it.skipIf(process.platform === 'win32')('runs its workers at a lower OS priority than the bot', () => {
    const charts = oneWorker();
    const [pid] = charts.workerPids;
    expect(pid).toBeTypeOf('number');
    expect(os.getPriority(pid)).toBe(Math.min(19, os.getPriority() + 5));
  });
});
