// The update form as a Slack modal: pure builders from the form's defaults (read from the store,
// measures/update/form-defaults.ts) to a view, and from a submitted view's state back to the
// form's fields. Every block is optional: an analyst changes what they need and the rest is
// sent back as it was, which changes nothing.
import type { types } from '@slack/bolt';
import { formatNumber } from '../../measures/wording.ts';
import type { FormDefaults, FormTarget } from '../../measures/update/form-defaults.ts';
import { doneOptionValue, type FormField, type UpdateFormInput } from '../../measures/update/form-read.ts';
import { TREND_LABELS } from '../../measures/update/index.ts';
import { LIMITS as UPDATE_LIMITS } from '../../measures/update/limits.ts';
import type { AnalystCheck } from '../analysts.ts';
import { context as contextLine, escapeMrkdwn, section } from './block-kit.ts';

export const UPDATE_FORM_CALLBACK = 'update_form';
export const UPDATE_REFUSED_CALLBACK = 'update_refused';
/** The measure select on a priority's form: choosing one redraws the form with its fields. */
export const FORM_MEASURE_ACTION = 'update_form_measure';

/** Block ids of the input blocks; field errors are keyed by them. */
export const FORM_BLOCKS: Record<FormField | 'actionOwnerUser', string> = {
  measure: 'measure',
  trend: 'trend',
  qualifier: 'qualifier',
  msgRank: 'msg_rank',
  msgRelation: 'msg_relation',
  period: 'period',
  value: 'value',
  count: 'count',
  actionText: 'action_text',
  actionOwner: 'action_owner',
  actionOwnerUser: 'action_owner_user',
  actionDue: 'action_due',
  done: 'done',
  comment: 'comment',
};
/** Every input's action id (one input per block). */
export const INPUT_ACTION = 'input';

/** What the modal carries to its submission: what it updates and the answer it was opened from. */
export interface FormMetadata {
  target: FormTarget;
  measureId: string | null;
  /** The answer's channel and ts; absent when it was private (ephemeral). */
  channel: string | null;
  ts: string | null;
}

export type View = types.ModalView;
type InputBlock = types.InputBlock;
type Option = types.PlainTextOption;

const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: plainCut(text, max) });
/** Plain text is not mrkdwn: nothing to escape, only to cut. */
const plainCut = (text: string, max: number) =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
const option = (text: string, value: string): Option => ({ text: plain(text), value });

const RELATIONS: Array<[string, string]> = [
  ['above', 'Above the MSG average'],
  ['similar', 'Similar to the MSG average'],
  ['below', 'Below the MSG average'],
  ['not-available', 'Not available'],
];

function input(
  field: keyof typeof FORM_BLOCKS,
  label: string,
  element: InputBlock['element'],
  hint?: string,
): InputBlock {
  return {
    type: 'input',
    block_id: FORM_BLOCKS[field],
    optional: true,
    label: plain(label, 2000),
    element,
    ...(hint ? { hint: plain(hint, 2000) } : {}),
  };
}

function select(options: Option[], initial: string | null | undefined, placeholder: string) {
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'static_select' as const,
    action_id: INPUT_ACTION,
    placeholder: plain(placeholder, 150),
    options,
    ...(chosen ? { initial_option: chosen } : {}),
  };
}

function textInput(initial: string, maxLength: number, multiline = false) {
  return {
    type: 'plain_text_input' as const,
    action_id: INPUT_ACTION,
    // Slack refuses a view whose initial value is longer than its input allows.
    max_length: Math.max(maxLength, [...initial].length),
    multiline,
    ...(initial ? { initial_value: initial } : {}),
  };
}

