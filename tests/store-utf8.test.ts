// A store that is not valid UTF-8 (a hand edit in a Latin-1 editor, a bad copy) is refused,
// naming the byte, instead of passing validation and having the bad bytes turned into U+FFFD
// by the next write.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstInvalidUtf8Offset } from '../src/store/validate.ts';
import { runMeasures } from './helpers/cli.ts';
import { measuresInProcess, tempStoreFile } from './helpers/store-temp.ts';

/** The store with `bad` spliced in just before robbery's title; returns the file and the splice's offset. */
function storeWithBytes(bad: number[]): { file: string; offset: number } {
  const file = tempStoreFile();
  const bytes = fs.readFileSync(file);
  const offset = bytes.indexOf('Police recorded robbery offences');
  expect(offset).toBeGreaterThan(0);
  fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, offset), Buffer.from(bad), bytes.subarray(offset)]));
  return { file, offset };
}

describe('a store that is not valid UTF-8', () => {
  it('fails measures validate (exit 1), naming the byte offset of the first bad byte', () => {
    const { file, offset } = storeWithBytes([0xff]);
    const r = runMeasures(['validate'], file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `measures: ${file}: not valid UTF-8 at byte offset ${offset} (0xff); the store must be UTF-8 text\n`,
    );
  }, 60_000);

  it('names where a multi-byte character is cut short', async () => {
    const { file, offset } = storeWithBytes([0xe2, 0x80]); // the first two bytes of "–", then "P"
    const r = await measuresInProcess(['validate'], file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`not valid UTF-8 at byte offset ${offset} (0xe2)`);
  });

  it('an update is refused with exit 1 and the store is byte for byte unchanged', async () => {
    const { file, offset } = storeWithBytes([0xc3, 0x28]);
    const before = fs.readFileSync(file);
    const r = await measuresInProcess(['update', 'robbery', 'trend: moderate reduction', '--as', 'U0ANALYST1'], file);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toEqual([
      `measures: ${file}: not valid UTF-8 at byte offset ${offset} (0xc3); the store must be UTF-8 text`,
    ]);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}.bak`)).toBe(false);
  });
});

describe('firstInvalidUtf8Offset', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true });
  const decodes = (bytes: Uint8Array) => {
    try {
      fatal.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };

  it('agrees with a strict decoder, and everything before the offset decodes', () => {
    // Bytes drawn mostly from the interesting range (lead and continuation bytes), plus valid text.
    const mixed = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc
        .array(fc.oneof(fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0x41, 0xe2, 0x80, 0x93, 0xf0, 0x9f)), {
          maxLength: 12,
        })
        .map((a) => Uint8Array.from(a)),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => new TextEncoder().encode(s)),
    );
    fc.assert(
      fc.property(mixed, (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        expect(offset === -1).toBe(decodes(bytes));
        if (offset !== -1) {
          expect(decodes(bytes.subarray(0, offset))).toBe(true);
          // The bytes from the offset on do not start with a whole character.
          for (let n = 1; n <= 4 && offset + n <= bytes.length; n++)
            expect(decodes(bytes.subarray(offset, offset + n))).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
