// The report as one self-contained HTML file: charts inline as data: URIs, every stored string
// escaped, and a print stylesheet (A4, a page per priority, the marking on every printed page).
import type { ReportChart } from './charts.ts';
import type { ReportChange } from './changes.ts';
import type { ReportMeasure, ReportModel, ReportPriority } from './model.ts';
import { actionMeta, changesSummary, changeText, changeWho, generatedLine, measureFacts, SECTION } from './text.ts';

export interface HtmlOptions {
  charts: Map<string, ReportChart>;
  marking: string;
  final: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1a1a1a; max-width: 52rem; margin: 0 auto;
  padding: 1rem; line-height: 1.4; }
h1, h2, h3 { color: #1f3a5f; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; }
.muted { color: #555; font-size: 0.85em; }
.measure img { max-width: 100%; height: auto; display: block; margin: 0.5rem auto; }
.draft { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 8rem; font-weight: bold;
  color: rgba(192, 57, 43, 0.12); transform: rotate(-45deg); pointer-events: none; z-index: 1; }
section.page { border-top: 1px solid #ccc; margin-top: 2rem; }
@media print {
  @page { size: A4; margin: 18mm 16mm; }
  body { max-width: none; padding: 0; }
  section.page { break-before: page; border-top: none; margin-top: 0; }
  .measure { break-inside: avoid; }
  li, dd { break-inside: avoid; }
  header.marking, footer.marking { position: fixed; left: 0; right: 0; }
  header.marking { top: 0; }
  footer.marking { bottom: 0; }
  nav a { color: inherit; text-decoration: none; }
}`;

function measureHtml(m: ReportMeasure, charts: Map<string, ReportChart>): string {
  const chart = charts.get(m.id);
  const facts = measureFacts(m);
  const img = chart
    ? `<img src="data:image/png;base64,${chart.png.toString('base64')}" alt="${e(chart.altText)}" ` +
      'width="800" height="400">'
    : '<p class="muted">No chart: no series is held for this measure.</p>';
  const comments = m.comments
    .map((c) => `<li>${e(c.text)} <span class="muted">${e([c.by, c.at].filter(Boolean).join(', '))}</span></li>`)
    .join('');
  return `<div class="measure"><h3>${e(m.title)}</h3><ul>${facts.map((f) => `<li>${e(f)}</li>`).join('')}</ul>${img}${
    comments ? `<ul class="comments">${comments}</ul>` : ''
  }</div>`;
}

function priorityHtml(p: ReportPriority, i: number, charts: Map<string, ReportChart>): string {
  const none = '<p>None recorded.</p>';
  const actions = p.actions
    .map((a) => `<li>${e(a.text)}<br><span class="muted">${e(actionMeta(a))}</span></li>`)
    .join('');
  const comments = p.comments.map((c) => `<li>${e(c)}</li>`).join('');
  return [
    `<section class="page" id="priority-${i + 1}"><h2>${e(p.title)}</h2>`,
    ...p.measures.map((m) => measureHtml(m, charts)),
    `<h3>${SECTION.actions}</h3>${actions ? `<ol>${actions}</ol>` : none}`,
    `<h3>${SECTION.comments}</h3>${comments ? `<ul>${comments}</ul>` : none}</section>`,
  ].join('');
}

function changeList(title: string, changes: ReportChange[]): string {
  if (changes.length === 0) return '';
  const items = changes
    .map((c) => `<li>${e(`${c.subject}: ${changeText(c)}`)} <span class="muted">${e(changeWho(c))}</span></li>`)
    .join('');
  return `<h3>${e(title)}</h3><ul>${items}</ul>`;
}

export function renderHtml(model: ReportModel, options: HtmlOptions): string {
  const { worsened, improved, other } = model.changes;
  const marking = e(options.marking);
  const toc = [
    [SECTION.glossary, 'glossary'],
    ...model.priorities.map((p, i) => [p.title, `priority-${i + 1}`]),
    [SECTION.changes, 'changes'],
    [SECTION.sources, 'sources'],
  ]
    .map(([t, id]) => `<li><a href="#${id}">${e(t!)}</a></li>`)
    .join('');
  const noChanges = worsened.length + improved.length + other.length === 0;
  return `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${model.title}: ${model.quarter.label}`)}</title><style>${STYLE}</style></head>
<body>
<header class="marking">${marking}</header>
${options.final ? '' : '<div class="draft" aria-hidden="true">DRAFT</div><p class="marking">DRAFT: not signed off</p>'}
<section class="title"><p class="muted">${e(model.force)}</p><h1>${e(model.title)}</h1><p>${e(model.subtitle)}</p>
<p><strong>${e(model.quarter.label)}</strong> (${e(model.quarter.months)})</p>
<p class="muted">${e(generatedLine(model))}</p>
${model.illustrativeNotice ? `<p><em>Illustrative data. ${e(model.illustrativeNotice)}</em></p>` : ''}</section>
<nav class="page"><h2>${SECTION.contents}</h2><ol>${toc}</ol></nav>
<section class="page" id="glossary"><h2>${SECTION.glossary}</h2><dl>${model.glossary
    .map((g) => `<dt><strong>${e(g.term)}</strong></dt><dd>${e(g.definition)}</dd>`)
    .join('')}</dl></section>
${model.priorities.map((p, i) => priorityHtml(p, i, options.charts)).join('\n')}
<section class="page" id="changes"><h2>${SECTION.changes}</h2><p>${e(changesSummary(model))}</p>${
    noChanges
      ? `<p><em>No changes were recorded in the ${e(model.quarter.label.toLowerCase())}.</em></p>`
      : changeList('Worse', worsened) + changeList('Better', improved) + changeList('Other changes', other)
  }</section>
<section class="page" id="sources"><h2>${SECTION.sources}</h2>${model.sources
    .map(
      (s) =>
        `<h3>${e(s.measure)}${s.official ? '' : ' (illustrative)'}</h3><p>Source: ${e(s.source)}${
          s.sourceUrl ? ` <span class="muted">${e(s.sourceUrl)}</span>` : ''
        }</p>${s.caveats.length ? `<ul>${s.caveats.map((c) => `<li>${e(c)}</li>`).join('')}</ul>` : ''}`,
    )
    .join('')}</section>
<footer class="marking">${marking}</footer>
</body></html>
`;
}
