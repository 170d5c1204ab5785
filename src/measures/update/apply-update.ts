// The one code path for analyst updates: the CLI, the slash command and thread replies
// all call applyUpdate. It parses against the snapshot (cheap refusals need no lock), then
// applies under the store's lock to a freshly read document, all or nothing.
import { entriesForMessage, hasMessage } from '../../store/index.ts';
import type { MeasuresStore, ChangeEntry, ChangeSource, Store } from '../../store/index.ts';
import { applyOps, stampEntries, type ChangeContext } from './apply-ops.ts';
import { describeChange, describeKeptPosition } from './describe.ts';
import { quoted } from './limits.ts';
import { londonDate, parseUpdate } from './parse.ts';
import { undoLastMessage } from './undo.ts';
import { UpdateRefused, type ParsedUpdate, type Refusal, type UpdateOp, type UpdateTarget } from './types.ts';

export interface UpdateRequest {
  target: UpdateTarget;
  /** As received; Slack's &amp; &lt; &gt; are decoded here. */
  text: string;
  /** A Slack user ID (the CLI records --as without checking it). */
  author: string;
  source: ChangeSource;
  /** Unique per message: `slack:<channel>:<ts>` for Slack, so retries dedupe; the CLI makes a fresh one. */
  messageId: string;
  /** For tests; defaults to the current time. */
  now?: Date;
}

export type UpdateResult =
  | {
      ok: true;
      status: 'applied';
      messageId: string;
      entries: ChangeEntry[];
      /** One plain-text line per change, e.g. "Trend: Stable → Moderate reduction". Escape before showing in Slack. */
      summary: string[];
      /** The messageId an undo reverted. */
      undid?: string;
    }
  | {
      /** This message was applied before (a Slack retry): nothing changed now. */
      ok: true;
      status: 'duplicate';
      messageId: string;
      entries: ChangeEntry[];
      summary: string[];
    }
  | {
      ok: false;
      status: 'refused';
      refusal: Refusal;
      /** e.g. 'Line 2 ("trend: Great"): … Nothing was changed.' Plain text. */
      message: string;
    };

export function formatRefusal(refusal: Refusal): string {
  const where = refusal.line > 0 ? `Line ${refusal.line} (${quoted(refusal.text, 80)}): ` : '';
  return `${where}${refusal.reason}. Nothing was changed.`;
}

function refused(refusal: Refusal): UpdateResult {
  return { ok: false, status: 'refused', refusal, message: formatRefusal(refusal) };
}

/** ops, when given, are the ones that made the entries, one each in order. */
export function summarize(store: Store, entries: ChangeEntry[], target: UpdateTarget, ops?: UpdateOp[]): string[] {
  // Name the measure when a message can span several, or when a change landed elsewhere than the thread's subject.
  const withSubject = (e: ChangeEntry) =>
    target.kind === 'digest' || (target.kind === 'priority' && e.target.kind === 'measure');
  return entries.map((e, i) => {
    const line = describeChange(store, e, { withSubject: withSubject(e) });
    const kept = ops?.[i]?.kind === 'msg-rank' ? describeKeptPosition(e) : null;
    return kept ? `${line}; ${kept}` : line;
  });
}

function duplicate(store: Store, req: Omit<UpdateRequest, 'text'>): UpdateResult {
  const entries = entriesForMessage(store, req.messageId);
  return {
    ok: true,
    status: 'duplicate',
    messageId: req.messageId,
    entries,
    summary: summarize(store, entries, req.target),
  };
}

/**
 * Applies one analyst message. Resolves with applied, duplicate or refused; rejects with
 * StoreError when the store cannot be written (e.g. the file became invalid): nothing saved.
 * "applied" means the change is durable on disk.
 */
export async function applyUpdate(store: MeasuresStore, req: UpdateRequest): Promise<UpdateResult> {
  const now = req.now ?? new Date();
  if (hasMessage(store.snapshot(), req.messageId)) return duplicate(store.snapshot(), req);
  const parsed = parseUpdate(req.text, req.target, store.snapshot(), now);
  if (!parsed.ok) return refused(parsed.refusal);
  return applyParsed(store, req, parsed, now);
}

/**
 * Applies ops built elsewhere (the update form reads its fields into the same ops the
 * language parses to) through the same all-or-nothing write, dedupe and summary.
 */
export async function applyUpdateOps(
  store: MeasuresStore,
  req: Omit<UpdateRequest, 'text'>,
  ops: UpdateOp[],
): Promise<UpdateResult> {
  const now = req.now ?? new Date();
  if (hasMessage(store.snapshot(), req.messageId)) return duplicate(store.snapshot(), req);
  return applyParsed(store, req, { ok: true, undo: false, ops }, now);
}

async function applyParsed(
  store: MeasuresStore,
  req: Omit<UpdateRequest, 'text'>,
  parsed: Extract<ParsedUpdate, { ok: true }>,
  now: Date,
): Promise<UpdateResult> {
  const ctx: ChangeContext = {
    author: req.author,
    at: now.toISOString(),
    date: londonDate(now),
    source: req.source,
    messageId: req.messageId,
  };
  try {
    const applyMessage = (draft: Store) => {
      // Another process may have applied the same message while we waited for the lock.
      if (hasMessage(draft, req.messageId)) return { duplicate: true as const };
      const undo = parsed.undo ? undoLastMessage(draft, req.author, req.target, parsed.line) : null;
      const changes = parsed.undo ? undo!.entries : applyOps(draft, parsed.ops, ctx);
      const entries = stampEntries(changes, ctx);
      draft.changeLog.push(...entries);
      return { duplicate: false as const, entries, undid: undo?.undoes };
    };
    // The message id lets a store that lost a COMMIT's reply find out whether it was applied.
    const outcome = await store.mutate(applyMessage, { dedupeKey: req.messageId });
    const after = store.snapshot();
    if (outcome.duplicate) return duplicate(after, req);
    return {
      ok: true,
      status: 'applied',
      messageId: req.messageId,
      entries: outcome.entries,
      summary: summarize(after, outcome.entries, req.target, parsed.undo ? undefined : parsed.ops),
      ...(outcome.undid ? { undid: outcome.undid } : {}),
    };
  } catch (err) {
    if (err instanceof UpdateRefused) return refused(err.refusal);
    throw err;
  }
}
