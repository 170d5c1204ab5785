// The update language: message text → ops, or a refusal naming the line and why.
// Pure: the store is only read, to resolve measure and force names.
import { allMeasures, findMeasure, findPriority, type Measure, type Priority, type Store } from '../../store/index.ts';
import { findMeasureWithin, resolveQuery } from '../resolve.ts';
import { decodeSlackEntities } from './entities.ts';
import { parseTrendLabel } from './trend-labels.ts';
import {
  leadingKeyword,
  matchClause,
  matchNamedClause,
  messageLines,
  USAGE_BY_KEYWORD,
  type Clause,
  type MessageLine,
} from './syntax.ts';
import {
  findForce,
  normalizeName,
  parseActionText,
  parseMeasureValue,
  parseMsg,
  parsePeriod,
  parsePositiveInteger,
} from './values.ts';
import { withKeptPosition } from './kept-position.ts';
import { LIMITS, quoted, tooLong } from './limits.ts';
import type { ParsedUpdate, Refusal, UpdateOp, UpdateTarget } from './types.ts';

/** The calendar date in the force's time zone: an update at 00:30 BST is dated that day, not yesterday. */
export function londonDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

class LineRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const refuse = (reason: string): never => {
  throw new LineRefusal(reason);
};

interface Context {
  store: Store;
  target: UpdateTarget;
  today: string;
}

export function parseUpdate(text: string, target: UpdateTarget, store: Store, now: Date = new Date()): ParsedUpdate {
  const decoded = decodeSlackEntities(text);
  const lines = messageLines(decoded);
  const first = lines[0];
  if (!first) return { ok: false, refusal: { line: 0, text: '', reason: 'the update is empty' } };
  const targetProblem = checkTarget(store, target);
  if (targetProblem) return { ok: false, refusal: { line: 0, text: '', reason: targetProblem } };
  if (lines.length > LIMITS.lines) {
    const reason =
      `the update has ${lines.length.toLocaleString('en-GB')} lines, ` +
      `more than the ${LIMITS.lines} allowed; send the rest as another message`;
    return { ok: false, refusal: { line: 0, text: '', reason } };
  }

  const ctx: Context = { store, target, today: londonDate(now) };
  const ops: UpdateOp[] = [];
  for (const line of lines) {
    try {
      // Before any pattern runs, so a pasted page costs nothing to refuse.
      const long = tooLong('the line', line.text, LIMITS.lineChars);
      if (long)
        refuse(
          `${long} (a comment or an action's text may have ${LIMITS.textChars.toLocaleString('en-GB')}, ` +
            `a trend label ${LIMITS.trendLabelChars})`,
        );
      const control = controlCharacterIn(line.text);
      if (control) refuse(control);
      const parsed = parseLine(line, ctx);
      if (parsed === 'undo') {
        if (lines.length > 1) refuse('undo must be the only line of its message');
        return { ok: true, undo: true, line: { number: line.number, text: line.text } };
      }
      ops.push(parsed);
    } catch (err) {
      if (err instanceof LineRefusal)
        return { ok: false, refusal: { line: line.number, text: line.text, reason: err.reason } };
      throw err;
    }
  }
  return { ok: true, undo: false, ops };
}

// Control characters (an ANSI escape, a lone carriage return) would be stored and later
// replayed by a terminal or a log viewer, rewriting what another reader sees. No measure
// text needs them, so the line is refused rather than silently cleaned.
// eslint-disable-next-line no-control-regex -- matching control characters is the point: the line is refused
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

export function controlCharacterIn(text: string): string | null {
  const match = CONTROL.exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return (
    `the line holds a control character (U+${code}) at character ${match.index + 1}; ` +
    'type the line again without it'
  );
}

function checkTarget(store: Store, target: UpdateTarget): string | null {
  if (target.kind === 'measure' && !findMeasure(store, target.id)) return `there is no measure "${target.id}"`;
  if (target.kind === 'priority' && !findPriority(store, target.id)) return `there is no priority "${target.id}"`;
  return null;
}

