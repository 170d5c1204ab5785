// The scorecard image: every measure with a sparkline, its trend and MSG rank, legible on a
// phone (no text under 8 px at Slack's 360 px), with alt text that names every measure.
import { afterAll, describe, expect, it } from 'vitest';
import { loadImage } from 'canvas';
import { altTextForScorecard } from '../src/charts/alt-text.ts';
import { renderChart } from '../src/charts/render.ts';
import { SCORECARD_FONT, scorecardChartConfig } from '../src/charts/scorecard-config.ts';
import type { ScorecardPluginOptions } from '../src/charts/scorecard-plugin.ts';
import { createChartService, sliceFor } from '../src/charts/service.ts';
import { shortMeasureName } from '../src/charts/priority-config.ts';
import { allMeasures } from '../src/store/index.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const PHONE_WIDTH = 360;

function pluginOptions(spec: NonNullable<ReturnType<typeof scorecardChartConfig>>): ScorecardPluginOptions {
  return (spec.config.options!.plugins as unknown as { scorecard: ScorecardPluginOptions }).scorecard;
}

describe('scorecardChartConfig', () => {
  const spec = scorecardChartConfig(store)!;
  const options = pluginOptions(spec);

  it('has a row per measure under its priority, each with a sparkline, trend and MSG rank', () => {
    const measures = options.rows.filter((r) => r.kind === 'measure');
    expect(measures).toHaveLength(19);
    expect(options.rows.filter((r) => r.kind === 'priority').map((r) => r.name)).toEqual(
      store.priorities.map((p) => p.title),
    );
    const robbery = measures.find((r) => r.name === 'Robbery')!;
    expect(robbery).toMatchObject({ rank: '8th/8', band: 'worst', detail: 'Stable · Dec 21: 125 crimes' });
    expect(robbery.spark).toHaveLength(12);
    expect(measures.find((r) => r.name === 'Homicide')).toMatchObject({ rank: '3rd/8', band: 'best' });
    expect(measures.find((r) => r.name === 'Action Fraud *')).toMatchObject({ rank: null, band: null });
    expect(measures.every((r) => (r.spark?.length ?? 0) >= 4)).toBe(true);
  });

  it('is legible on a phone: the smallest text is at least 8 px tall at 360 px wide', () => {
    expect(spec.width).toBe(1080);
    // The plugin draws every word; chart.js's own title, legend and axes are off.
    const o = spec.config.options!;
    expect([o.plugins!.title!.display, o.plugins!.legend!.display]).toEqual([false, false]);
    expect(Object.values(o.scales!).every((s) => s!.display === false)).toBe(true);
    const smallest = Math.min(...Object.values(options.fonts));
    expect(options.fonts).toEqual(SCORECARD_FONT);
    expect((smallest * PHONE_WIDTH) / spec.width).toBeGreaterThanOrEqual(8);
  });
});

describe('the scorecard PNG', () => {
  it('decodes as a 1080-px-wide image as tall as its rows', async () => {
    const chart = renderChart(store, { kind: 'scorecard', id: 'force' })!;
    const image = await loadImage(chart.png);
    expect(image.width).toBe(1080);
    expect(image.height).toBe(scorecardChartConfig(store)!.height);
    expect(image.height).toBeGreaterThan(19 * 80);
    expect(chart.filename).toBe('scorecard.png');
  });
});

describe('altTextForScorecard', () => {
  it('names every measure with its trend and MSG rank, within the 1,000 characters a file’s alt text may have', () => {
    const alt = altTextForScorecard(store)!;
    expect(alt.length).toBeLessThanOrEqual(1000);
    for (const m of allMeasures(store)) expect(alt).toContain(`${shortMeasureName(m.title)}: ${m.trend.label}`);
    expect(alt).toContain('Robbery: Stable, 8th/8');
    expect(alt).toContain('Action Fraud: Stable, no rank');
    expect(alt).toContain('14 of 19 series are illustrative');
  });

  it('still names all 19 when analysts’ trend labels are long: the description shrinks first', () => {
    const long = structuredClone(store);
    for (const m of allMeasures(long)) m.trend.label = 'Moderate increase (revised)';
    const alt = altTextForScorecard(long)!;
    expect(alt.length).toBeLessThanOrEqual(1000);
    for (const m of allMeasures(long)) expect(alt).toContain(shortMeasureName(m.title));
    expect(alt.endsWith('.')).toBe(true);
  });
});

describe('the chart service', () => {
  const service = createChartService({ workers: 1 });
  afterAll(() => service.close());

  it('renders the scorecard in a worker from a slice without actions or comments', async () => {
    const slice = sliceFor(store, { kind: 'scorecard', id: 'force' })!;
    expect(slice.priorities.every((p) => p.plannedActions.length === 0 && p.comments.length === 0)).toBe(true);
    expect(slice.priorities.flatMap((p) => p.measures)).toHaveLength(19);
    const chart = await service.render({ kind: 'scorecard', id: 'force' }, store);
    expect((await loadImage(chart!.png)).width).toBe(1080);
    expect(chart!.altText).toBe(altTextForScorecard(store));
  });
});
