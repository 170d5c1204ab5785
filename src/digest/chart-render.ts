// Renders the digest chart with src/charts' shared renderer, loaded lazily: a broken native
// canvas must cost the digest its chart, never the digest itself.
import type { ChartImage } from '../slack/charts.ts';
import type { Store } from '../store/schema.ts';
import type { Digest } from './build.ts';
import { digestChartSpec } from './chart.ts';

export type DigestChartRenderer = (store: Store, digest: Digest) => Promise<ChartImage | null>;

export const renderDigestChart: DigestChartRenderer = async (store, digest) => {
  const spec = digestChartSpec(store, digest);
  if (!spec) return null;
  const specifier = '../charts/render.ts';
  const { sharedRenderer } = (await import(specifier)) as typeof import('../charts/render.ts');
  const png = sharedRenderer().render(spec as never);
  return { png, altText: spec.altText, title: spec.title, filename: spec.filename };
};
