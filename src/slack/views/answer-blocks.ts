// Block Kit for the answers posted in a channel: a measure or a priority. Pure builders over
// the answer model; every figure and phrase comes from answer.ts / format-text.ts / wording.ts.
import type { Answer, MeasureView, PriorityView } from '../../measures/answer.ts';
import { actionLine, latestInWords, onsComparisonInWords } from '../../measures/format-text.ts';
import { trendLabelsAgree } from '../../measures/computed/index.ts';
import { dateLabel, periodLabel } from '../../measures/wording.ts';
import { type Block, context, escapeMrkdwn, fitBlocks, fitLines, header, imageBlock, section } from './block-kit.ts';

export type PostedAnswer = Extract<Answer, { kind: 'measure' | 'priority' }>;

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

function computedNotes(m: MeasureView): string[] {
  const ct = m.computedTrend;
  if (!ct || trendLabelsAgree(m.trend, ct.label)) return [];
  return [
    `_Computed from the series (${ct.window.points} periods ` +
      `to ${periodLabel(ct.window.to)}): ${escapeMrkdwn(ct.label)}_`,
  ];
}

function measureDetails(m: MeasureView, priorityTitle: string): string {
  const lines = [
    `*Priority:* ${escapeMrkdwn(priorityTitle)}`,
    `*Trend:* ${escapeMrkdwn(m.trend)} _(as of ${dateLabel(m.trendAsOf)})_`,
    ...computedNotes(m),
    `*MSG position:* ${escapeMrkdwn(m.msgPosition)}` +
      (m.benchmark ? ` _(published as “${escapeMrkdwn(m.benchmarkText)}”)_` : ''),
  ];
  if (m.computedBenchmark?.comparison) lines.push(`_${escapeMrkdwn(m.computedBenchmark.comparison)}_`);
  lines.push(
    m.latest
      ? `*Latest:* ${escapeMrkdwn(latestInWords(m.latest, m.unit, m.countUnit))}`
      : '*Latest:* no figures held for this measure yet',
  );
  if (m.onsComparison) lines.push(`*ONS:* ${escapeMrkdwn(onsComparisonInWords(m.onsComparison))}`);
  return lines.join('\n');
}

function bullets(items: string[], maxChars: number, maxItems = 15): string {
  return fitLines(
    items.map((i) => `• ${escapeMrkdwn(i)}`),
    maxChars,
    maxItems,
  ).join('\n');
}

function actionsSection(p: PriorityView): Block {
  const lines = p.actions.length ? p.actions.map((a) => escapeMrkdwn(actionLine(a))) : ['_none recorded_'];
  return section(`*Planned actions* (${escapeMrkdwn(p.title)})\n${fitLines(lines, 2500, 15).join('\n')}`);
}

function notesBlocks(m: { illustrative: boolean; stale: MeasureView['stale'] }): Block[] {
  const lines: string[] = [];
  if (m.stale) lines.push(`:warning: ${escapeMrkdwn(m.stale.message)}`);
  if (m.illustrative)
    lines.push('*Illustrative data:* this series was generated to match the published report; it is not official.');
  return lines.length ? [context(lines)] : [];
}

export function measureAnswerBlocks(
  answer: Extract<Answer, { kind: 'measure' }>,
  options: AnswerBlockOptions,
): Block[] {
  const m = answer.measure;
  const p = answer.priority;
  const blocks: Block[] = [
    header(m.title),
    section(measureDetails(m, p.title)),
    ...notesBlocks(m),
    ...chartBlocks(options.chart, 'measure'),
  ];
  blocks.push({ type: 'divider' }, actionsSection(p));
  if (p.comments.length) blocks.push(section(`*Comments*\n${bullets(p.comments, 2000, 10)}`));
  if (m.comments.length) blocks.push(section(`*Analyst comments*\n${bullets(m.comments, 2000, 10)}`));
  if (m.caveats.length)
    blocks.push(context([`*Caveats:* ${fitLines(m.caveats.map(escapeMrkdwn), 1900, 6).join(' · ')}`]));
  const foot = [
    `As of ${dateLabel(m.asOf)} · Source: ${escapeMrkdwn(m.source)}${m.illustrative ? ' · *illustrative*' : ''}`,
    ...(options.footer ?? []),
  ];
  blocks.push(context(foot));
  return fitBlocks(blocks);
}

function priorityMeasureLine(m: PriorityView['measures'][number]): string {
  const lines = [`*${escapeMrkdwn(m.title)}*`, `Trend: ${escapeMrkdwn(m.trend)} · MSG: ${escapeMrkdwn(m.msgPosition)}`];
  if (m.latest)
    lines.push(`Latest: ${escapeMrkdwn(latestInWords(m.latest, m.unit))}${m.illustrative ? ' _(illustrative)_' : ''}`);
  else lines.push('Latest: no figures held yet');
  if (m.stale) lines.push(`:warning: _${escapeMrkdwn(m.stale.message)}_`);
  return lines.join('\n');
}

export function priorityAnswerBlocks(
  answer: Extract<Answer, { kind: 'priority' }>,
  options: AnswerBlockOptions,
): Block[] {
  const p = answer.priority;
  const blocks: Block[] = [header(p.title)];
  const shown = p.measures.slice(0, 10);
  for (const m of shown) blocks.push(section(priorityMeasureLine(m)));
  if (p.measures.length > shown.length)
    blocks.push(context([`…and ${p.measures.length - shown.length} more measures`]));
  blocks.push(...chartBlocks(options.chart, 'priority'));
  blocks.push({ type: 'divider' }, actionsSection(p));
  if (p.comments.length) blocks.push(section(`*Comments*\n${bullets(p.comments, 2000, 10)}`));
  const anyIllustrative = p.measures.some((m) => m.illustrative);
  const foot = [
    `As of ${dateLabel(options.report.asOf)} · ` +
      `Source: ${escapeMrkdwn(options.report.source)}${anyIllustrative ? ' · some series are *illustrative*' : ''}`,
    ...(options.footer ?? []),
  ];
  blocks.push(context(foot));
  return fitBlocks(blocks);
}

export function answerBlocks(answer: PostedAnswer, options: AnswerBlockOptions): Block[] {
  return answer.kind === 'measure' ? measureAnswerBlocks(answer, options) : priorityAnswerBlocks(answer, options);
}
