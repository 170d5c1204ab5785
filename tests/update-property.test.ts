// Whatever an analyst (or anyone in the channel) sends, an update is either applied or
// refused with a reason, naming the line at fault; it never crashes and never reads as a
// store error. Messages are built from the language's own pieces, mixed with numbers that
// overflow, unicode, control characters and very long tokens, and from arbitrary strings.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type MeasuresStore } from '../src/store/index.ts';
import type { Store } from '../src/store/schema.ts';
import {
  applyUpdate,
  decodeSlackEntities,
  parseUpdate,
  TREND_LABELS,
  type UpdateResult,
  type UpdateTarget,
} from '../src/measures/update/index.ts';
import { valueRange } from '../src/measures/update/limits.ts';
import { seedStore } from './helpers/seed.ts';
import { tempStoreFile } from './helpers/store-temp.ts';

const NOW = new Date('2026-11-25T12:00:00Z');

/** Each target with the name its lines start with ('' under a measure's own answer). */
const targets = fc.constantFrom<[UpdateTarget, string]>(
  [{ kind: 'measure', id: 'robbery' }, ''], // a rate
  [{ kind: 'measure', id: 'rape-charges' }, ''], // a count
  [{ kind: 'measure', id: 'overall-victim-satisfaction' }, ''], // a percentage
  [{ kind: 'priority', id: 'reduce-neighbourhood-crime' }, 'robbery '],
  [{ kind: 'priority', id: 'tackle-cyber-crime' }, 'action fraud offences '],
  [{ kind: 'digest' }, 'Police recorded burglary offences '],
);

const months = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }))
    .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`),
  fc.constantFrom('2021-10', '2021-11', '2000-01', '1999-12', '0201-10', '2026-11', '2026-12', 'Nov 2021', ''),
);

const dates = fc.oneof(
  fc.tuple(months, fc.integer({ min: 0, max: 32 })).map(([m, d]) => `${m}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2026-12-31', '2026-02-30', '0201-12-31', 'tomorrow'),
);

const numbers = fc.oneof(
  fc.double().map(String), // NaN, Infinity, -0, 1e300, 5e-324 …
  fc.integer().map(String),
  fc.double({ min: -200, max: 200, noNaN: true }).map((n) => n.toFixed(3)),
  fc.integer({ min: 1, max: 400 }).map((n) => '9'.repeat(n)),
  fc.constantFrom(
    '-5',
    '0',
    '1,234.5',
    '85%',
    '100%',
    '101%',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e9',
    '.5',
    '+3',
    '0x10',
    '١٢٣',
    '1 000',
    '--1',
    '0.',
    '12.5',
  ),
);

const longTokens = fc
  .tuple(
    fc.constantFrom('9', ' ', 'a', 'é', '(', ')', ':', '👍', '\u0000', 'owner:', ' trend', '[ '),
    fc.integer({ min: 50, max: 3000 }),
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const oddCharacters = fc.constantFrom(
  '\u0000',
  '\t',
  '\r',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\ud800',
  '&amp;',
  '&lt;',
  '&gt;',
  '*',
  '`',
  '<@U123>',
  'İ',
  'ß',
);

const words = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    'robbery',
    'burglary',
    'homicide',
    'Police recorded burglary offences',
    'Kent',
    'Sussex Police',
    'avon-and-somerset',
    'Stable',
    'moderate reduction',
    'above',
    'of',
    '8th',
    'not available',
    'done',
  ),
);

const trendLines = fc
  .tuple(fc.constantFrom(...TREND_LABELS, 'Great', ''), fc.option(fc.oneof(fc.string({ maxLength: 100 }), longTokens)))
  .map(([label, qualifier]) => `trend: ${label}${qualifier === null ? '' : ` (${qualifier})`}`);

const keywordLines = fc.oneof(
  trendLines,
  fc
    .tuple(
      fc.nat({ max: 12 }),
      fc.oneof(fc.nat({ max: 12 }), fc.constant(8)),
      fc.constantFrom('above', 'below', 'similar', 'sideways'),
    )
    .map(([rank, of, rel]) => `msg: ${rank}/${of} ${rel}`),
  fc.constantFrom('msg: not available', 'msg: 8th of 8 above the MSG average'),
  fc.tuple(months, numbers).map(([m, n]) => `value ${m}: ${n}`),
  fc
    .tuple(fc.constantFrom('Kent', 'sussex', 'Devon', 'ASP', 'Hertfordshire Constabulary'), months, numbers)
    .map(([f, m, n]) => `peer ${f} ${m}: ${n}`),
  fc
    .tuple(fc.oneof(fc.string({ maxLength: 60 }), longTokens), fc.option(words), fc.option(dates))
    .map(
      ([text, owner, due]) =>
        `action: ${text}${owner === null ? '' : ` owner: ${owner}`}${due === null ? '' : ` [due: ${due}]`}`,
    ),
  fc.oneof(fc.nat({ max: 20 }).map(String), numbers).map((n) => `action done: ${n}`),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), longTokens).map((text) => `comment: ${text}`),
  fc.constant('undo'),
);

const keywordPieces = fc.constantFrom(
  'trend:',
  'msg:',
  'value 2021-10:',
  'value',
  'peer Kent 2021-10:',
  'peer',
  'action:',
  'action done:',
  'comment:',
  'undo',
  'done',
  'owner:',
  'due:',
);
const freeLines = fc
  .array(fc.oneof(keywordPieces, numbers, months, words, oddCharacters, longTokens), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(' '));

