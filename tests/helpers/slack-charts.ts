// Chart renderers for Slack tests: a fast one with real (tiny) PNGs, and ones that fail.
import { deflateSync } from 'node:zlib';
import type { ChartRequest as ChartRef, RenderedChart as ChartImage } from '../../src/charts/render.ts';
import type { ChartRenderer } from '../../src/slack/chart-renderer.ts';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid 1×1 PNG whose colour comes from the id, so different charts differ. */
export function tinyPng(seed: string): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const h = [...seed].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const pixel = Buffer.from([0, h & 255, (h >> 8) & 255, (h >> 16) & 255]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixel)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function tinyCharts(): ChartRenderer & { renders: ChartRef[] } {
  const renders: ChartRef[] = [];
  return {
    renders,
    async render(ref: ChartRef): Promise<ChartImage | null> {
      renders.push(ref);
      return {
        png: tinyPng(`${ref.kind}:${ref.id}`),
        altText: `Line chart of ${ref.id} <!channel> & more`,
        filename: `${ref.id}.png`,
        title: `${ref.id} chart`,
      };
    },
    close() {},
  };
}

export const failingCharts: ChartRenderer = {
  render: async () => {
    throw new Error('renderer exploded');
  },
  close() {},
};
