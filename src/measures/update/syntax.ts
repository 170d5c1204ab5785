// The surface syntax of one update line, before any name is resolved.
import { decodeSlackEntities } from './entities.ts';
import { LIMITS } from './limits.ts';

export type Clause =
  | { keyword: 'trend'; label: string }
  | { keyword: 'msg'; text: string }
  | { keyword: 'value'; period: string; number: string }
  | { keyword: 'peer'; force: string; period: string; number: string }
  | { keyword: 'action'; text: string }
  | { keyword: 'action done'; n: string }
  | { keyword: 'comment'; text: string }
  | { keyword: 'undo' };

export const USAGE_BY_KEYWORD: Record<Clause['keyword'], string> = {
  trend: 'trend: <label>',
  msg: 'msg: <rank>/<of> above|below|similar, msg: <rank> (keeps the relation), or msg: not available',
  value: 'value <YYYY-MM>: <number>',
  peer: 'peer <force> <YYYY-MM>: <number>',
  action: 'action: <text> [owner: <name>] [due: <YYYY-MM-DD>]',
  'action done': 'action done: <n>',
  comment: 'comment: <text>',
  undo: 'undo (on its own)',
};

export const UPDATE_SYNTAX = Object.values(USAGE_BY_KEYWORD);

/** A keyword as the first word; "action done" before "action". */
const KEYWORD_WORD = /^(action\s+done|trend|msg|value|peer|action|comment|undo)\b/i;

/**
 * Each pattern is linear in the line's length: no two unbounded parts can match the same
 * characters. "value" and "peer" are split by hand at the first colon, because the patterns
 * that said the same ("peer <force> <month>: …") took minutes on a line of spaces.
 */
const CLAUSES: Array<(line: string) => Clause | null> = [
  (line) => match(/^trend\s*:\s*(.*)$/is, line, (m) => ({ keyword: 'trend', label: m[1]! })),
  (line) => match(/^msg\s*:\s*(.*)$/is, line, (m) => ({ keyword: 'msg', text: m[1]! })),
  (line) => {
    const parts = afterKeyword(/^value\s/i, line);
    return parts && parts.head ? { keyword: 'value', period: parts.head, number: parts.rest } : null;
  },
  (line) => {
    const parts = afterKeyword(/^peer\s/i, line);
    const split = parts ? splitLastWord(parts.head) : null;
    return parts && split ? { keyword: 'peer', force: split.before, period: split.last, number: parts.rest } : null;
  },
  (line) => match(/^action\s+done\s*:\s*(.*)$/is, line, (m) => ({ keyword: 'action done', n: m[1]! })),
  (line) => match(/^action\s*:\s*(.*)$/is, line, (m) => ({ keyword: 'action', text: m[1]! })),
  (line) => match(/^comment\s*:\s*(.*)$/is, line, (m) => ({ keyword: 'comment', text: m[1]! })),
  (line) => match(/^undo[.!]?$/i, line, () => ({ keyword: 'undo' })),
];

function match(pattern: RegExp, line: string, build: (m: RegExpExecArray) => Clause): Clause | null {
  const m = pattern.exec(line);
  return m ? build(m) : null;
}

/** "value 2021-11 : 5" → head "2021-11" (before the first colon, trimmed) and rest "5", or null without a colon. */
function afterKeyword(keyword: RegExp, line: string): { head: string; rest: string } | null {
  if (!keyword.test(line)) return null;
  const afterWord = line.replace(/^\S+/, '');
  const colon = afterWord.indexOf(':');
  if (colon === -1) return null;
  return { head: afterWord.slice(0, colon).trim(), rest: afterWord.slice(colon + 1).trimStart() };
}

/** "Sussex Police 2021-11" → before "Sussex Police", last "2021-11"; null unless both are there. */
function splitLastWord(text: string): { before: string; last: string } | null {
  let i = text.length - 1;
  while (i >= 0 && !/\s/.test(text[i]!)) i -= 1;
  const before = text.slice(0, Math.max(i, 0)).trim();
  const last = text.slice(i + 1);
  return i > 0 && before && last ? { before, last } : null;
}

/** The clause when the text is exactly a well-formed keyword clause, else null. */
export function matchClause(text: string): Clause | null {
  const line = text.trim();
  for (const clause of CLAUSES) {
    const found = clause(line);
    if (found) return found;
  }
  return null;
}

/** The keyword a line starts with, even when the rest is malformed ("trend Stable"). */
export function leadingKeyword(text: string): Clause['keyword'] | null {
  const m = KEYWORD_WORD.exec(text.trim());
  if (!m) return null;
  return m[1]!.toLowerCase().replace(/\s+/g, ' ') as Clause['keyword'];
}

/**
 * "robbery trend: Stable" → name "robbery" and the clause. The name is everything before the
 * leftmost keyword that starts a well-formed clause, so a measure called "Action Fraud
 * Offences" still works ("action fraud offences trend: Stable"). Names longer than
 * maxNameChars are not looked for: no measure's name is that long, and each keyword tried
 * costs a pass over the rest of the line.
 */
export function matchNamedClause(
  text: string,
  maxNameChars: number = LIMITS.nameChars,
): { name: string; clause: Exclude<Clause, { keyword: 'undo' }> } | null {
  const line = text.trim();
  const starts = /\s(?=(?:action|trend|msg|value|peer|comment)\b)/gi;
  for (let m = starts.exec(line); m && m.index <= maxNameChars; m = starts.exec(line)) {
    const clause = matchClause(line.slice(m.index + 1));
    const name = line.slice(0, m.index).trim();
    if (clause && clause.keyword !== 'undo' && name) return { name, clause: clause };
  }
  return null;
}

export interface MessageLine {
  number: number;
  text: string;
}

/** Non-empty lines with their 1-based numbers in the message as written. */
export function messageLines(text: string): MessageLine[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ number: i + 1, text: line.trim() }))
    .filter((line) => line.text !== '');
}

/**
 * Whether a message is meant as an update: its first non-empty line starts with a keyword.
 * Under a priority answer or a digest, lines name the measure first ("robbery trend: Stable"),
 * so there a well-formed named clause counts too. Plain conversation is left alone.
 */
export function isUpdateMessage(text: string, form: 'measure' | 'priority' | 'digest' = 'measure'): boolean {
  const first = messageLines(decodeSlackEntities(text))[0];
  if (!first) return false;
  if (leadingKeyword(first.text)) return true;
  return form !== 'measure' && matchNamedClause(first.text) !== null;
}
