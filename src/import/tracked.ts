// Runs any importer (police.uk, ONS, series) through one wrapper around the store it writes:
// - a dry run merges into a copy of the snapshot and saves nothing;
// - a real run merges under the store's lock as before, and also keeps the import's record
//   (the points before and after) so it can be undone whole;
// - either way the preview is built from the same merge, so a dry run shows what applying will do.
// The importers themselves are unchanged: they call mutate once, and this is that mutate.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChangeEntry, ChangeSource, MeasuresStore, Store } from '../store/index.ts';
import { diffImport, type MeasureDiff, type OnsDiff } from './diff.ts';
import { buildPreview, type ImportKind, type ImportPreview } from './preview.ts';
import { recordImport } from './records.ts';
import { snapshotAll } from './refresh.ts';

export interface TrackOptions {
  kind: ImportKind;
  files: { name: string; sha256: string | null }[];
  dryRun: boolean;
  /** Where an import applied from Slack came from (its channel and thread), stamped on its change-log entries. */
  source?: ChangeSource;
  /** Called with the preview inside the locked write, before anything is saved; throwing aborts the write. */
  check?: (preview: ImportPreview) => void;
}

export interface Tracked {
  store: MeasuresStore;
  /** The preview of the one merge run through `store` (null until it has run). */
  preview(): ImportPreview | null;
  /** What the merge changed and the change-log entries it wrote: a dry run's, for applyImportOutcome. */
  outcome(): ImportOutcome | null;
}

export interface ImportOutcome {
  preview: ImportPreview;
  diff: { measures: MeasureDiff[]; ons: OnsDiff[] };
  entries: ChangeEntry[];
}

export function trackImport(inner: MeasuresStore, options: TrackOptions): Tracked {
  let preview: ImportPreview | null = null;
  let outcome: ImportOutcome | null = null;
  const run = <T>(draft: Store, fn: (draft: Store) => T): T => {
    const before = structuredClone(draft);
    const computedBefore = snapshotAll(draft);
    const logStart = draft.changeLog.length;
    const result = fn(draft);
    const entries = draft.changeLog.slice(logStart);
    if (options.source) for (const e of entries) e.source = { ...options.source, kind: 'import' };
    const diff = diffImport(before, draft);
    const messageId = entries[0]?.messageId ?? null;
    preview = buildPreview({
      source: options.kind,
      files: options.files.map((f) => f.name),
      applied: !options.dryRun,
      messageId: options.dryRun ? null : messageId,
      after: draft,
      diff,
      computedBefore,
      computedAfter: snapshotAll(draft),
      changes: entries.length,
    });
    outcome = { preview, diff, entries: structuredClone(entries) };
    options.check?.(preview);
    if (!options.dryRun) recordImport(draft, entries, options, diff);
    return result;
  };
  const mutate = <T>(fn: (draft: Store) => T, ...rest: unknown[]): Promise<T> =>
    options.dryRun
      ? Promise.resolve().then(() => run(structuredClone(inner.snapshot()), fn))
      : (inner.mutate as (fn: (draft: Store) => T, ...rest: unknown[]) => Promise<T>)((d) => run(d, fn), ...rest);
  // Everything but mutate is the inner store's own, whatever members the store contract has.
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'mutate') return mutate;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, preview: () => preview, outcome: () => outcome };
}

/** Names and sha256 of the files given (folders are listed by name only). Hashed as a stream: a zip may be large. */
export async function describeFiles(paths: string[]): Promise<{ name: string; sha256: string | null }[]> {
  return Promise.all(paths.map(async (p) => ({ name: path.basename(p), sha256: await fileSha256(p) })));
}

export async function fileSha256(file: string): Promise<string | null> {
  try {
    if (!(await fs.promises.stat(file)).isFile()) return null;
  } catch {
    // A missing path is the importer's to report, with its own wording.
    return null;
  }
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
