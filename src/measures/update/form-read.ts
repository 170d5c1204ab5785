// The update form's fields → the same ops the update language parses to, or an error per field.
// Read against the store as it is when the form is submitted: only what differs from it
// becomes an op, so a form sent back untouched changes nothing. Each field is checked with the
// language's own rules (trend list, 80-character label, value ranges, text limits, control
// characters), so a form can store nothing a thread reply could not.
import { findPriority, type Measure, type Store } from '../../store/index.ts';
import { formDefaults, splitTrend, type FormTarget } from './form-defaults.ts';
import { LIMITS, tooLong } from './limits.ts';
import { controlCharacterIn, londonDate } from './parse.ts';
import { parseTrendLabel } from './trend-labels.ts';
import type { MsgPosition, SourceLine, UpdateOp } from './types.ts';
import { parseMeasureValue, parseNumber, parsePeriod } from './values.ts';

/** What the form holds, as plain strings (empty: left blank). */
export interface UpdateFormInput {
  /** The measure chosen on a priority's form; a measure's form names its own. */
  measureId: string | null;
  trend: string | null;
  qualifier: string;
  msgRank: string | null;
  /** 'above' | 'below' | 'similar' | 'not-available' */
  msgRelation: string | null;
  period: string | null;
  value: string;
  count: string;
  actionText: string;
  actionOwner: string;
  /** A Slack user id from the user select, shown as a mention. */
  actionOwnerUser: string | null;
  actionDue: string | null;
  /** Option values of the ticked actions: "<n>|<addedAt>". */
  done: string[];
  comment: string;
}

export type FormField =
  | 'measure'
  | 'trend'
  | 'qualifier'
  | 'msgRank'
  | 'msgRelation'
  | 'period'
  | 'value'
  | 'count'
  | 'actionText'
  | 'actionOwner'
  | 'actionDue'
  | 'done'
  | 'comment';

export type FormReading = { ok: true; ops: UpdateOp[] } | { ok: false; errors: Partial<Record<FormField, string>> };

/** The value of a done checkbox: its position and when it was added, so a list changed meanwhile is noticed. */
export const doneOptionValue = (n: number, addedAt: string) => `${n}|${addedAt}`;

const lineFor = (field: string): SourceLine => ({ number: 0, text: `form: ${field}` });

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;

