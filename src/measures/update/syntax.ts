// The surface syntax of one update line, before any name is resolved.
import { decodeSlackEntities } from './entities.ts';

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
  msg: 'msg: <rank>/<of> above|below|similar, or msg: not available',
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

const CLAUSES: Array<[RegExp, (m: RegExpExecArray) => Clause]> = [
  [/^trend\s*:\s*(.*)$/is, (m) => ({ keyword: 'trend', label: m[1]! })],
  [/^msg\s*:\s*(.*)$/is, (m) => ({ keyword: 'msg', text: m[1]! })],
  [/^value\s+(.+?)\s*:\s*(.*)$/is, (m) => ({ keyword: 'value', period: m[1]!, number: m[2]! })],
  [/^peer\s+(.+?)\s+(\S+)\s*:\s*(.*)$/is, (m) => ({ keyword: 'peer', force: m[1]!, period: m[2]!, number: m[3]! })],
  [/^action\s+done\s*:\s*(.*)$/is, (m) => ({ keyword: 'action done', n: m[1]! })],
  [/^action\s*:\s*(.*)$/is, (m) => ({ keyword: 'action', text: m[1]! })],
  [/^comment\s*:\s*(.*)$/is, (m) => ({ keyword: 'comment', text: m[1]! })],
  [/^undo[.!]?$/i, () => ({ keyword: 'undo' })],
];

/** The clause when the text is exactly a well-formed keyword clause, else null. */
export function matchClause(text: string): Clause | null {
  for (const [pattern, build] of CLAUSES) {
    const m = pattern.exec(text.trim());
    if (m) return build(m);
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
 * Offences" still works ("action fraud offences trend: Stable").
 */
export function matchNamedClause(text: string): { name: string; clause: Exclude<Clause, { keyword: 'undo' }> } | null {
  const line = text.trim();
  const starts = /\s(?=(?:action|trend|msg|value|peer|comment)\b)/gi;
  for (let m = starts.exec(line); m; m = starts.exec(line)) {
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
