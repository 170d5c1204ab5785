// What an import replaced, kept so that it can be undone. The change log holds only values,
// not counts, peers or a replaced series, so undo needs these; but each one can be tens of KB
// and every command reads the whole store, so only the most recent imports keep theirs. Undo
// is for a recent mistake; an older import is corrected by importing again.
import type { ChangeEntry, ImportRecord, Store } from '../store/index.ts';

/** How many imports, the most recent, can be undone. */
export const UNDOABLE_IMPORTS = 20;

/**
 * Keeps what the import whose change-log entries are `entries` replaced (`diff`, copied so that
 * the store holds its own), and lets the oldest go beyond the most recent UNDOABLE_IMPORTS.
 */
export function recordImport(
  draft: Store,
  entries: ChangeEntry[],
  meta: Pick<ImportRecord, 'kind' | 'files'>,
  diff: Pick<ImportRecord, 'measures' | 'ons'>,
): void {
  const first = entries[0];
  if (!first) return;
  const record: ImportRecord = {
    messageId: first.messageId,
    at: first.at,
    author: first.author,
    kind: meta.kind,
    files: meta.files,
    measures: structuredClone(diff.measures),
    ons: structuredClone(diff.ons),
  };
  draft.imports = [...(draft.imports ?? []), record].slice(-UNDOABLE_IMPORTS);
}
