// The most one update may hold, and the range a measure's values may take. Every limit is far
// beyond anything an analyst writes, so reaching one means a typo, a paste accident or a
// hostile message. Refusing it while parsing, naming the line, keeps absurd figures out of the
// store, the charts and the digest, and keeps parsing quick whatever is sent.
import type { Measure, UnitKind } from '../../store/index.ts';

export const LIMITS = {
  /** Non-empty lines in one message. */
  lines: 200,
  /** One line, before it is parsed: room for a measure's name, a keyword and the longest text. */
  lineChars: 2_500,
  /** A comment, or an action's text. */
  textChars: 2_000,
  /** An action's owner: a person or a team. */
  ownerChars: 200,
  /** A trend label with its bracketed qualifier, e.g. "Moderate reduction (-12% on last year)". */
  trendLabelChars: 80,
  /** The measure's name at the start of a line under a priority or digest (the longest is 72). */
  nameChars: 200,
  /** The largest value, either side of zero: no measure comes near a billion. */
  magnitude: 1e9,
  /** Months and due dates before this year are typos ("0201-10" for "2021-10"). */
  earliestYear: 2000,
} as const;

/** Characters as a reader counts them: an emoji is one, not two UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Quotes text in a refusal, shortened so a pasted page never comes back whole. */
export function quoted(text: string, max = 60): string {
  const chars = [...text];
  if (chars.length <= max) return `"${text}"`;
  return `"${chars.slice(0, max - 20).join('')}…" (${chars.length.toLocaleString('en-GB')} characters)`;
}

/** As quoted, without the quotes: for numbers, e.g. "not 12", or "not 99999999999999999999…" (400 characters). */
export function shown(text: string, max = 60): string {
  const q = quoted(text, max);
  return q.endsWith('"') ? text : q;
}

/** "the comment has 2,345 characters, more than the 2,000 allowed", or null when within the limit. */
export function tooLong(subject: string, text: string, max: number): string | null {
  const n = charCount(text);
  return n > max
    ? `${subject} has ${n.toLocaleString('en-GB')} characters, more than the ${max.toLocaleString('en-GB')} allowed`
    : null;
}

const KIND_WORDS: Record<UnitKind, string> = {
  count: 'a count',
  rate: 'a rate',
  percentage: 'a percentage',
  other: 'a figure',
};

/** The values a measure of this kind can take. Counts, rates and percentages are never negative. */
export function valueRange(kind: UnitKind): { min: number; max: number; whole: boolean } {
  switch (kind) {
    case 'count':
      return { min: 0, max: LIMITS.magnitude, whole: true };
    case 'rate':
      return { min: 0, max: LIMITS.magnitude, whole: false };
    case 'percentage':
      return { min: 0, max: 100, whole: false };
    case 'other':
      return { min: -LIMITS.magnitude, max: LIMITS.magnitude, whole: false };
  }
}

/** Why the value cannot be one of the measure's figures, or null when it can. */
export function valueProblem(value: number, measure: Pick<Measure, 'title' | 'unit' | 'unitKind'>): string | null {
  const { min, max, whole } = valueRange(measure.unitKind);
  const what = `${measure.title} is ${KIND_WORDS[measure.unitKind]} (${measure.unit})`;
  // Written so that NaN and ±Infinity fail too.
  if (!(value >= min && value <= max)) return `out of range: ${what}, from ${formatLimit(min)} to ${formatLimit(max)}`;
  if (whole && !Number.isInteger(value)) return `not a whole number: ${what}`;
  return null;
}

function formatLimit(n: number): string {
  return n.toLocaleString('en-GB');
}