const measureNames = fc.option(
  fc.constantFrom(
    'robbery',
    'burglary',
    'homicide',
    'Police recorded vehicle offences',
    'action fraud offences',
    'nonsense',
    'x'.repeat(300),
  ),
);
const lines = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(measureNames, keywordLines).map(([name, line]) => (name ? `${name} ${line}` : line)),
  },
  { weight: 2, arbitrary: freeLines },
);

const messages = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(lines, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\n\n'))
      .map(([ls, sep]) => ls.join(sep)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(keywordLines, fc.integer({ min: 195, max: 205 }))
      .map(([line, n]) => Array(n).fill(line).join('\n')),
  },
);

/** Lines an analyst might really send, so that many messages are applied and the store changes as the run goes on. */
const plausibleLines = fc.oneof(
  fc
    .tuple(fc.constantFrom(...TREND_LABELS), fc.option(fc.string({ minLength: 1, maxLength: 20 })))
    .map(([label, q]) => `trend: ${label}${q === null ? '' : ` (${q})`}`),
  fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.constantFrom('above', 'below', 'similar'))
    .map(([rank, rel]) => `msg: ${rank}/8 ${rel}`),
  fc
    .tuple(
      fc.integer({ min: 1, max: 11 }),
      fc.oneof(
        fc.nat({ max: 120 }).map(String),
        fc.double({ min: 0, max: 120, noNaN: true }).map((n) => n.toFixed(2)),
      ),
    )
    .map(([m, n]) => `value 2021-${String(m).padStart(2, '0')}: ${n}`),
  fc.double({ min: 0, max: 1, noNaN: true }).map((n) => `peer Kent 2021-11: ${n.toFixed(3)}`),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map((t) => `comment: ${t}`),
  fc.string({ minLength: 1, maxLength: 40 }).map((t) => `action: ${t}`),
  fc.nat({ max: 4 }).map((n) => `action done: ${n}`),
);

const cases = targets.chain(([target, name]) =>
  fc.tuple(
    fc.constant(target),
    fc.oneof(
      messages,
      fc.array(plausibleLines, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `${name}${l}`).join('\n')),
      fc.constant('undo'),
    ),
  ),
);

/** A refusal names the line as written, or line 0 only when no single line is at fault. */
function expectWellFormedRefusal(text: string, result: UpdateResult): void {
  if (result.ok) return;
  const { refusal, message } = result;
  expect(refusal.reason.trim()).not.toBe('');
  // A reason may list the measures or trend labels, but never echoes a pasted page back.
  expect(refusal.reason.length).toBeLessThan(1_000);
  expect(message.length).toBeLessThan(1_200);
  expect(message).toMatch(/Nothing was changed\.$/);
  const written = decodeSlackEntities(text)
    .split(/\r?\n/)
    .map((l) => l.trim());
  const nonEmpty = written.filter((l) => l !== '').length;
  if (refusal.line > 0) {
    expect(refusal.text).toBe(written[refusal.line - 1]);
  } else {
    expect(refusal.text).toBe('');
    expect(nonEmpty === 0 || nonEmpty > 200).toBe(true);
  }
}

/** Every figure in the store is one its measure could have: finite and in its unit kind's range. */
function expectPlausibleFigures(store: Store): void {
  for (const measure of store.priorities.flatMap((p) => p.measures)) {
    const { min, max } = valueRange(measure.unitKind);
    for (const point of measure.series?.points ?? []) {
      for (const value of [point.value, ...Object.values(point.peers ?? {}).map((p) => p.value)]) {
        expect(value >= min && value <= max, `${measure.id} ${point.period}: ${value}`).toBe(true);
      }
    }
  }
}

describe('any message', () => {
  it('parses to ops or a refusal naming the line, without throwing', () => {
    const store = seedStore();
    fc.assert(
      fc.property(cases, ([target, text]) => {
        const parsed = parseUpdate(text, target, store, NOW);
        if (!parsed.ok)
          expectWellFormedRefusal(text, {
            ok: false,
            status: 'refused',
            refusal: parsed.refusal,
            message: `${parsed.refusal.reason}. Nothing was changed.`,
          });
      }),
      { numRuns: 400 },
    );
  });

  describe('through applyUpdate, against a store file', () => {
    let store: MeasuresStore;
    beforeAll(async () => {
      store = await openStore(tempStoreFile(), { notice: () => undefined });
    });
    afterAll(async () => {
      await store.close();
    });

    it('is applied or refused with a reason, never a crash or a store error', async () => {
      let n = 0;
      const outcomes = { applied: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(cases, fc.constantFrom('U0ANALYST1', 'U0ANALYST2'), async ([target, text], author) => {
          n += 1;
          // A rejection here is what the CLI reports as exit 1; the property fails on it.
          const result = await applyUpdate(store, {
            target,
            text,
            author,
            source: { kind: 'cli' },
            messageId: `prop:${n}`,
            now: NOW,
          });
          expect(['applied', 'refused']).toContain(result.status);
          if (result.status === 'applied') outcomes.applied += 1;
          else outcomes.refused += 1;
          expectWellFormedRefusal(text, result);
          expectPlausibleFigures(store.snapshot());
        }),
        { numRuns: 150 },
      );
      // The generators reach both outcomes, so the property says something about each.
      expect(outcomes.applied).toBeGreaterThan(5);
      expect(outcomes.refused).toBeGreaterThan(5);
    }, 30_000);
  });
});
