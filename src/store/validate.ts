// Validation and migration of the store document. Pure: text in, Store out (or a StoreError).
import type { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, storeSchema, type Store, type UnitKind } from './schema.ts';
import { StoreError } from './errors.ts';

type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * migrations[n] turns a version-n document into version n+1. Version 0 is a document
 * written before schemaVersion existed: the report data only, with no change log,
 * thread bindings, digest state or ONS figures. Version 1 had no unitKind on measures.
 */
const migrations: Record<number, Migration> = {
  0: (doc) => ({
    ...doc,
    changeLog: doc.changeLog ?? [],
    threads: doc.threads ?? [],
    digest: doc.digest ?? { lastSentAt: null, keys: [] },
    ons: doc.ons ?? [],
    schemaVersion: 1,
  }),
  1: (doc) => ({
    ...doc,
    priorities: mapMeasures(doc.priorities, (m) => ({ ...m, unitKind: m.unitKind ?? unitKindFromText(m.unit) })),
    schemaVersion: 2,
  }),
};

/**
 * The kind of number a unit's wording describes, for documents written before measures
 * carried one. Only wording that is unmistakable gets a kind; anything else is 'other',
 * which keeps only the limits every number has, so a guess can never refuse a real figure.
 */
export function unitKindFromText(unit: unknown): UnitKind {
  if (typeof unit !== 'string') return 'other';
  const s = unit.trim().toLowerCase();
  if (/%|\bper ?cent/.test(s)) return 'percentage';
  if (/\bper\b|\brate\b/.test(s)) return 'rate';
  if (
    /^(number of|offences|crimes|incidents|disruptions|county lines|charges|referrals|arrests|victims|cases)\b/.test(s)
  )
    return 'count';
  return 'other';
}

/** Maps every measure object of every priority; anything not shaped so is left for the schema to name. */
function mapMeasures(priorities: unknown, fn: (m: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (!Array.isArray(priorities)) return priorities;
  return priorities.map((p: unknown) => {
    if (!isObject(p) || !Array.isArray(p.measures)) return p;
    return { ...p, measures: p.measures.map((m: unknown) => (isObject(m) ? fn(m) : m)) };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function migrateStore(doc: Record<string, unknown>, file: string): Record<string, unknown> {
  let version = doc.schemaVersion === undefined ? 0 : doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new StoreError(
      `${file}: schemaVersion must be a whole number, got ${JSON.stringify(version)}`,
      file,
      'schemaVersion',
    );
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new StoreError(
      `${file}: schemaVersion ${version} is newer than this program understands (${CURRENT_SCHEMA_VERSION}); ` +
        'upgrade measures-bot',
      file,
      'schemaVersion',
    );
  }
  let current = doc;
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = migrations[version];
    if (!step) throw new StoreError(`${file}: no migration from schemaVersion ${version}`, file, 'schemaVersion');
    current = step(current);
    version += 1;
  }
  return current;
}

export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

function describeIssue(issue: z.core.$ZodIssue, doc: unknown): string {
  const found = valueAt(doc, issue.path);
  const got = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 80);
  return `${issue.message} (found ${got})`;
}

function valueAt(doc: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

// ignoreBOM keeps a byte-order mark in the text, so JSON.parse refuses it as it always has.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The store's text from the file's bytes. Invalid UTF-8 is refused, naming the first bad byte:
 * a lenient decode would pass validation and the next write would replace the bytes with
 * U+FFFD for good.
 */
export function decodeStoreBytes(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const bad = bytes[offset]!.toString(16).padStart(2, '0');
    throw new StoreError(
      `${file}: not valid UTF-8 at byte offset ${offset} (0x${bad}); the store must be UTF-8 text`,
      file,
    );
  }
}

/**
 * Where the first ill-formed sequence starts (Unicode table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or -1 when every byte is well-formed UTF-8.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // The allowed range of the second byte depends on the lead; later bytes are always 80..BF.
    let trailing: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) trailing = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= trailing; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < low || byte > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += trailing + 1;
  }
  return -1;
}

/** Parses, migrates and validates store text. Throws StoreError naming the file and the bad field. */
export function parseStoreText(text: string, file: string): Store {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StoreError(`${file}: not valid JSON (${(err as Error).message})`, file);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StoreError(`${file}: expected a JSON object at the top level`, file, '(root)');
  }
  return validateStore(migrateStore(raw as Record<string, unknown>, file), file);
}

export function validateStore(doc: unknown, file: string): Store {
  const result = storeSchema.safeParse(doc);
  if (result.success) {
    assertUniqueIds(result.data, file);
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  // Unknown fields are refused rather than dropped: rewriting the file without them would lose them.
  if (issue.code === 'unrecognized_keys') {
    const jsonPath = formatJsonPath([...issue.path, issue.keys[0]!]);
    throw new StoreError(
      `${file}: invalid store at ${jsonPath}: a field this version of measures-bot does not know; ` +
        `expected only the documented fields${more}`,
      file,
      jsonPath,
    );
  }
  const jsonPath = formatJsonPath(issue.path);
  throw new StoreError(`${file}: invalid store at ${jsonPath}: ${describeIssue(issue, doc)}${more}`, file, jsonPath);
}

/** Ids are how commands, threads and the change log find things; a duplicate would be ambiguous. */
function assertUniqueIds(store: Store, file: string): void {
  const seen = new Map<string, string>();
  const check = (id: string, jsonPath: string) => {
    const prior = seen.get(id);
    if (prior)
      throw new StoreError(
        `${file}: invalid store at ${jsonPath}: id "${id}" is already used at ${prior}`,
        file,
        jsonPath,
      );
    seen.set(id, jsonPath);
  };
  store.priorities.forEach((p, i) => {
    check(p.id, `priorities[${i}].id`);
    p.measures.forEach((m, j) => check(m.id, `priorities[${i}].measures[${j}].id`));
  });
}
