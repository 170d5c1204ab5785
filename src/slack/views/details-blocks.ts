// The rest of an answer, posted once in its thread by the Details button: every planned action
// in full, the comments, the ONS and England and Wales comparison, the computed trend with its
// period, every caveat. The channel message (answer-blocks.ts) shows only the point.
import type { Answer, MeasureView, PriorityView } from '../../measures/answer.ts';
import { actionLine, formatAnswerText, latestInWords, onsComparisonInWords } from '../../measures/format-text.ts';
import { dateLabel, periodLabel } from '../../measures/wording.ts';
import {
  type Block,
  context,
  escapeActionLine,
  escapeMrkdwn,
  fitBlocks,
  fitLines,
  section,
  type SlackMessage,
  truncateEscaped,
} from './block-kit.ts';

function bullets(items: string[], maxChars: number, maxItems = 15): string {
  return fitLines(
    items.map((i) => `• ${escapeMrkdwn(i)}`),
    maxChars,
    maxItems,
  ).join('\n');
}

function measureFigures(m: MeasureView, priorityTitle: string): string {
  const lines = [
    `*Priority:* ${escapeMrkdwn(priorityTitle)}`,
    `*Published trend:* ${escapeMrkdwn(m.trend)} _(as of ${dateLabel(m.trendAsOf)})_`,
  ];
  const ct = m.computedTrend;
  if (ct)
    lines.push(
      `*Computed from the series* (${ct.window.points} periods, ${periodLabel(ct.window.from)} to ` +
        `${periodLabel(ct.window.to)}): ${escapeMrkdwn(ct.label)}`,
    );
  lines.push(
    `*MSG position:* ${escapeMrkdwn(m.msgPosition)}` +
      (m.benchmark ? ` _(published as “${escapeMrkdwn(m.benchmarkText)}”)_` : ''),
  );
  if (m.computedBenchmark?.comparison) lines.push(`_${escapeMrkdwn(m.computedBenchmark.comparison)}_`);
  lines.push(
    m.latest
      ? `*Latest:* ${escapeMrkdwn(latestInWords(m.latest, m.unit, m.countUnit))}`
      : '*Latest:* no figures held for this measure yet',
  );
  if (m.onsComparison) lines.push(`*ONS:* ${escapeMrkdwn(onsComparisonInWords(m.onsComparison))}`);
  return lines.join('\n');
}

function actionsSection(p: PriorityView): Block {
  const lines = p.actions.length ? p.actions.map((a) => escapeActionLine(actionLine(a))) : ['_none recorded_'];
  return section(`*Planned actions* (${escapeMrkdwn(p.title)})\n${fitLines(lines, 2500, 15).join('\n')}`);
}

function notes(m: { illustrative: boolean; stale: MeasureView['stale'] }): string[] {
  const lines: string[] = [];
  if (m.stale) lines.push(`:warning: ${escapeMrkdwn(m.stale.message)}`);
  if (m.illustrative)
    lines.push('*Illustrative data:* this series was generated to match the published report; it is not official.');
  return lines;
}

/** The Details reply for a measure or a priority answer. */
export function detailsMessage(answer: Extract<Answer, { kind: 'measure' | 'priority' }>): SlackMessage {
  const p = answer.priority;
  const blocks: Block[] = [];
  if (answer.kind === 'measure') {
    const m = answer.measure;
    blocks.push(section(`*Details: ${escapeMrkdwn(m.title)}*\n${measureFigures(m, p.title)}`));
    const n = notes(m);
    if (n.length) blocks.push(context(n));
  } else {
    const lines = p.measures.map(
      (m) =>
        `*${escapeMrkdwn(m.title)}*\nTrend: ${escapeMrkdwn(m.trend)} · MSG: ${escapeMrkdwn(m.msgPosition)}\n` +
        (m.latest ? `Latest: ${escapeMrkdwn(latestInWords(m.latest, m.unit))}` : 'Latest: no figures held yet') +
        (m.illustrative ? ' _(illustrative)_' : '') +
        (m.stale ? `\n:warning: _${escapeMrkdwn(m.stale.message)}_` : ''),
    );
    blocks.push(section(`*Details: ${escapeMrkdwn(p.title)}*`));
    for (const line of lines.slice(0, 20)) blocks.push(section(line));
  }
  blocks.push(actionsSection(p));
  if (p.comments.length) blocks.push(section(`*Comments*\n${bullets(p.comments, 2000, 10)}`));
  if (answer.kind === 'measure') {
    const m = answer.measure;
    if (m.comments.length) blocks.push(section(`*Analyst comments*\n${bullets(m.comments, 2000, 10)}`));
    if (m.caveats.length) blocks.push(section(`*Caveats*\n${bullets(m.caveats, 2500, 20)}`));
    blocks.push(
      context([
        `As of ${dateLabel(m.asOf)} · Source: ${escapeMrkdwn(m.source)}${m.illustrative ? ' · *illustrative*' : ''}`,
      ]),
    );
  }
  const title = answer.kind === 'measure' ? answer.measure.title : p.title;
  return {
    text: truncateEscaped(escapeMrkdwn(`Details: ${title}\n${formatAnswerText(answer)}`), 2900),
    blocks: fitBlocks(blocks),
  };
}
