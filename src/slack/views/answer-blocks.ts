// Block Kit for the answers posted in a channel: a measure or a priority. Pure builders over
// the answer model; every figure and phrase comes from answer.ts / glance.ts / wording.ts.
// An officer reads these on a phone: the point first (headline, chart), the rest one tap away
// (Details posts it in the thread, details-blocks.ts).
import type { types } from '@slack/bolt';
import type { Answer, MeasureView, PriorityView } from '../../measures/answer.ts';
import { compactActions, contextLine, disagreementLine, headline, msgPositionShort } from '../../measures/glance.ts';
import { dateLabel } from '../../measures/wording.ts';
import {
  type Block,
  context,
  escapeActionLine,
  escapeMrkdwn,
  fitBlocks,
  header,
  imageBlock,
  mention,
  safeText,
  section,
  truncateEscaped,
} from './block-kit.ts';
import { FOLLOW_ACTION } from './follow-blocks.ts';

export type PostedAnswer = Extract<Answer, { kind: 'measure' | 'priority' }>;

export const DETAILS_ACTION = 'answer_details';
export const HISTORY_ACTION = 'answer_history';
export const OPEN_MEASURE_ACTION = 'answer_open_measure';
/** Opens the update form (analysts; others are told who can). */
export const UPDATE_ACTION = 'answer_update';

/** What the message shows where the chart goes. */
export type ChartSlot =
  | { state: 'shown'; fileId: string; altText: string; title: string }
  /** Being rendered and shared; the message is updated when it is. */
  | { state: 'pending' }
  /** The measure has no series: say so, never draw an empty chart. */
  | { state: 'none' }
  | { state: 'failed'; reason: string }
  /** Ephemeral copies cannot carry the channel's file. */
  | { state: 'omitted' };

export interface AnswerBlockOptions {
  chart: ChartSlot;
  /** Extra context lines at the foot, e.g. "Updated by <@U…> at 14:02" after an update. Already escaped. */
  footer?: string[];
  /** The report's as-of date and source, for priority answers (a priority has no single series). */
  report: { asOf: string; source: string };
  /** Who asked: others in the channel cannot see the slash command. */
  askedBy?: string;
}

function chartBlocks(slot: ChartSlot, what: string): Block[] {
  switch (slot.state) {
    case 'shown':
      return [imageBlock(slot.fileId, slot.altText, slot.title)];
    case 'none':
      return [context([`No chart available: no figures are held for this ${what} yet.`])];
    case 'failed':
      return [
        context([`The chart could not be shared (${escapeMrkdwn(slot.reason)}); the figures above are complete.`]),
      ];
    case 'pending':
    case 'omitted':
      return [];
  }
}

function compactActionsBlock(p: PriorityView): Block {
  const { lines, more } = compactActions(p);
  const shown = lines.length ? lines.map(escapeActionLine) : ['_none recorded_'];
  if (more > 0) shown.push(`_+${more} more in Details_`);
  return section(`*Planned actions*\n${shown.join('\n')}`);
}

/** The answer's buttons. Only those with something behind them are shown. */
function buttons(answer: PostedAnswer): Block {
  const value = JSON.stringify(
    answer.kind === 'measure'
      ? { kind: 'measure', id: answer.measure.id }
      : { kind: 'priority', id: answer.priority.id },
  );
  const elements: types.ActionsBlock['elements'] = [
    { type: 'button', text: { type: 'plain_text', text: 'Details' }, action_id: DETAILS_ACTION, value },
    { type: 'button', text: { type: 'plain_text', text: 'History' }, action_id: HISTORY_ACTION, value },
    { type: 'button', text: { type: 'plain_text', text: 'Update' }, action_id: UPDATE_ACTION, value },
  ];
  // A channel message cannot show each reader their own state, so Follow toggles (follow-button.ts).
  elements.push({ type: 'button', text: { type: 'plain_text', text: 'Follow' }, action_id: FOLLOW_ACTION, value });
  // A priority answer opens one of its measures: that measure's answer is posted in the thread.
  if (answer.kind === 'priority' && answer.priority.measures.length > 0)
    elements.push({
      type: 'static_select',
      action_id: OPEN_MEASURE_ACTION,
      placeholder: { type: 'plain_text', text: 'Open a measure' },
      options: answer.priority.measures.slice(0, 100).map((m) => ({
        text: { type: 'plain_text', text: safeText(m.title, 75) },
        value: JSON.stringify({ kind: 'measure', id: m.id }),
      })),
    });
  return { type: 'actions', elements };
}

