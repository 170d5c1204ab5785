// Change-log entries for an import. One import is one message: every entry it appends
// shares one messageId, so the digest reports it as one update and history groups it.
import { randomUUID } from 'node:crypto';
import type { ChangeEntry } from '../store/index.ts';

export interface ImportContext {
  /** ISO 8601 time of the import, also stamped on every point it writes. */
  importedAt: string;
  messageId: string;
  /** Who ran it (a Slack user id when given with --as, else "import"). */
  author: string;
}

export function newImportContext(author: string, now: Date = new Date()): ImportContext {
  const importedAt = now.toISOString();
  return { importedAt, author, messageId: `import:${randomUUID()}` };
}

/** Collects entries in order; ids are "<messageId>#<n>", as the update path stamps them. */
export class ImportChanges {
  readonly entries: ChangeEntry[] = [];
  constructor(private readonly ctx: ImportContext) {}

  add(measureId: string, field: string, before: unknown, after: unknown): void {
    this.entries.push({
      id: `${this.ctx.messageId}#${this.entries.length + 1}`,
      messageId: this.ctx.messageId,
      author: this.ctx.author,
      at: this.ctx.importedAt,
      source: { kind: 'import' },
      target: { kind: 'measure', id: measureId },
      field,
      before,
      after,
    });
  }
}
