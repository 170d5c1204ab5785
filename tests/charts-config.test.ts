// The chart configs are pure: these tests read them without drawing anything.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { altTextForMeasure } from '../src/charts/alt-text.ts';
import { measureChartConfig, SUBTITLE_LINE_MAX } from '../src/charts/measure-config.ts';
import { priorityChartConfig } from '../src/charts/priority-config.ts';
import type { FooterOptions, LatestLabelOptions, PanelTitleOptions } from '../src/charts/plugins.ts';
import { OKABE_ITO } from '../src/charts/style.ts';
import { SEED_STORE_FILE } from '../src/store/paths.ts';
import { parseStoreText } from '../src/store/validate.ts';
import type { Store } from '../src/store/schema.ts';

const store = parseStoreText(fs.readFileSync(SEED_STORE_FILE, 'utf8'), SEED_STORE_FILE);
const palette = Object.values(OKABE_ITO);

// The parts of a config these tests read, as measure-config.ts and priority-config.ts set them:
// plain values where Chart.js's own types also allow scriptable functions.
interface TestedPlugins {
  title: { text: string[] };
  subtitle: { text: string | string[] };
  legend: { display: boolean };
  footer: FooterOptions;
  latestLabel: LatestLabelOptions;
  panelTitles: PanelTitleOptions;
}
interface TestedDataset {
  label: string;
  data: (number | null)[];
  borderColor: string;
  fill?: unknown;
  pointRadius: number[];
  borderDash: number[];
}
type TestedScales = Record<string, { title: { text: string[] } }>;
const plugins = (spec: { config: { options?: unknown } }) =>
  (spec.config.options as { plugins: TestedPlugins }).plugins;
const datasets = (spec: { config: { data: { datasets: unknown[] } } }) => spec.config.data.datasets as TestedDataset[];
const scalesOf = (spec: { config: { options?: unknown } }) => (spec.config.options as { scales: TestedScales }).scales;

