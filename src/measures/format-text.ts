// Plain-text presentation of an answer: the CLI prints it, and Slack uses it wherever
// Block Kit cannot be sent (the ephemeral fallback, notification text).
import type { Answer, LatestView, MeasureView, PriorityView } from './answer.ts';
import type { OnsComparison } from './ons-comparison.ts';
import { trendLabelsAgree } from './computed/index.ts';
import { compactActions, contextLine, disagreementLine, headline } from './glance.ts';
import { dateLabel, formatNumber, formatPercent, formatSigned, formatValueWithUnit, periodLabel } from './wording.ts';

export const USAGE_TEXT = [
  'Ask for a national policing priority, a measure or a glossary term, for example:',
  '  robbery · how are we doing on burglary · car theft · rape files sent to CPS · what is MSG',
  '"list" shows every priority and its measures.',
].join('\n');

/** What an officer is told when a question is longer than any question is read. */
export function tooLongText(tooLong: { chars: number; limit: number }): string {
  return (
    `That question is too long (${formatNumber(tooLong.chars)} characters); ` +
    `questions are read up to ${formatNumber(tooLong.limit)}. ` +
    'Ask in a few words, for example "robbery" or "how are we doing on burglary"; "list" shows every measure.'
  );
}

/** "1 crimes" reads badly; units here are simple English plurals. */
function unitFor(count: number, countUnit: string): string {
  return Math.abs(count) === 1 ? countUnit.replace(/s$/, '') : countUnit;
}

/** "+12 crimes", "−1 crime", or "no change" with no unit after it. */
function signedCount(count: number, countUnit: string): string {
  return count === 0 ? formatSigned(0) : `${formatSigned(count)} ${unitFor(count, countUnit)}`;
}

/** "Nov 2021: 118 offences (0.069 offences per 1,000 residents), −12 offences (−9.2%) on Oct 2021". */
export function latestInWords(latest: LatestView, unit: string, countUnit?: string): string {
  const value = formatValueWithUnit(latest.value, unit);
  const head =
    latest.count !== undefined && countUnit
      ? `${periodLabel(latest.period)}: ${formatNumber(latest.count)} ${unitFor(latest.count, countUnit)} (${value})`
      : `${periodLabel(latest.period)}: ${value}`;
  if (!latest.previousPeriod || latest.change === null) return `${head}; no earlier period to compare`;
  // A change in a percentage is in percentage points; a relative % of it would only confuse.
  const isPercent = unit.startsWith('%');
  const change =
    latest.changeCount !== undefined && latest.changeCount !== null && countUnit
      ? signedCount(latest.changeCount, countUnit)
      : `${formatSigned(latest.change)}${isPercent && latest.change !== 0 ? ' percentage points' : ''}`;
  const percent =
    !isPercent && latest.changePercent !== null && latest.change !== 0
      ? ` (${formatPercent(latest.changePercent)})`
      : '';
  return `${head}; ${change}${percent} on ${periodLabel(latest.previousPeriod)}`;
}

/**
 * "police recorded Burglary, year ending Dec 2019: 6.1 per 1,000 residents; MSG average 5.8;
 * England and Wales 5.2".
 */
export function onsComparisonInWords(c: OnsComparison): string {
  const peerRates = [c.force.rate, ...c.peers.map((p) => p.rate)].filter((r): r is number => r !== null);
  const parts = [
    `police recorded ${c.groups.join(' + ')}, year ending ${periodLabel(c.yearEnding)}: ` +
      `${formatNumber(c.force.rate!)} per 1,000 residents`,
  ];
  if (peerRates.length === c.peers.length + 1)
    parts.push(`MSG average ${formatNumber(peerRates.reduce((a, b) => a + b, 0) / peerRates.length)}`);
  if (c.englandAndWales.rate !== null) {
    parts.push(
      `England and Wales${c.englandAndWales.scope ? ` (${c.englandAndWales.scope})` : ''} ` +
        `${formatNumber(c.englandAndWales.rate)}`,
    );
  }
  return parts.join('; ');
}