/** The foot: one context block with the context line, who asked, then any "Updated by" lines. */
function footBlocks(line: string, options: AnswerBlockOptions): Block[] {
  const asked = options.askedBy ? [`Asked by ${mention(options.askedBy)}`] : [];
  return [context([line, ...asked, ...(options.footer ?? [])])];
}

/** Title, then the headline: what notifications and screen readers get first. */
export function answerFallbackText(answer: PostedAnswer): string {
  if (answer.kind === 'measure')
    return truncateEscaped(escapeMrkdwn(`${answer.measure.title}\n${headline(answer.measure)}`), 400);
  return truncateEscaped(escapeMrkdwn(`${answer.priority.title}\n${priorityHeadline(answer.priority)}`), 400);
}

/** A priority's one line: how many measures and their trends, for the fallback text. */
function priorityHeadline(p: PriorityView): string {
  return p.measures.map((m) => `${m.title}: ${m.trend}`).join(' · ');
}

export function measureAnswerBlocks(
  answer: Extract<Answer, { kind: 'measure' }>,
  options: AnswerBlockOptions,
): Block[] {
  const m: MeasureView = answer.measure;
  const blocks: Block[] = [
    header(m.title),
    section(escapeMrkdwn(headline(m))),
    ...chartBlocks(options.chart, 'measure'),
  ];
  const flag = disagreementLine(m);
  if (flag) blocks.push(section(`:warning: *${escapeMrkdwn(flag)}*`));
  blocks.push(compactActionsBlock(answer.priority));
  blocks.push(...footBlocks(escapeMrkdwn(contextLine(m)), options), buttons(answer));
  return fitBlocks(blocks);
}

/** "Police recorded robbery offences · Stable · 8th of 8 in MSG (highest rate)". */
function priorityMeasureLine(m: PriorityView['measures'][number]): string {
  const position = msgPositionShort(m);
  return `• *${escapeMrkdwn(m.title)}* · ${escapeMrkdwn(m.trend)} · ${escapeMrkdwn(position)}`;
}

export function priorityAnswerBlocks(
  answer: Extract<Answer, { kind: 'priority' }>,
  options: AnswerBlockOptions,
): Block[] {
  const p = answer.priority;
  const lines = p.measures.slice(0, 8).map((m) => priorityMeasureLine(m));
  if (p.measures.length > 8) lines.push(`…and ${p.measures.length - 8} more measures`);
  const blocks: Block[] = [header(p.title), section(lines.join('\n')), ...chartBlocks(options.chart, 'priority')];
  blocks.push(compactActionsBlock(p));
  const anyIllustrative = p.measures.some((m) => m.illustrative);
  const anyStale = p.measures.some((m) => m.stale);
  const line =
    `Report as of ${dateLabel(options.report.asOf)} · Source: ${escapeMrkdwn(options.report.source)}` +
    `${anyIllustrative ? ' · some series *illustrative*' : ''}${anyStale ? ' · some *out of date*' : ''}`;
  blocks.push(...footBlocks(line, options), buttons(answer));
  return fitBlocks(blocks);
}

export function answerBlocks(answer: PostedAnswer, options: AnswerBlockOptions): Block[] {
  return answer.kind === 'measure' ? measureAnswerBlocks(answer, options) : priorityAnswerBlocks(answer, options);
}