function parseLine(line: MessageLine, ctx: Context): UpdateOp | 'undo' {
  const clause = matchClause(line.text);
  if (clause) {
    if (clause.keyword === 'undo') return 'undo';
    return buildOp(clause, unnamedSubject(clause, ctx), line, ctx);
  }
  if (ctx.target.kind !== 'measure') {
    const named = matchNamedClause(line.text);
    if (named) return buildOp(named.clause, { measure: resolveMeasureName(named.name, ctx) }, line, ctx);
  }
  const keyword = leadingKeyword(line.text);
  if (keyword) return refuse(`expected "${USAGE_BY_KEYWORD[keyword]}"`);
  if (ctx.target.kind === 'measure') {
    return refuse(
      'not an update line; each line starts with a keyword: trend, msg, value, peer, action, action done, ' +
        'comment or undo',
    );
  }
  return refuse(
    `not an update line; name the measure, then the keyword, e.g. "${exampleMeasureName(ctx)} trend: Stable"`,
  );
}

type Subject = { measure: Measure } | { priority: Priority };

/** A line without a measure name: the thread's measure, or the priority itself for actions and comments. */
function unnamedSubject(clause: Clause, ctx: Context): Subject {
  const { target, store } = ctx;
  if (target.kind === 'measure') return { measure: measureById(store, target.id) };
  if (target.kind === 'priority') {
    const priority = findPriority(store, target.id)!;
    if (clause.keyword === 'action' || clause.keyword === 'action done' || clause.keyword === 'comment')
      return { priority };
    if (priority.measures.length === 1) return { measure: priority.measures[0]! };
    return refuse(
      `name the measure first, e.g. "${exampleMeasureName(ctx)} ${clause.keyword} …"; ` +
        `this priority's measures: ${priority.measures.map((m) => m.title).join('; ')}`,
    );
  }
  return refuse(`name the measure first, e.g. "robbery ${clause.keyword} …"`);
}

function buildOp(
  clause: Exclude<Clause, { keyword: 'undo' }>,
  subject: Subject,
  line: MessageLine,
  ctx: Context,
): UpdateOp {
  const source = { number: line.number, text: line.text };
  const measure = 'measure' in subject ? subject.measure : null;
  const priority = 'priority' in subject ? subject.priority : findMeasure(ctx.store, measure!.id)!.priority;
  switch (clause.keyword) {
    case 'trend': {
      const long = tooLong('the trend label', clause.label.trim(), LIMITS.trendLabelChars);
      if (long) return refuse(long);
      const parsed = parseTrendLabel(clause.label);
      if (!parsed.ok) return refuse(parsed.reason);
      return { line: source, kind: 'trend', measureId: measure!.id, label: parsed.label };
    }
    case 'msg': {
      const reading = valueOrRefuse(parseMsg(clause.text, ctx.store.msg.forces.length));
      if (reading.kind === 'position')
        return { line: source, kind: 'msg', measureId: measure!.id, position: reading.position };
      // Read again from the locked copy when applied; here it refuses cheaply.
      valueOrRefuse(withKeptPosition(measure!, reading.rank, ctx.store.msg.forces.length));
      return { line: source, kind: 'msg-rank', measureId: measure!.id, rank: reading.rank };
    }
    case 'value': {
      const period = valueOrRefuse(parsePeriod(clause.period, ctx.today));
      const value = valueOrRefuse(parseMeasureValue(clause.number, measure!));
      return { line: source, kind: 'value', measureId: measure!.id, period, value };
    }
    case 'peer': {
      const force = findForce(ctx.store.msg.forces, clause.force);
      if (!force) {
        return refuse(
          `${quoted(clause.force)} is not a force in the most similar group: ${peerNames(ctx.store).join(', ')}`,
        );
      }
      if (force.slug === ctx.store.force.slug)
        return refuse(`${force.name} is this force; use "value <YYYY-MM>: <number>"`);
      const period = valueOrRefuse(parsePeriod(clause.period, ctx.today));
      const value = valueOrRefuse(parseMeasureValue(clause.number, measure!));
      return { line: source, kind: 'peer', measureId: measure!.id, force: force.slug, period, value };
    }
    case 'action': {
      const parsed = valueOrRefuse(parseActionText(clause.text));
      return { line: source, kind: 'action', priorityId: priority.id, ...parsed };
    }
    case 'action done': {
      const n = valueOrRefuse(parsePositiveInteger(clause.n, 'an action number (1 is the first action listed)'));
      return { line: source, kind: 'action-done', priorityId: priority.id, n };
    }
    case 'comment': {
      const text = clause.text.trim();
      if (!text) return refuse('the comment is empty');
      const long = tooLong('the comment', text, LIMITS.textChars);
      if (long) return refuse(`${long}; write it as several comment lines`);
      const on = measure
        ? { kind: 'measure' as const, id: measure.id }
        : { kind: 'priority' as const, id: priority.id };
      return { line: source, kind: 'comment', on, text };
    }
  }
}

