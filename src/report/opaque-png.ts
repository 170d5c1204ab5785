// The chart PNGs are RGBA with every pixel opaque (a white background). pdfkit embeds an RGBA
// PNG by decoding it in JavaScript and deflating the colour and alpha planes again, on this
// process's one thread: about a second for the report's 19 charts. An RGB PNG it embeds as it
// is. So each chart is re-encoded without its alpha channel, losslessly (the same pixels), with
// zlib's asynchronous calls, which run on libuv's thread pool while other charts still render.
// Anything else (transparency, 16-bit, interlaced, palette) is returned unchanged.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const inflate = promisify(zlib.inflate);
const deflate = promisify(zlib.deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Undoes one scanline's PNG filter into `line` (4 bytes a pixel), one loop per filter type. */
function unfilter(filter: number, src: Buffer, at: number, line: Buffer, prev: Buffer, stride: number): void {
  switch (filter) {
    case 0:
      src.copy(line, 0, at, at + stride);
      return;
    case 1:
      for (let x = 0; x < stride; x++) line[x] = (src[at + x]! + (x >= 4 ? line[x - 4]! : 0)) & 0xff;
      return;
    case 2:
      for (let x = 0; x < stride; x++) line[x] = (src[at + x]! + prev[x]!) & 0xff;
      return;
    case 3:
      for (let x = 0; x < stride; x++)
        line[x] = (src[at + x]! + (((x >= 4 ? line[x - 4]! : 0) + prev[x]!) >> 1)) & 0xff;
      return;
    default:
      for (let x = 0; x < stride; x++) {
        const left = x >= 4 ? line[x - 4]! : 0;
        const upLeft = x >= 4 ? prev[x - 4]! : 0;
        line[x] = (src[at + x]! + paeth(left, prev[x]!, upLeft)) & 0xff;
      }
  }
}

/** RGB rows (each led by filter byte 0) from 8-bit RGBA scanlines, or null if any pixel is not opaque. */
function opaqueRgbRows(raw: Buffer, width: number, height: number): Buffer | null {
  const stride = width * 4;
  const out = Buffer.alloc(height * (1 + width * 3));
  let prev = Buffer.alloc(stride);
  let line = Buffer.alloc(stride);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    unfilter(raw[at]!, raw, at + 1, line, prev, stride);
    out[o++] = 0;
    for (let x = 0; x < stride; x += 4) {
      if (line[x + 3] !== 255) return null;
      out[o++] = line[x]!;
      out[o++] = line[x + 1]!;
      out[o++] = line[x + 2]!;
    }
    [prev, line] = [line, prev];
  }
  return out;
}

export async function withoutOpaqueAlpha(png: Buffer): Promise<Buffer> {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') return png;
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [bitDepth, colorType, , , interlace] = png.subarray(24, 29);
  if (bitDepth !== 8 || colorType !== 6 || interlace !== 0) return png;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = opaqueRgbRows(await inflate(Buffer.concat(idat)), width, height);
  if (!rows) return png;
  const ihdr = Buffer.from(png.subarray(16, 29));
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', await deflate(rows, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
