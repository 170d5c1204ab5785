// Applies parsed ops to a store document (the locked draft) and returns the change-log
// entries that record them. Throws UpdateRefused when the fresh document makes a line
// impossible (e.g. "action done: 7" of 3 actions); the caller then writes nothing.
import { findMeasure, findPriority } from '../../store/index.ts';
import type {
  Action,
  Benchmark,
  ChangeEntry,
  ChangeSource,
  Comment,
  PeerValue,
  SeriesPoint,
  Store,
  Trend,
} from '../../store/index.ts';
import { ordinal } from '../wording.ts';
import { withKeptPosition } from './kept-position.ts';
import { analystSeries, pointFor, putPoint } from './store-access.ts';
import { UpdateRefused, type MsgPosition, type SourceLine, type UpdateOp } from './types.ts';

export interface ChangeContext {
  author: string;
  /** ISO 8601 time of the update. */
  at: string;
  /** The update's date in the force's time zone (YYYY-MM-DD): the as-of date of trends and positions it sets. */
  date: string;
  source: ChangeSource;
  messageId: string;
}

export type NewEntry = Pick<ChangeEntry, 'target' | 'field' | 'before' | 'after'> & { undoes?: string };

/** Stamps entries with the message's id, author, time and source. */
export function stampEntries(entries: NewEntry[], ctx: ChangeContext): ChangeEntry[] {
  return entries.map((e, i) => ({
    id: `${ctx.messageId}#${i + 1}`,
    messageId: ctx.messageId,
    author: ctx.author,
    at: ctx.at,
    source: ctx.source,
    target: e.target,
    field: e.field,
    before: e.before ?? null,
    after: e.after ?? null,
    ...(e.undoes ? { undoes: e.undoes } : {}),
  }));
}

const RELATION_WORDS: Record<MsgPosition['relation'], string> = {
  above: 'higher than MSG average',
  below: 'below MSG average',
  similar: 'similar to MSG average',
};

export function benchmarkFor(position: MsgPosition | null, asOf: string): Benchmark {
  if (!position) return { status: 'not-available', asOf, text: 'Not available' };
  return {
    status: 'published',
    ...position,
    asOf,
    text: `${ordinal(position.rank)}/${position.of} MSG (${RELATION_WORDS[position.relation]})`,
  };
}

const refuseAt = (line: SourceLine, reason: string): never => {
  throw new UpdateRefused({ line: line.number, text: line.text, reason });
};

export function applyOps(draft: Store, ops: UpdateOp[], ctx: ChangeContext): NewEntry[] {
  // Copy each entry as it is made: a later line may change the same objects (a peer line
  // edits the point a value line created), and the log must record each line's own result.
  return ops.map((op) => structuredClone(applyOp(draft, op, ctx)));
}

function applyOp(draft: Store, op: UpdateOp, ctx: ChangeContext): NewEntry {
  const analystSource = `analyst update by ${ctx.author}`;
  switch (op.kind) {
    case 'trend': {
      const { measure } = measureOrRefuse(draft, op.measureId, op.line);
      const before: Trend = measure.trend;
      measure.trend = { label: op.label, asOf: ctx.date };
      return { target: { kind: 'measure', id: measure.id }, field: 'trend', before, after: measure.trend };
    }
    case 'msg': {
      const { measure } = measureOrRefuse(draft, op.measureId, op.line);
      const before = measure.benchmark;
      measure.benchmark = benchmarkFor(op.position, ctx.date);
      return { target: { kind: 'measure', id: measure.id }, field: 'benchmark', before, after: measure.benchmark };
    }
    case 'msg-rank': {
      const { measure } = measureOrRefuse(draft, op.measureId, op.line);
      const before = measure.benchmark;
      const kept = withKeptPosition(measure, op.rank, draft.msg.forces.length);
      if (!kept.ok) return refuseAt(op.line, kept.reason);
      measure.benchmark = benchmarkFor(kept.value, ctx.date);
      return { target: { kind: 'measure', id: measure.id }, field: 'benchmark', before, after: measure.benchmark };
    }
    case 'value': {
      const { measure } = measureOrRefuse(draft, op.measureId, op.line);
      const before = pointFor(measure, op.period);
      // The imported count and import time described the old value; keep only the peers (and a
      // count only when the update gives one: the form asks for it beside the value).
      const after: SeriesPoint = {
        period: op.period,
        value: op.value,
        ...(op.count !== undefined ? { count: op.count } : {}),
        ...(before?.peers ? { peers: before.peers } : {}),
        source: analystSource,
      };
      measure.series ??= analystSeries();
      putPoint(measure.series, after);
      return { target: { kind: 'measure', id: measure.id }, field: `value:${op.period}`, before, after };
    }
    case 'peer': {
      const { measure } = measureOrRefuse(draft, op.measureId, op.line);
      const point = pointFor(measure, op.period);
      if (!point) {
        return refuseAt(
          op.line,
          `${measure.title} has no ${draft.force.shortName} value for ${op.period} yet; ` +
            `add "value ${op.period}: <number>" first (an earlier line of this message will do)`,
        );
      }
      const before: PeerValue | null = point.peers?.[op.force] ?? null;
      const after: PeerValue = { value: op.value, source: analystSource };
      point.peers = { ...point.peers, [op.force]: after };
      return { target: { kind: 'measure', id: measure.id }, field: `peer:${op.force}:${op.period}`, before, after };
    }
    case 'action': {
      const priority = priorityOrRefuse(draft, op.priorityId, op.line);
      const action: Action = {
        text: op.text,
        done: false,
        owner: op.owner,
        due: op.due,
        addedBy: ctx.author,
        addedAt: ctx.at,
      };
      priority.plannedActions.push(action);
      return { target: { kind: 'priority', id: priority.id }, field: 'action:add', before: null, after: action };
    }
    case 'action-done': {
      const priority = priorityOrRefuse(draft, op.priorityId, op.line);
      const actions = priority.plannedActions;
      const before = actions[op.n - 1];
      if (!before) {
        return refuseAt(
          op.line,
          actions.length === 0
            ? `${priority.title} has no planned actions`
            : `there is no action ${op.n}; ${priority.title} has ${actions.length} (numbered 1 to ${actions.length})`,
        );
      }
      if (before.done) return refuseAt(op.line, `action ${op.n} is already done`);
      const after: Action = { ...before, done: true, doneBy: ctx.author, doneAt: ctx.at };
      actions[op.n - 1] = after;
      return { target: { kind: 'priority', id: priority.id }, field: 'action:done', before, after };
    }
    case 'comment': {
      const comment: Comment = { text: op.text, by: ctx.author, at: ctx.at };
      const owner =
        op.on.kind === 'measure'
          ? measureOrRefuse(draft, op.on.id, op.line).measure
          : priorityOrRefuse(draft, op.on.id, op.line);
      owner.comments.push(comment);
      return { target: { kind: op.on.kind, id: op.on.id }, field: 'comment', before: null, after: comment };
    }
  }
}

function measureOrRefuse(draft: Store, id: string, line: SourceLine) {
  return findMeasure(draft, id) ?? refuseAt(line, `the measure "${id}" no longer exists`);
}

function priorityOrRefuse(draft: Store, id: string, line: SourceLine) {
  return findPriority(draft, id) ?? refuseAt(line, `the priority "${id}" no longer exists`);
}
