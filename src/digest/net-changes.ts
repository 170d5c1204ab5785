// Net changes from the change log between two instants. Pure.
//
// Entries are grouped by the thing they changed (a measure's trend, one period's value, one
// action, one comment…); a group's net change is the first entry's before against the last
// entry's after. An update that was undone, or a value set and set back, nets to nothing and
// does not appear. Only what a reader sees is compared: re-setting a trend refreshes its
// as-of date but is not a change.
import type { ChangeEntry, Store } from '../store/index.ts';

export type ChangeKind = 'trend' | 'msg' | 'value' | 'peer' | 'action-added' | 'action-done' | 'comment';

export interface NetChange {
  kind: ChangeKind;
  target: ChangeEntry['target'];
  field: string;
  before: unknown;
  after: unknown;
  /** The entry that completed the net change: its author, time and source are the change's. */
  last: ChangeEntry;
  /** Every entry of the group, oldest first. */
  entries: ChangeEntry[];
}

export function kindOfField(field: string): ChangeKind | null {
  if (field === 'trend') return 'trend';
  if (field === 'benchmark') return 'msg';
  if (field === 'action:add') return 'action-added';
  if (field === 'action:done') return 'action-done';
  if (field === 'comment') return 'comment';
  if (/^value:\d{4}-\d{2}$/.test(field)) return 'value';
  if (/^peer:[a-z0-9-]+:\d{4}-\d{2}$/.test(field)) return 'peer';
  // "series" (an import replacing a whole series) and "ons:…" comparator figures are
  // bookkeeping; their effect on readers shows as value and peer entries.
  return null;
}

type Json = Record<string, unknown>;
/** A logged before/after value as an object, or null when it is a scalar or an array. */
export const asObject = (v: unknown): Json | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;

/** A numeric figure, whether logged as a number (importers) or as a point/peer object (analyst updates). */
export function figureOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  const value = asObject(v)?.value;
  return typeof value === 'number' ? value : null;
}

/** Identity of an action or comment, so an add and its undo meet in one group. */
function itemIdentity(v: unknown): string {
  const o = asObject(v) ?? {};
  return JSON.stringify([o.text, o.addedBy ?? o.by, o.addedAt ?? o.at]);
}

function groupKey(entry: ChangeEntry, kind: ChangeKind): string {
  const subject = `${entry.target.kind}:${entry.target.id}`;
  if (kind === 'action-added' || kind === 'action-done' || kind === 'comment') {
    return `${subject}|${entry.field}|${itemIdentity(entry.after ?? entry.before)}`;
  }
  return `${subject}|${entry.field}`;
}

/** What a reader sees of a logged value; equal views mean no net change. */
export function visibleValue(kind: ChangeKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const o = asObject(v);
  switch (kind) {
    case 'trend':
      return typeof v === 'string' ? v : (o?.label ?? null);
    case 'msg':
      return o ? [o.status, o.rank ?? null, o.of ?? null, o.relation ?? null] : v;
    case 'value':
    case 'peer':
      return figureOf(v);
    case 'action-added':
      return o ? [o.text, o.owner ?? null, o.due ?? null] : v;
    case 'action-done':
      return o ? Boolean(o.done) : v;
    case 'comment':
      return o ? o.text : v;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Entries with since < at ≤ until, in log order. */
export function entriesBetween(store: Store, since: Date, until: Date): ChangeEntry[] {
  const from = since.getTime();
  const to = until.getTime();
  return store.changeLog.filter((e) => {
    const at = Date.parse(e.at);
    return at > from && at <= to;
  });
}

export function netChanges(entries: ChangeEntry[]): NetChange[] {
  const groups = new Map<string, { kind: ChangeKind; entries: ChangeEntry[] }>();
  for (const entry of entries) {
    const kind = kindOfField(entry.field);
    if (!kind) continue;
    const key = groupKey(entry, kind);
    const group = groups.get(key) ?? { kind, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  const result: NetChange[] = [];
  for (const { kind, entries: group } of groups.values()) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    if (same(visibleValue(kind, first.before), visibleValue(kind, last.after))) continue;
    result.push({
      kind,
      target: first.target,
      field: first.field,
      before: first.before ?? null,
      after: last.after ?? null,
      last,
      entries: group,
    });
  }
  return result;
}