function measureBlocks(d: FormDefaults): types.KnownBlock[] {
  const m = d.measure;
  if (!m) return [contextLine('Choose a measure above to update its trend, MSG position or figures.')];
  const unit = escapeMrkdwn(m.measure.unit);
  const latestPeriod = m.latest && (m.periods.find((p) => p.period === m.latest!.period)?.label ?? m.latest.period);
  const countUnit = m.measure.series?.countUnit;
  const latestCount =
    m.latest?.count != null
      ? ` (${formatNumber(m.latest.count)}${countUnit ? ` ${escapeMrkdwn(countUnit)}` : ''})`
      : '';
  const latest = m.latest
    ? `Latest held: ${latestPeriod}, ${formatNumber(m.latest.value)}${latestCount}`
    : 'No figures are held yet.';
  const blocks: types.KnownBlock[] = [
    input(
      'trend',
      'Trend',
      select(
        TREND_LABELS.map((l) => option(l, l)),
        m.trend,
        'Choose a trend',
      ),
    ),
    input(
      'qualifier',
      'Trend qualifier',
      textInput(m.qualifier, UPDATE_LIMITS.trendLabelChars - 4),
      `Optional, e.g. 100%. Shown in brackets after the trend; ${UPDATE_LIMITS.trendLabelChars} characters in all.`,
    ),
    input(
      'msgRank',
      'MSG position: rank',
      select(
        Array.from({ length: m.groupSize }, (_, i) => option(`${i + 1} of ${m.groupSize}`, String(i + 1))),
        m.msg.rank === null ? null : String(m.msg.rank),
        'Rank (1 is best)',
      ),
      '1 is the best performing force in the most similar group.',
    ),
    input(
      'msgRelation',
      'MSG position: against the average',
      select(
        RELATIONS.map(([value, text]) => option(text, value)),
        m.msg.relation,
        'Above, similar or below',
      ),
    ),
    { type: 'divider' },
    section(`*A figure* (in ${unit})\n${latest}`),
    input(
      'period',
      'Period',
      select(
        m.periods.map((p) => option(p.label, p.period)),
        m.latest?.period,
        'Choose a period',
      ),
    ),
    input('value', `Value (${m.measure.unit})`, textInput(m.latest ? String(m.latest.value) : '', 40)),
  ];
  if (m.hasCounts)
    blocks.push(
      input(
        'count',
        `Count${m.measure.series?.countUnit ? ` (${m.measure.series.countUnit})` : ''}`,
        textInput(m.latest?.count != null ? String(m.latest.count) : '', 20),
      ),
    );
  return blocks;
}

function actionBlocks(d: FormDefaults): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    { type: 'divider' },
    section('*A new planned action*'),
    input('actionText', 'Action', textInput('', UPDATE_LIMITS.textChars, true)),
    input(
      'actionOwner',
      'Owner',
      textInput('', UPDATE_LIMITS.ownerChars),
      'A person or a team, or pick someone below.',
    ),
    input('actionOwnerUser', 'Owner in Slack', {
      type: 'users_select',
      action_id: INPUT_ACTION,
      placeholder: plain('Pick a person', 150),
    }),
    input('actionDue', 'Due', { type: 'datepicker', action_id: INPUT_ACTION, placeholder: plain('Due date', 150) }),
  ];
  if (d.openActions.length) {
    blocks.push(
      input('done', 'Mark open actions done', {
        type: 'checkboxes',
        action_id: INPUT_ACTION,
        options: d.openActions.map((a) => option(`${a.n}. ${a.action.text}`, doneOptionValue(a.n, a.action.addedAt))),
      }),
    );
    if (d.moreOpenActions > 0)
      blocks.push(
        contextLine(
          `The 10 oldest open actions are listed; ${d.moreOpenActions} more can be marked done in the thread.`,
        ),
      );
  }
  blocks.push({ type: 'divider' }, input('comment', 'Comment', textInput('', UPDATE_LIMITS.textChars, true)));
  return blocks;
}

export function updateFormView(d: FormDefaults, meta: FormMetadata): View {
  const head: types.KnownBlock[] = [section(`*${escapeMrkdwn(d.title)}*`)];
  if (d.target.kind === 'priority')
    head.push({
      type: 'input',
      block_id: FORM_BLOCKS.measure,
      optional: true,
      dispatch_action: true,
      label: plain('Measure', 2000),
      element: {
        ...select(
          d.choices.slice(0, 100).map((c) => option(c.title, c.id)),
          d.measure?.measure.id,
          'Choose a measure',
        ),
        action_id: FORM_MEASURE_ACTION,
      },
    });
  return {
    type: 'modal',
    callback_id: UPDATE_FORM_CALLBACK,
    title: plain(d.target.kind === 'measure' ? 'Update measure' : 'Update priority', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ ...meta, measureId: d.measure?.measure.id ?? null }),
    blocks: [...head, ...measureBlocks(d), ...actionBlocks(d)].slice(0, 100),
  };
}

