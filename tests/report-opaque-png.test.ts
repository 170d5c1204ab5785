// The report's charts are re-encoded without their alpha channel only when that loses nothing.
import { createCanvas, loadImage } from 'canvas';
import { describe, expect, it } from 'vitest';
import { renderMeasureChart } from '../src/charts/render.ts';
import { withoutOpaqueAlpha } from '../src/report/opaque-png.ts';
import { seedStore } from './helpers/seed.ts';

async function pixels(png: Buffer): Promise<Buffer> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return Buffer.from(ctx.getImageData(0, 0, image.width, image.height).data);
}

describe('withoutOpaqueAlpha', () => {
  it('turns a real chart into an RGB PNG with exactly the same pixels', async () => {
    const chart = renderMeasureChart(seedStore(), 'robbery')!.png;
    expect(chart[25]).toBe(6); // RGBA as rendered
    const rgb = await withoutOpaqueAlpha(chart);
    expect(rgb[25]).toBe(2);
    expect((await pixels(rgb)).equals(await pixels(chart))).toBe(true);
  });

  it('leaves a PNG with any transparency as it is', async () => {
    const canvas = createCanvas(40, 20);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 40, 20);
    ctx.clearRect(39, 19, 1, 1);
    const png = canvas.toBuffer('image/png');
    expect(await withoutOpaqueAlpha(png)).toBe(png);
  });
});