describe('measureChartConfig', () => {
  const robbery = measureChartConfig(store, 'robbery')!;

  it('draws the force as a solid line and the MSG average dashed, in Okabe–Ito colours', () => {
    const [force, average] = datasets(robbery);
    expect(force!.label).toBe('Avon and Somerset');
    expect(force!.borderDash ?? []).toEqual([]);
    expect(average!.label).toBe('MSG average');
    expect(average!.borderDash.length).toBeGreaterThan(0);
    expect(palette).toContain(force!.borderColor);
    expect(palette).toContain(average!.borderColor);
    expect(force!.borderColor).not.toBe(average!.borderColor);
  });

  it('shades a band from the lowest to the highest peer', () => {
    const band = datasets(robbery).find((d) => d.label === 'MSG range')!;
    const lowest = datasets(robbery).find((d) => d.label === 'MSG lowest peer')!;
    expect(band.fill).toEqual({ target: '+1' });
    expect(datasets(robbery).indexOf(lowest)).toBe(datasets(robbery).indexOf(band) + 1);
    const jan = store.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!.series!.points[0]!;
    const peers = Object.values(jan.peers!).map((p) => p.value);
    expect(band.data[0]).toBe(Math.max(...peers));
    expect(lowest.data[0]).toBe(Math.min(...peers));
  });

  it('leaves the average and band out where a peer is missing (Derbyshire, Dec 2021)', () => {
    const [, average, band] = datasets(robbery);
    expect(average!.data.at(-1)).toBeNull();
    expect(band!.data.at(-1)).toBeNull();
    expect(plugins(robbery).footer.lines.join(' ')).toMatch(/Dec 21: no Derbyshire data/);
  });

  it('marks and labels the latest point', () => {
    const force = datasets(robbery)[0]!;
    expect(force.pointRadius.at(-1)).toBeGreaterThan(force.pointRadius[0]!);
    expect(plugins(robbery).latestLabel.labels).toEqual([{ datasetIndex: 0, text: 'Dec 21: 0.0727' }]);
  });

  it('titles the measure and its trend, puts the unit on the y-axis and "Nov 21" labels on x', () => {
    expect(plugins(robbery).title.text.join(' ')).toBe('Police recorded robbery offences');
    expect([plugins(robbery).subtitle.text].flat()[0]).toBe(
      'Published trend: Stable · MSG 8th of 8, higher than average',
    );
    const y = scalesOf(robbery).y!;
    expect(y.title.text.join(' ')).toBe('offences per 1,000 residents, per month');
    expect(robbery.config.data.labels).toContain('Nov 21');
    expect(robbery).toMatchObject({ width: 800, height: 400, filename: 'robbery-2021-12.png', illustrative: false });
  });

  it('does not call a line that rose sharply "Stable": the subtitle and alt text say what the figures show', () => {
    // Robbery is published as Stable; the monthly figures since the report show a large increase.
    expect(plugins(robbery).subtitle.text).toEqual([
      'Published trend: Stable · MSG 8th of 8, higher than average',
      'Since the report, the monthly figures show a large increase',
    ]);
    for (const line of plugins(robbery).subtitle.text) expect(line.length).toBeLessThanOrEqual(SUBTITLE_LINE_MAX);
    expect(altTextForMeasure(store, 'robbery')).toMatch(
      /Published trend: Stable\. Since the report, the monthly figures show a large increase \(computed from/,
    );
  });

  it('keeps the one-line subtitle and plain alt text where the figures agree with the published trend', () => {
    const homicide = measureChartConfig(store, 'homicide')!;
    expect(plugins(homicide).subtitle.text).toMatch(/^Trend: Stable · /);
    const alt = altTextForMeasure(store, 'homicide')!;
    expect(alt).toContain('Published trend: Stable.');
    expect(alt).not.toMatch(/Since the report|computed from this series/);
  });

  it('names the source in the footer', () => {
    expect(plugins(robbery).footer).toMatchObject({ illustrative: false });
    expect(plugins(robbery).footer.lines[0]).toMatch(/^Source: police\.uk street-level crime data/);
  });

  it('marks an illustrative series in the subtitle and the footer', () => {
    const spec = measureChartConfig(store, 'rape-charge-rate')!;
    expect(spec.illustrative).toBe(true);
    expect(plugins(spec).subtitle.text).toMatch(/^ILLUSTRATIVE · /);
    expect(plugins(spec).footer.illustrative).toBe(true);
    expect(plugins(spec).footer.lines.join(' ')).toMatch(/^ILLUSTRATIVE DATA, not official/);
    expect(spec.title).toMatch(/illustrative/);
  });

  it('draws no MSG lines or legend where no peer values exist', () => {
    const spec = measureChartConfig(store, 'overall-victim-satisfaction')!;
    expect(datasets(spec).map((d) => d.label)).toEqual(['Avon and Somerset']);
    expect(plugins(spec).legend.display).toBe(false);
  });

  it('returns null (no chart, never an empty one) for a series-less or unknown measure', () => {
    const bare: Store = structuredClone(store);
    bare.priorities[3]!.measures[0]!.series = null;
    expect(measureChartConfig(bare, bare.priorities[3]!.measures[0]!.id)).toBeNull();
    expect(measureChartConfig(store, 'no-such-measure')).toBeNull();
  });
});

describe('priorityChartConfig', () => {
  const spec = priorityChartConfig(store, 'reduce-neighbourhood-crime')!;
  const scales = scalesOf(spec);

  it('stacks one panel per measure on a shared period axis', () => {
    const panels = Object.keys(scales).filter((k) => k.startsWith('y'));
    expect(panels).toHaveLength(4);
    for (const id of panels) expect(scales[id]).toMatchObject({ stack: 'panels', stackWeight: 1 });
    expect(Object.keys(scales).filter((k) => k.startsWith('x'))).toEqual(['x']);
    for (const d of datasets(spec)) expect(d.data).toHaveLength(spec.config.data.labels!.length);
  });

  it('keeps the encoding of the measure chart in every panel, and titles each panel', () => {
    const forces = datasets(spec).filter((d) => d.label === 'Avon and Somerset');
    const averages = datasets(spec).filter((d) => d.label === 'MSG average');
    expect(forces).toHaveLength(4);
    expect(averages.every((d) => d.borderDash.length > 0)).toBe(true);
    expect(plugins(spec).panelTitles.panels.map((p) => p.text)).toEqual([
      'Burglary · Moderate Reduction · 6th/8',
      'Vehicle crime · Stable · 6th/8',
      'Robbery · Stable · 8th/8',
      'Theft From the person · Stable · 5th/8',
    ]);
    expect(plugins(spec).latestLabel.labels).toHaveLength(4);
    expect(spec.height).toBeGreaterThan(600);
  });

  it('aligns quarterly and monthly measures on one axis and flags illustrative panels', () => {
    const drugs = priorityChartConfig(store, 'disrupt-drugs-supply-and-county-lines')!;
    expect(drugs.config.data.labels![0]).toBe('Dec 19');
    expect(drugs.config.data.labels!.at(-1)).toBe('Nov 21');
    expect(drugs.illustrative).toBe(true);
    expect(plugins(drugs).panelTitles.panels[0]!.text).toMatch(/^ILLUSTRATIVE · /);
    expect(plugins(drugs).footer.lines.join(' ')).toMatch(/ILLUSTRATIVE DATA/);
  });

  it('returns null when no measure of the priority has a series', () => {
    const bare: Store = structuredClone(store);
    for (const m of bare.priorities[0]!.measures) m.series = null;
    expect(priorityChartConfig(bare, bare.priorities[0]!.id)).toBeNull();
  });
});

describe('England and Wales on rolling-year (ONS) charts', () => {
  it('adds England and Wales as a dotted reference line where the series is ONS rolling years', () => {
    const homicide = measureChartConfig(store, 'homicide')!;
    const eAndW = datasets(homicide).find((d) => d.label === 'England and Wales');
    expect(eAndW).toBeDefined();
    expect(eAndW!.borderDash).toEqual([2, 5]);
    const dec19 = store.ons.find((e) => e.yearEnding === '2019-12')!.areas.find((a) => a.code === 'K04000001')!;
    expect(eAndW!.data.at(-1)).toBeCloseTo(dec19.rates.Homicide!, 6);
    // The December 2019 tables leave Greater Manchester out of England and Wales, and say so.
    expect(plugins(homicide).footer.lines).toContain('England and Wales, Dec 19: excluding Greater Manchester Police.');
    // The MSG band still fills to its own lower edge.
    const band = datasets(homicide).findIndex((d) => d.label === 'MSG range');
    expect(datasets(homicide)[band + 1]!.label).toBe('MSG lowest peer');
  });

  it('leaves police.uk monthly charts without it: a rolling-year rate is not comparable with a month', () => {
    expect(datasets(measureChartConfig(store, 'robbery')!).some((d) => d.label === 'England and Wales')).toBe(false);
  });

  it('has no line without ONS editions in the store', () => {
    const withoutOns: Store = { ...store, ons: [] };
    expect(datasets(measureChartConfig(withoutOns, 'homicide')!).some((d) => d.label === 'England and Wales')).toBe(
      false,
    );
  });
});
