// The shapes the update language parses into. Ops name measures and priorities by id,
// resolved when the message was parsed; they are applied to a fresh copy under the lock.

/**
 * What the message was written about: a measure's thread, a priority's thread, or a digest
 * (any measure, named per line).
 */
export type UpdateTarget = { kind: 'measure'; id: string } | { kind: 'priority'; id: string } | { kind: 'digest' };

export interface Refusal {
  /** 1-based line of the message as the analyst wrote it (blank lines count); 0 when no single line is at fault. */
  line: number;
  /** That line as written (entities decoded), or '' when line is 0. */
  text: string;
  reason: string;
}

export interface SourceLine {
  number: number;
  text: string;
}

export type MsgPosition = { rank: number; of: number; relation: 'above' | 'below' | 'similar' };

export type UpdateOp = { line: SourceLine } & (
  | { kind: 'trend'; measureId: string; label: string }
  /** null: "not available". */
  | { kind: 'msg'; measureId: string; position: MsgPosition | null }
  /** "msg: 7th": a new rank; the group size and relation are kept from the position the store holds when applied. */
  | { kind: 'msg-rank'; measureId: string; rank: number }
  /** count: only from the update form, which asks for it where the measure's series holds counts. */
  | { kind: 'value'; measureId: string; period: string; value: number; count?: number }
  | { kind: 'peer'; measureId: string; force: string; period: string; value: number }
  | { kind: 'action'; priorityId: string; text: string; owner: string | null; due: string | null }
  | { kind: 'action-done'; priorityId: string; n: number }
  | { kind: 'comment'; on: { kind: 'measure' | 'priority'; id: string }; text: string }
);

export type ParsedUpdate =
  | { ok: true; undo: false; ops: UpdateOp[] }
  | { ok: true; undo: true; line: SourceLine }
  | { ok: false; refusal: Refusal };

/** Thrown inside a store mutation to abandon it: nothing is written. */
export class UpdateRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = 'UpdateRefused';
  }
}
