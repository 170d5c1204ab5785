// Parsers for the arguments of update lines. Each returns a value or the reason it is refused.
import type { Force, Measure } from '../../store/index.ts';
import { LIMITS, quoted, shown, tooLong, valueProblem } from './limits.ts';
import type { MsgPosition } from './types.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** "1,234.5", "0.52", "85%" (a percentage measure's value is the number of per cent). */
export function parseNumber(text: string): Parsed<number> {
  let s = text.trim().replace(/\s*%$/, '');
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return no(`${quoted(text.trim())} is not a number`);
  return ok(Number(s));
}

/** A number that can be one of the measure's figures: in range for its unit kind (see limits.ts). */
export function parseMeasureValue(text: string, measure: Pick<Measure, 'title' | 'unit' | 'unitKind'>): Parsed<number> {
  const parsed = parseNumber(text);
  if (!parsed.ok) return parsed;
  const problem = valueProblem(parsed.value, measure);
  return problem ? no(`${quoted(text.trim())} is ${problem}`) : parsed;
}

/** A month from 2000 to the month of the update: a future month, or 0201-10, is always a typo. */
export function parsePeriod(text: string, today: string): Parsed<string> {
  const s = text.trim();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(s)) return no(`${quoted(s)} is not a month; write it as YYYY-MM, e.g. 2021-11`);
  if (Number(s.slice(0, 4)) < LIMITS.earliestYear)
    return no(`${s} is before ${LIMITS.earliestYear}; write the month as YYYY-MM, e.g. 2021-11`);
  if (s > today.slice(0, 7)) return no(`${s} is in the future`);
  return ok(s);
}

export function parseCalendarDate(text: string): Parsed<string> {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== s)
    return no(`${quoted(s)} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31`);
  if (Number(m[1]) < LIMITS.earliestYear) return no(`${s} is before ${LIMITS.earliestYear}`);
  return ok(s);
}

const RELATIONS: Record<string, MsgPosition['relation']> = {
  above: 'above',
  higher: 'above',
  below: 'below',
  lower: 'below',
  similar: 'similar',
};

/**
 * "3/8 below", "8th of 8 above the MSG average", "not available". null means not available.
 * The group size must be the store's: a position out of 7 or of 1 is not one in this group.
 */
export function parseMsg(text: string, groupSize: number): Parsed<MsgPosition | null> {
  const s = text.trim().replace(/\s+/g, ' ');
  if (/^(not available|n\/a|na)$/i.test(s)) return ok(null);
  const m =
    /^(\d+)(?:st|nd|rd|th)?\s*(?:\/|of|out of)\s*(\d+)\s+(above|higher|below|lower|similar)((?:\s+(?:to|than))?(?:\s+the)?(?:\s+msg)?(?:\s+average)?)$/i.exec(
      s,
    );
  if (!m)
    return no(
      `${quoted(s)} is not an MSG position; ` +
        'write it as <rank>/<of> above|below|similar (e.g. 3/8 below) or "not available"',
    );
  const rank = Number(m[1]);
  const of = Number(m[2]);
  if (of !== groupSize) return no(`the most similar group has ${groupSize} forces, not ${shown(m[2]!)}`);
  if (rank < 1 || rank > of) return no(`rank ${shown(m[1]!)} is not between 1 and ${of}`);
  return ok({ rank, of, relation: RELATIONS[m[3]!.toLowerCase()]! });
}

export function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A force of the most similar group by police.uk slug, name or short name. */
export function findForce(forces: Force[], text: string): Force | null {
  const wanted = normalizeName(text);
  const withoutSuffix = (s: string) => s.replace(/\s+(police|constabulary)$/, '');
  return (
    forces.find((f) =>
      [f.slug, f.name, f.shortName].some((n) => {
        const name = normalizeName(n);
        return name === wanted || withoutSuffix(name) === withoutSuffix(wanted);
      }),
    ) ?? null
  );
}

export interface ActionText {
  text: string;
  owner: string | null;
  due: string | null;
}

/**
 * "Review hotspots owner: DI Jones due: 2026-12-31" (either order, brackets optional).
 * The first "owner:" or "due:" ends the action's text.
 */
export function parseActionText(input: string): Parsed<ActionText> {
  // The bracket and its spaces are optional as a group, so a long run of spaces is scanned once, not once per space.
  const keys = [...input.matchAll(/(?:[[(]\s*)?\b(owner|due)\s*:/gi)];
  const text = (keys.length > 0 ? input.slice(0, keys[0]!.index) : input).trim();
  if (!text) return no('the action has no text');
  const long = tooLong("the action's text", text, LIMITS.textChars);
  if (long) return no(long);
  const params: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const name = key[1]!.toLowerCase();
    if (name in params) return no(`"${name}:" is given twice`);
    const end = i + 1 < keys.length ? keys[i + 1]!.index : input.length;
    let value = input.slice(key.index + key[0].length, end).trim();
    if (key[0].trimStart().startsWith('[')) value = value.replace(/\]$/, '').trim();
    else if (key[0].trimStart().startsWith('(')) value = value.replace(/\)$/, '').trim();
    if (!value) return no(`"${name}:" has no value`);
    params[name] = value;
  }
  const longOwner = params.owner === undefined ? null : tooLong('the owner', params.owner, LIMITS.ownerChars);
  if (longOwner) return no(longOwner);
  let due: string | null = null;
  if (params.due !== undefined) {
    const parsed = parseCalendarDate(params.due);
    if (!parsed.ok) return no(`due ${parsed.reason}`);
    due = parsed.value;
  }
  return ok({ text, owner: params.owner ?? null, due });
}

export function parsePositiveInteger(text: string, what: string): Parsed<number> {
  const s = text.trim().replace(/^#/, '');
  if (!/^\d+$/.test(s) || Number(s) < 1) return no(`${quoted(text.trim())} is not ${what}`);
  return ok(Number(s));
}