export function readUpdateForm(store: Store, target: FormTarget, input: UpdateFormInput, now: Date): FormReading {
  const today = londonDate(now);
  const errors: Partial<Record<FormField, string>> = {};
  const ops: UpdateOp[] = [];
  const defaults = formDefaults(store, target, today, input.measureId);
  if (!defaults) return { ok: false, errors: { measure: 'This measure is no longer in the store.' } };
  const measure = defaults.measure?.measure ?? null;
  if (measure) readMeasureFields(store, measure, input, today, ops, errors);
  else if (hasMeasureInput(input)) errors.measure = 'Choose the measure these figures are for.';
  readActionFields(store, defaults.priorityId, input, ops, errors);

  const comment = input.comment.trim();
  if (comment) {
    const problem = tooLong('the comment', comment, LIMITS.textChars) ?? controlCharacterIn(comment);
    if (problem) errors.comment = sentence(problem);
    else {
      // On a measure's form the comment is the measure's; on a priority's, the priority's (as in its thread).
      const on = target.kind === 'measure' ? { kind: 'measure' as const, id: target.id } : { ...target };
      ops.push({ line: lineFor('comment'), kind: 'comment', on, text: comment });
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, ops };
}

function hasMeasureInput(input: UpdateFormInput): boolean {
  return Boolean(input.trend || input.msgRank || input.msgRelation || input.period || input.value.trim());
}

function readMeasureFields(
  store: Store,
  measure: Measure,
  input: UpdateFormInput,
  today: string,
  ops: UpdateOp[],
  errors: Partial<Record<FormField, string>>,
): void {
  // Trend: a label from the closed list, with an optional qualifier in brackets.
  const qualifier = input.qualifier
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  if (input.trend) {
    const label = qualifier ? `${input.trend} (${qualifier})` : input.trend;
    const long = tooLong('the trend with its qualifier', label, LIMITS.trendLabelChars);
    const control = controlCharacterIn(qualifier);
    const parsed = parseTrendLabel(label);
    if (long) errors.qualifier = sentence(long);
    else if (control) errors.qualifier = sentence(control);
    else if (!parsed.ok) errors.qualifier = 'Leave out brackets inside the qualifier, e.g. 100%.';
    else {
      const current = splitTrend(measure.trend.label);
      const same = current.trend === input.trend && current.qualifier === qualifier;
      if (!same) ops.push({ line: lineFor('trend'), kind: 'trend', measureId: measure.id, label: parsed.label });
    }
  } else if (qualifier) errors.trend = 'Choose the trend the qualifier goes with.';

  // MSG position: a rank out of the group with a relation, or not available.
  const groupSize = store.msg.forces.length;
  if (input.msgRelation === 'not-available') {
    if (measure.benchmark.status !== 'not-available')
      ops.push({ line: lineFor('msg'), kind: 'msg', measureId: measure.id, position: null });
  } else if (input.msgRelation || input.msgRank) {
    const rank = Number(input.msgRank);
    const relation = input.msgRelation as MsgPosition['relation'] | null;
    if (!input.msgRank) errors.msgRank = `Choose the rank, 1 to ${groupSize}.`;
    else if (!Number.isInteger(rank) || rank < 1 || rank > groupSize)
      errors.msgRank = `The rank is between 1 and ${groupSize}.`;
    if (!relation) errors.msgRelation = 'Choose above, similar or below the MSG average, or not available.';
    else if (!['above', 'below', 'similar'].includes(relation)) errors.msgRelation = 'Choose one of the options.';
    if (!errors.msgRank && !errors.msgRelation) {
      const b = measure.benchmark;
      const same = b.status === 'published' && b.rank === rank && b.of === groupSize && b.relation === relation;
      if (!same)
        ops.push({
          line: lineFor('msg'),
          kind: 'msg',
          measureId: measure.id,
          position: { rank, of: groupSize, relation: relation! },
        });
    }
  }

  // A figure: a period, its value and, where the series has them, its count.
  const valueText = input.value.trim();
  const countText = input.count.trim();
  if (!input.period) {
    if (valueText || countText) errors.period = 'Choose the period this figure is for.';
    return;
  }
  const period = parsePeriod(input.period, today);
  if (!period.ok) {
    errors.period = sentence(period.reason);
    return;
  }
  if (!valueText) {
    if (countText) errors.value = 'Give the value as well as the count.';
    return;
  }
  const value = parseMeasureValue(valueText, measure);
  if (!value.ok) errors.value = sentence(value.reason);
  let count: number | undefined;
  if (countText) {
    const parsed = parseNumber(countText);
    if (!parsed.ok) errors.count = sentence(parsed.reason);
    else if (!Number.isInteger(parsed.value) || parsed.value < 0 || parsed.value > LIMITS.magnitude)
      errors.count = 'The count is a whole number, 0 or more.';
    else count = parsed.value;
  }
  if (!value.ok || errors.count) return;
  const held = measure.series?.points.find((p) => p.period === period.value);
  const same = held && held.value === value.value && (count === undefined || held.count === count);
  if (!same)
    ops.push({
      line: lineFor('value'),
      kind: 'value',
      measureId: measure.id,
      period: period.value,
      value: value.value,
      ...(count !== undefined ? { count } : {}),
    });
}

function readActionFields(
  store: Store,
  priorityId: string,
  input: UpdateFormInput,
  ops: UpdateOp[],
  errors: Partial<Record<FormField, string>>,
): void {
  const priority = findPriority(store, priorityId)!;
  const text = input.actionText.trim();
  const ownerText = input.actionOwner.trim();
  const ownerUser =
    input.actionOwnerUser && /^[UW][A-Z0-9]{2,}$/.test(input.actionOwnerUser) ? input.actionOwnerUser : null;
  if (text) {
    const textProblem = tooLong("the action's text", text, LIMITS.textChars) ?? controlCharacterIn(text);
    if (textProblem) errors.actionText = sentence(textProblem);
    const owner = [ownerText, ownerUser ? `<@${ownerUser}>` : ''].filter(Boolean).join(' ') || null;
    const ownerProblem = owner
      ? (tooLong('the owner', owner, LIMITS.ownerChars) ?? controlCharacterIn(ownerText))
      : null;
    if (ownerProblem) errors.actionOwner = sentence(ownerProblem);
    if (!textProblem && !ownerProblem)
      ops.push({ line: lineFor('action'), kind: 'action', priorityId, text, owner, due: input.actionDue || null });
  } else if (ownerText || ownerUser || input.actionDue) {
    errors.actionText = 'Describe the action that the owner or due date is for.';
  }

  for (const value of input.done) {
    const [nText, addedAt] = value.split('|');
    const n = Number(nText);
    const action = priority.plannedActions[n - 1];
    if (!action || action.addedAt !== addedAt) {
      errors.done = 'The actions have changed since this form was opened; close it and open it again.';
      return;
    }
    if (!action.done) ops.push({ line: lineFor('action done'), kind: 'action-done', priorityId, n });
  }
}
