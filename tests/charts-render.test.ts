// Drawing: real PNGs from the one reused renderer, alt text in words, and the worker-process
// chart service with its cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { altTextForMeasure, altTextForPriority, ALT_TEXT_MAX } from '../src/charts/alt-text.ts';
import { renderMeasureChart, renderPriorityChart } from '../src/charts/render.ts';
import { createChartService } from '../src/charts/service.ts';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { parseStoreText } from '../src/store/validate.ts';
import type { Store } from '../src/store/schema.ts';

const store = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('renderMeasureChart / renderPriorityChart', () => {
  it('draws an 800×400 PNG per measure, and different measures give different PNGs', () => {
    const robbery = renderMeasureChart(store, 'robbery')!;
    const burglary = renderMeasureChart(store, 'burglary')!;
    expect(robbery.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(robbery.png)).toEqual({ width: 800, height: 400 });
    expect(robbery.png.length).toBeGreaterThan(20_000);
    expect(robbery.png.equals(burglary.png)).toBe(false);
  });

  it('draws the same chart byte for byte twice (the reused renderer keeps no state)', () => {
    expect(renderMeasureChart(store, 'robbery')!.png.equals(renderMeasureChart(store, 'robbery')!.png)).toBe(true);
  });

  it('draws a taller small-multiples PNG for a priority', () => {
    const chart = renderPriorityChart(store, 'reduce-neighbourhood-crime')!;
    expect(pngSize(chart.png).width).toBe(800);
    expect(pngSize(chart.png).height).toBeGreaterThan(600);
  });

  it('draws nothing for a series-less measure', () => {
    const bare: Store = structuredClone(store);
    bare.priorities[0]!.measures[0]!.series = null;
    expect(renderMeasureChart(bare, 'homicide')).toBeNull();
    expect(renderPriorityChart(bare, bare.priorities[0]!.id)).toBeNull();
  });
});

describe('alt text', () => {
  it('says what is plotted, the latest value and change, and the MSG position, published and computed', () => {
    const text = altTextForMeasure(store, 'burglary')!;
    expect(text).toMatch(
      /^Line chart of Police recorded burglary offences for Avon and Somerset, offences per 1,000 residents per month, Jan–Dec 2021 \(police\.uk\)\./,
    );
    expect(text).toMatch(/average of the 8 most similar group \(MSG\) forces/);
    expect(text).toMatch(/Latest, Dec 2021: 0\.362 \(622 crimes\), down 0\.0332 \(8\.4%\) on Nov 2021\./);
    expect(text).toMatch(
      /Published trend: Moderate Reduction\. Since the report, the monthly figures show a large increase \(computed from this series, Jan–Dec 2021\)\./,
    );
    expect(text).toMatch(
      /MSG position: published 6th of 8, similar to the MSG average; police\.uk Jan–Nov 2021 gives 7th of 8/,
    );
    expect(text).toMatch(/No MSG average for Dec 2021 \(no Derbyshire data\)/);
  });

  it('names England and Wales and its latest rate where the chart shows it', () => {
    const text = altTextForMeasure(store, 'homicide')!;
    expect(text).toMatch(
      /A dotted black line shows England and Wales \(excluding Greater Manchester Police\): 0\.0119 in Dec 2019\./,
    );
    expect(altTextForMeasure(store, 'robbery')!).not.toContain('England and Wales');
  });

  it('opens with "Illustrative" for an illustrative series', () => {
    const text = altTextForMeasure(store, 'rape-charge-rate')!;
    expect(text).toMatch(/^Illustrative data, not official figures\./);
    expect(text).toMatch(/MSG position: 8th of 8, below the MSG average/);
  });

  it('describes every panel of a priority, within 1,000 characters', () => {
    for (const priority of store.priorities) {
      const text = altTextForPriority(store, priority.id)!;
      expect(text.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
      expect(text).toMatch(/^Small multiples for /);
      for (const m of priority.measures) expect(text).toContain(m.title);
    }
    for (const m of store.priorities.flatMap((p) => p.measures)) {
      expect(altTextForMeasure(store, m.id)!.length).toBeLessThanOrEqual(ALT_TEXT_MAX);
    }
  });
});

describe('createChartService', () => {
  const service = createChartService({ workers: 1 });
  afterAll(() => service.close());

  it('renders in a worker process, then serves the cache until the data change', async () => {
    const first = await service.render({ kind: 'measure', id: 'robbery' }, store);
    expect(first!.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(first).toMatchObject({ filename: 'robbery-2021-12.png', title: 'Police recorded robbery offences: Stable' });
    expect(first!.altText).toMatch(/^Line chart of Police recorded robbery offences/);
    expect(first!.png.equals(renderMeasureChart(store, 'robbery')!.png)).toBe(true);

    const again = await service.render({ kind: 'measure', id: 'robbery' }, store);
    expect(again).toBe(first);
    expect(service.stats.cacheHits).toBe(1);

    const changed: Store = structuredClone(store);
    changed.priorities[3]!.measures.find((m) => m.id === 'robbery')!.series!.points.at(-1)!.value = 0.2;
    const redrawn = await service.render({ kind: 'measure', id: 'robbery' }, changed);
    expect(redrawn!.png.equals(first!.png)).toBe(false);
    // An edit elsewhere in the store does not invalidate this chart.
    const elsewhere: Store = structuredClone(store);
    elsewhere.priorities[0]!.measures[0]!.comments.push({ text: 'note', by: null, at: null });
    expect(await service.render({ kind: 'measure', id: 'robbery' }, elsewhere)).toBe(first);
  }, 30_000);

  it('shares one render between identical concurrent requests, and renders priorities', async () => {
    const before = service.stats.renders;
    const [a, b] = await Promise.all([
      service.render({ kind: 'priority', id: 'reduce-neighbourhood-crime' }, store),
      service.render({ kind: 'priority', id: 'reduce-neighbourhood-crime' }, store),
    ]);
    expect(a).toBe(b);
    expect(service.stats.renders).toBe(before + 1);
    expect(a!.filename).toBe('reduce-neighbourhood-crime.png');
  }, 30_000);

  it('answers null, without a worker, when there is nothing to draw', async () => {
    expect(await service.render({ kind: 'measure', id: 'no-such-measure' }, store)).toBeNull();
  });
});

describe('createChartService when workers cannot start', () => {
  it('rejects renders with the reason instead of respawning forever', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-'));
    const entry = path.join(dir, 'broken-worker.mjs');
    fs.writeFileSync(entry, "throw new Error('canvas did not load');\n");
    const service = createChartService({ workers: 2, workerEntry: entry });
    try {
      await expect(service.render({ kind: 'measure', id: 'robbery' }, store)).rejects.toThrow(/chart worker/);
      // Once the pool gives up, every render fails fast with the reason. A render sent before
      // that can still fail with "chart worker exited", hence the poll.
      const reason = () =>
        service.render({ kind: 'measure', id: 'burglary' }, store).then(
          () => 'rendered',
          (err: Error) => err.message,
        );
      await expect.poll(reason, { timeout: 10_000 }).toMatch(/fail to start/);
    } finally {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