function valueOrRefuse<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }): T {
  return parsed.ok ? parsed.value : refuse(parsed.reason);
}

function measureById(store: Store, id: string): Measure {
  const found = findMeasure(store, id);
  if (!found) throw new Error(`no measure ${id}`); // checked by checkTarget
  return found.measure;
}

function peerNames(store: Store): string[] {
  return store.msg.forces.filter((f) => f.slug !== store.force.slug).map((f) => f.name);
}

function exactlyNamed(measures: Measure[], name: string): Measure | undefined {
  const wanted = normalizeName(name);
  return measures.find((m) => [m.id, m.title, ...m.aliases].some((n) => normalizeName(n) === wanted));
}

/** Among the priority's measures only (priority form), or among all measures (digest form). */
function resolveMeasureName(name: string, ctx: Context): Measure {
  const { store, target } = ctx;
  if (target.kind === 'priority') {
    const priority = findPriority(store, target.id)!;
    const found =
      exactlyNamed(priority.measures, name) ?? measureOrNull(store, findMeasureWithin(store, priority.id, name)?.id);
    if (found) return found;
    return refuse(
      `${quoted(name)} is not one of this priority's measures: ${priority.measures.map((m) => m.title).join('; ')}`,
    );
  }
  const exact = exactlyNamed(allMeasures(store), name);
  if (exact) return exact;
  const resolved = resolveQuery(store, name);
  // A weak match may answer a question, but never picks the measure a write goes to.
  if ((resolved.kind === 'measure' || resolved.kind === 'priority') && resolved.tentative) {
    return refuse(`${quoted(name)} could be ${resolved.ref.title}; name the measure more fully`);
  }
  if (resolved.kind === 'measure') return measureById(store, resolved.ref.id);
  if (resolved.kind === 'priority') {
    const priority = findPriority(store, resolved.ref.id)!;
    if (priority.measures.length === 1) return priority.measures[0]!;
    return refuse(
      `${quoted(name)} is a priority with several measures; ` +
        `name one: ${priority.measures.map((m) => m.title).join('; ')}`,
    );
  }
  if (resolved.kind === 'ambiguous') {
    return refuse(
      `${quoted(name)} could be ${resolved.candidates.map((c) => c.title).join(' or ')}; name the measure more fully`,
    );
  }
  return refuse(`no measure is called ${quoted(name)}`);
}

function measureOrNull(store: Store, id: string | undefined): Measure | null {
  return id ? measureById(store, id) : null;
}

function exampleMeasureName(ctx: Context): string {
  if (ctx.target.kind === 'priority') {
    const measure = findPriority(ctx.store, ctx.target.id)?.measures[0];
    return measure ? (measure.aliases[0] ?? measure.title).toLowerCase() : 'robbery';
  }
  return 'robbery';
}

export type { Refusal };
