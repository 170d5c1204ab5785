// Pending uploads (previews awaiting Apply or Cancel) in the store, and their temp files.
// Previews last a day; the file's bytes are kept in a temp directory for that long, then
// removed by the next sweep (any upload or click sweeps).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportRecord, PendingImport, Store } from '../../store/index.ts';

export const PREVIEW_TTL_MS = 24 * 60 * 60 * 1000;
/** Settled previews are kept this long (so a late click is answered), then dropped from the store. */
const SETTLED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/** Where uploads are kept while their preview is open; MEASURES_UPLOADS_DIR overrides (tests). */
export function uploadsDir(): string {
  return process.env.MEASURES_UPLOADS_DIR || path.join(os.tmpdir(), 'measures-bot-uploads');
}

export function findPending(store: Store, id: string): PendingImport | undefined {
  return (store.pendingImports ?? []).find((p) => p.id === id);
}

export function isExpired(pending: PendingImport, now: Date): boolean {
  return now.getTime() > Date.parse(pending.expiresAt);
}

/** Adds or replaces a pending upload on the draft, and drops settled ones past keeping. */
export function putPending(draft: Store, pending: PendingImport, now: Date): void {
  const list = (draft.pendingImports ?? []).filter(
    (p) => p.id !== pending.id && now.getTime() - Date.parse(p.expiresAt) < SETTLED_KEPT_MS,
  );
  list.push(pending);
  draft.pendingImports = list;
}

/** The import (not undone) that a file with this content was already applied as, if any. */
export function appliedWithSameContent(store: Store, sha256: string): ImportRecord | undefined {
  return (store.imports ?? []).findLast((r) => !r.undoneBy && r.files.some((f) => f.sha256 === sha256));
}

/** Removes temp copies no open preview needs any more. Never throws. */
export function sweepUploads(store: Store, now: Date): void {
  const root = uploadsDir();
  const needed = new Set(
    (store.pendingImports ?? [])
      .filter((p) => (p.status === 'previewed' || p.status === 'awaiting-measure') && !isExpired(p, now))
      .map((p) => path.basename(path.dirname(p.path))),
  );
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const dir of dirs) {
    if (needed.has(dir)) continue;
    try {
      const full = path.join(root, dir);
      // A directory made in the last minute may belong to an upload still being fetched.
      if (now.getTime() - fs.statSync(full).mtimeMs < 60_000) continue;
      fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Someone else's sweep got there first.
    }
  }
}