export function actionLine(a: PriorityView['actions'][number]): string {
  const extras = [a.owner ? `owner: ${a.owner}` : null, a.due ? `due ${dateLabel(a.due)}` : null].filter(Boolean);
  return `${a.number}. ${a.done ? '[done] ' : ''}${a.text}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

function measureLines(m: MeasureView): string[] {
  const lines = [`Trend: ${m.trend} (as of ${dateLabel(m.trendAsOf)})`];
  if (m.computedTrend && !trendLabelsAgree(m.trend, m.computedTrend.label)) {
    lines.push(
      `  Computed from the series (${m.computedTrend.window.points} periods ` +
        `to ${periodLabel(m.computedTrend.window.to)}): ${m.computedTrend.label}`,
    );
  }
  lines.push(`MSG position: ${m.msgPosition}${m.benchmark ? ` (published as "${m.benchmarkText}")` : ''}`);
  if (m.computedBenchmark?.comparison) lines.push(`  ${m.computedBenchmark.comparison}`);
  lines.push(
    m.latest
      ? `Latest: ${latestInWords(m.latest, m.unit, m.countUnit)}`
      : 'Latest: no figures held for this measure yet',
  );
  if (m.onsComparison) lines.push(`ONS: ${onsComparisonInWords(m.onsComparison)}`);
  if (m.illustrative)
    lines.push('Illustrative data: this series was generated to match the published report; it is not official.');
  if (m.stale) lines.push(`Note: ${m.stale.message}`);
  return lines;
}

function priorityLines(p: PriorityView, title: string): string[] {
  const lines: string[] = [];
  lines.push('', `Planned actions (${title}):`);
  lines.push(...(p.actions.length ? p.actions.map((a) => `  ${actionLine(a)}`) : ['  none recorded']));
  if (p.comments.length) lines.push('', 'Comments:', ...p.comments.map((c) => `  - ${c}`));
  return lines;
}

export function formatAnswerText(answer: Answer): string {
  switch (answer.kind) {
    case 'help':
      return USAGE_TEXT;
    case 'list':
      return answer.priorities
        .map((p) => [p.title, ...p.measures.map((m) => `  - ${m.title}: ${m.trend}`)].join('\n'))
        .join('\n\n');
    case 'ambiguous':
      return [
        `"${answer.query}" could mean:`,
        ...answer.candidates.map((c, i) => `  ${i + 1}. ${c}`),
        'Ask again with more words.',
      ].join('\n');
    case 'not-found':
      if (answer.tooLong) return tooLongText(answer.tooLong);
      return [
        `No measure, priority or term matches "${answer.query}".`,
        answer.candidates.length ? `Closest: ${answer.candidates.join('; ')}` : '',
        'Try "list" to see every measure.',
      ]
        .filter(Boolean)
        .join('\n');
    case 'glossary': {
      const g = answer.glossary;
      return [`${g.term}: ${g.definition}`, g.related.length ? `Related: ${g.related.join('; ')}` : '']
        .filter(Boolean)
        .join('\n');
    }
    case 'priority': {
      const p = answer.priority;
      const lines = [p.title, ''];
      for (const m of p.measures) {
        lines.push(`${m.title}`, `  Trend: ${m.trend}. MSG: ${m.msgPosition}.`);
        if (m.latest)
          lines.push(`  Latest: ${latestInWords(m.latest, m.unit)}${m.illustrative ? ' (illustrative)' : ''}`);
      }
      lines.push(...priorityLines(p, p.title));
      return lines.join('\n');
    }
    case 'measure': {
      const m = answer.measure;
      const lines = [m.title, `Priority: ${answer.priority.title}`, '', ...measureLines(m)];
      lines.push(...priorityLines(answer.priority, answer.priority.title));
      if (m.comments.length) lines.push('', 'Analyst comments:', ...m.comments.map((c) => `  - ${c}`));
      lines.push('', `As of ${dateLabel(m.asOf)}. Source: ${m.source}${m.illustrative ? ' (illustrative)' : ''}`);
      if (m.caveats.length) lines.push(...m.caveats.map((c) => `Caveat: ${c}`));
      return lines.join('\n');
    }
  }
}

/**
 * The glanceable answer, as an officer reads it first: title, headline, a flag when the figures since
 * the report disagree, the planned actions cut short, one context line. Other kinds print in full.
 */
export function formatGlanceText(answer: Answer): string {
  if (answer.kind !== 'measure') return formatAnswerText(answer);
  const m = answer.measure;
  const lines = [m.title, headline(m)];
  const flag = disagreementLine(m);
  if (flag) lines.push(`! ${flag}`);
  const actions = compactActions(answer.priority);
  if (actions.lines.length) {
    lines.push('', `Planned actions (${answer.priority.title}):`, ...actions.lines.map((l) => `  ${l}`));
    if (actions.more > 0) lines.push(`  +${actions.more} more (--full shows them)`);
  }
  lines.push('', contextLine(m));
  return lines.join('\n');
}