export function parseFormMetadata(text: string | undefined): FormMetadata | null {
  try {
    const m = JSON.parse(text ?? '') as Partial<FormMetadata>;
    const t = m.target;
    if (!t || (t.kind !== 'measure' && t.kind !== 'priority') || typeof t.id !== 'string') return null;
    return {
      target: { kind: t.kind, id: t.id },
      measureId: typeof m.measureId === 'string' ? m.measureId : null,
      channel: typeof m.channel === 'string' ? m.channel : null,
      ts: typeof m.ts === 'string' ? m.ts : null,
    };
  } catch {
    return null;
  }
}

/** The loose shape of view.state.values as Slack sends it. */
type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: Array<{ value: string }>;
      selected_user?: string | null;
      selected_date?: string | null;
    }
  >
>;

/** The submitted form's fields; the measure a priority's form is for comes from its select. */
export function formInput(values: StateValues, meta: FormMetadata): UpdateFormInput {
  const get = (field: keyof typeof FORM_BLOCKS) => {
    const block = values[FORM_BLOCKS[field]];
    return block ? Object.values(block)[0] : undefined;
  };
  const text = (field: keyof typeof FORM_BLOCKS) => get(field)?.value ?? '';
  const chosen = (field: keyof typeof FORM_BLOCKS) => get(field)?.selected_option?.value ?? null;
  return {
    measureId: meta.target.kind === 'measure' ? meta.target.id : (chosen('measure') ?? meta.measureId),
    trend: chosen('trend'),
    qualifier: text('qualifier'),
    msgRank: chosen('msgRank'),
    msgRelation: chosen('msgRelation'),
    period: chosen('period'),
    value: text('value'),
    count: text('count'),
    actionText: text('actionText'),
    actionOwner: text('actionOwner'),
    actionOwnerUser: get('actionOwnerUser')?.selected_user ?? null,
    actionDue: get('actionDue')?.selected_date ?? null,
    done: (get('done')?.selected_options ?? []).map((o) => o.value),
    comment: text('comment'),
  };
}

/**
 * Field errors keyed by block id, as response_action "errors" takes them; null when one is for a
 * block the view does not have (the measure was removed meanwhile), which Slack would refuse.
 */
export function formErrors(
  errors: Partial<Record<FormField, string>>,
  view: { blocks: Array<{ block_id?: string }> },
): Record<string, string> | null {
  const present = new Set(view.blocks.map((b) => b.block_id));
  const keyed = Object.entries(errors).map(([field, message]) => [FORM_BLOCKS[field as FormField], message!] as const);
  if (keyed.some(([block]) => !present.has(block))) return null;
  return Object.fromEntries(keyed.map(([block, message]) => [block, plainCut(message, 2000)]));
}

/** The form's problems as a plain modal, for the rare one that no field of the form can show. */
export function formProblemView(errors: Partial<Record<FormField, string>>): View {
  return {
    type: 'modal',
    callback_id: UPDATE_REFUSED_CALLBACK,
    title: plain('Update', 24),
    close: plain('Close', 24),
    blocks: [section(`Nothing was saved. ${escapeMrkdwn(Object.values(errors).join(' '))}`)],
  };
}

/** For someone who is not an analyst: who can update, naming the analysts' group when there is one. */
export function notAnalystView(check: Exclude<AnalystCheck, { analyst: true }>, usergroup: string | undefined): View {
  const who = usergroup ? `members of <!subteam^${usergroup}>` : 'the analysts named in the bot’s settings';
  const detail = check.reason === 'unknown' ? escapeMrkdwn(check.detail) : '';
  const texts = {
    unknown: () => `I could not check whether you are an analyst just now (${detail}). Please try again in a minute.`,
    'not-configured': () =>
      'Only analysts can update measures, and no analysts are set up for this bot yet (ANALYSTS or ANALYST_USERGROUP).',
    'not-analyst': () => `Only analysts can update measures: ${who}. Ask one of them to make the change.`,
  };
  const text = texts[check.reason]();
  return {
    type: 'modal',
    callback_id: UPDATE_REFUSED_CALLBACK,
    title: plain('Update', 24),
    close: plain('Close', 24),
    blocks: [section(text)],
  };
}
