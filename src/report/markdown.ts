// The report as Markdown, for pasting into other documents: charts as PNG files in a folder
// beside it, linked relatively. Stored text is escaped so that a "*" or "<" in a comment stays text.
import type { ReportChart } from './charts.ts';
import type { ReportChange } from './changes.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { actionMeta, changesSummary, changeText, changeWho, generatedLine, measureFacts, SECTION } from './text.ts';

export interface MarkdownOptions {
  charts: Map<string, ReportChart>;
  /** The folder's name relative to the Markdown file. */
  chartsDir: string;
  marking: string;
  final: boolean;
}

/** Markdown's own punctuation and HTML's angle brackets, backslash-escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|!~])/g, '\\$1').replace(/\n/g, ' ');
}

const e = escapeMarkdown;

function measureMd(m: ReportMeasure, options: MarkdownOptions, files: Array<{ name: string; png: Buffer }>): string[] {
  const chart = options.charts.get(m.id);
  const lines = [
    `### ${e(m.title)}`,
    '',
    // The facts' fixed words hold no Markdown syntax, so escaping each whole line is safe.
    ...measureFacts(m).map((f) => `- ${e(f)}`),
    '',
  ];
  if (chart) {
    const name = `${m.id}.png`;
    files.push({ name, png: chart.png });
    lines.push(`![${e(chart.altText)}](${options.chartsDir}/${name})`, '');
  } else lines.push('_No chart: no series is held for this measure._', '');
  for (const c of m.comments)
    lines.push(`> ${e(c.text)}${c.by || c.at ? ` (${e([c.by, c.at].filter(Boolean).join(', '))})` : ''}`, '');
  return lines;
}

function changesMd(title: string, changes: ReportChange[]): string[] {
  if (changes.length === 0) return [];
  return [
    `### ${title}`,
    '',
    ...changes.map((c) => `- ${e(`${c.subject}: ${changeText(c)}`)}, ${e(changeWho(c))}`),
    '',
  ];
}

export function renderMarkdown(
  model: ReportModel,
  options: MarkdownOptions,
): { text: string; files: Array<{ name: string; png: Buffer }> } {
  const files: Array<{ name: string; png: Buffer }> = [];
  const { worsened, improved, other } = model.changes;
  const lines = [
    `**${e(options.marking)}**${options.final ? '' : ' · **DRAFT**'}`,
    '',
    `# ${e(model.title)}`,
    '',
    `${e(model.force)}: ${e(model.subtitle)}`,
    '',
    `**${e(model.quarter.label)}** (${e(model.quarter.months)}). ${e(generatedLine(model))}`,
    '',
    ...(model.illustrativeNotice ? [`_Illustrative data. ${e(model.illustrativeNotice)}_`, ''] : []),
    `## ${SECTION.glossary}`,
    '',
    ...model.glossary.flatMap((g) => [`**${e(g.term)}**: ${e(g.definition)}`, '']),
  ];
  for (const p of model.priorities) {
    lines.push(`## ${e(p.title)}`, '');
    for (const m of p.measures) lines.push(...measureMd(m, options, files));
    lines.push(`### ${SECTION.actions}`, '');
    if (p.actions.length === 0) lines.push('None recorded.');
    for (const a of p.actions) lines.push(`${a.number}. ${e(a.text)}  \n   _${e(actionMeta(a))}_`);
    lines.push('', `### ${SECTION.comments}`, '');
    if (p.comments.length === 0) lines.push('None recorded.');
    for (const c of p.comments) lines.push(`- ${e(c)}`);
    lines.push('');
  }
  lines.push(`## ${SECTION.changes}`, '', changesSummary(model), '');
  if (worsened.length + improved.length + other.length === 0)
    lines.push(`_No changes were recorded in the ${e(model.quarter.label.toLowerCase())}._`, '');
  lines.push(...changesMd('Worse', worsened), ...changesMd('Better', improved), ...changesMd('Other changes', other));
  lines.push(`## ${SECTION.sources}`, '');
  for (const s of model.sources) {
    lines.push(`**${e(s.measure)}**${s.official ? '' : ' (illustrative)'}: ${e(s.source)}`, '');
    for (const c of s.caveats) lines.push(`- ${e(c)}`);
    if (s.caveats.length) lines.push('');
  }
  lines.push(`**${e(options.marking)}**`, '');
  return { text: lines.join('\n'), files };
}
