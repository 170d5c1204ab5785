// The chart service's PNG cache: least recently used charts are dropped first, and a cache
// size of 0 turns the cache off. A stand-in worker answers at once, so no canvas is needed.
import { describe, expect, it } from 'vitest';
import { hasChartPoints } from '../src/charts/chart-data.ts';
import { allMeasures } from '../src/store/index.ts';
import { instantChartServices } from './helpers/instant-charts.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const [a, b, c] = allMeasures(store)
  .filter(hasChartPoints)
  .map((m) => ({ kind: 'measure' as const, id: m.id }));

const startService = instantChartServices();
const service = (cacheSize: number) => startService({ workers: 1, cacheSize });

describe('the chart cache', () => {
  it('drops the least recently used chart when full: a hit counts as a use', async () => {
    const charts = service(2);
    await charts.render(a!, store);
    await charts.render(b!, store);
    await charts.render(a!, store); // a hit: a is now more recent than b
    await charts.render(c!, store); // full: b goes
    expect(charts.stats).toMatchObject({ renders: 3, cacheHits: 1 });
    await charts.render(a!, store);
    expect(charts.stats).toMatchObject({ renders: 3, cacheHits: 2 });
    await charts.render(b!, store);
    expect(charts.stats).toMatchObject({ renders: 4, cacheHits: 2 });
  });

  it('renders every time when its size is 0', async () => {
    const charts = service(0);
    await charts.render(a!, store);
    await charts.render(a!, store);
    expect(charts.stats).toMatchObject({ renders: 2, cacheHits: 0 });
  });
});
