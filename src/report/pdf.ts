// The report as an A4 PDF (pdfkit): real text in embedded DejaVu fonts, a contents page filled
// in once the sections' pages are known, and the marking, page number and DRAFT watermark
// stamped on every page at the end (pdfkit keeps the pages buffered until then).
import PDFDocument from 'pdfkit';
import type { ReportChart } from './charts.ts';
import type { FontSet } from './fonts.ts';
import type { ReportMeasure, ReportModel, ReportPriority } from './model.ts';
import { actionMeta, changesSummary, changeText, changeWho, generatedLine, measureFacts, SECTION } from './text.ts';
import type { ReportChange } from './changes.ts';

export interface PdfOptions {
  fonts: FontSet;
  charts: Map<string, ReportChart>;
  /** The protective marking printed at the head and foot of every page. */
  marking: string;
  /** Without it every page is watermarked DRAFT. */
  final: boolean;
}

export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
}

const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 };
const INK = '#1a1a1a';
const MUTED = '#555555';
const ACCENT = '#1f3a5f';
const CHART = { width: 420, height: 210 };

type Doc = PDFKit.PDFDocument;

class Layout {
  readonly sections: Array<{ title: string; page: number; level: number }> = [];
  /** The top-level section each page belongs to, for the running title in its footer. */
  readonly pageSection = new Map<number, string>();
  private current = '';
  constructor(readonly doc: Doc) {
    doc.on('pageAdded', () => this.pageSection.set(this.pageNumber, this.current));
  }

  get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  get pageNumber(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  /** Starts a new page unless `height` more points fit on this one: no item is split across pages. */
  keep(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  height(text: string, font: keyof FontSet, size: number, indent = 0): number {
    return this.doc
      .font(font)
      .fontSize(size)
      .heightOfString(text, { width: this.width - indent });
  }

  write(
    text: string,
    font: keyof FontSet,
    size: number,
    options: { color?: string; indent?: number; gap?: number } = {},
  ) {
    const indent = options.indent ?? 0;
    this.keep(this.height(text, font, size, indent));
    this.doc
      .font(font)
      .fontSize(size)
      .fillColor(options.color ?? INK)
      .text(text, MARGIN.left + indent, this.doc.y, { width: this.width - indent });
    this.doc.moveDown(options.gap ?? 0.3);
  }

  /** Two paragraphs kept on one page: a heading with its first line, an item with its details. */
  writePair(first: [string, keyof FontSet, number], second: [string, keyof FontSet, number], indent = 0) {
    this.keep(this.height(...first, indent) + this.height(...second, indent) + 6);
    this.write(first[0], first[1], first[2], { indent, gap: 0.1 });
    this.write(second[0], second[1], second[2], { indent, color: MUTED });
  }

  section(title: string, level = 1): void {
    if (level === 1) {
      this.current = title;
      this.doc.addPage();
    } else this.keep(80);
    this.sections.push({ title, page: this.pageNumber, level });
    this.write(title, 'bold', level === 1 ? 18 : 13, { color: ACCENT, gap: level === 1 ? 0.6 : 0.4 });
  }

  subheading(title: string): void {
    this.keep(60);
    this.doc.moveDown(0.3);
    this.write(title, 'bold', 12, { color: ACCENT, gap: 0.3 });
  }
}

function titlePage(l: Layout, model: ReportModel): void {
  const { doc } = l;
  doc.y = 200;
  l.write(model.force, 'bold', 16, { color: MUTED, gap: 0.8 });
  l.write(model.title, 'bold', 28, { color: ACCENT, gap: 0.4 });
  l.write(model.subtitle, 'regular', 14, { gap: 1.5 });
  l.write(model.quarter.label, 'bold', 16, { gap: 0.2 });
  l.write(model.quarter.months, 'regular', 12, { color: MUTED, gap: 1.5 });
  l.write(generatedLine(model), 'regular', 10, { color: MUTED, gap: 1 });
  if (model.illustrativeNotice) l.write(`Illustrative data. ${model.illustrativeNotice}`, 'italic', 10, { gap: 1 });
}

function measureBlock(l: Layout, m: ReportMeasure, charts: Map<string, ReportChart>): void {
  const facts = measureFacts(m);
  const chart = charts.get(m.id);
  const factsHeight = facts.reduce((h, f) => h + l.height(f, 'regular', 10) + 3, 0);
  // The title, its facts and its chart stay together.
  l.keep(l.height(m.title, 'bold', 12) + factsHeight + (chart ? CHART.height + 16 : 0) + 12);
  l.doc.moveDown(0.4);
  l.write(m.title, 'bold', 12, { gap: 0.2 });
  for (const f of facts) l.write(f, 'regular', 10, { gap: 0.15 });
  if (chart) {
    const x = l.doc.page.margins.left + (l.width - CHART.width) / 2;
    l.doc.image(chart.png, x, l.doc.y + 4, { fit: [CHART.width, CHART.height], align: 'center' });
    l.doc.y += CHART.height + 10;
  } else {
    l.write('No chart: no series is held for this measure.', 'italic', 9, { color: MUTED });
  }
  for (const c of m.comments) {
    const who = [c.by ? `by ${c.by}` : null, c.at ? `on ${c.at}` : null].filter(Boolean).join(' ');
    l.writePair([`Comment: ${c.text}`, 'regular', 10], [who || 'from the report', 'italic', 8], 12);
  }
}

function prioritySection(l: Layout, p: ReportPriority, charts: Map<string, ReportChart>): void {
  l.section(p.title);
  for (const m of p.measures) measureBlock(l, m, charts);
  l.subheading(SECTION.actions);
  if (p.actions.length === 0) l.write('None recorded.', 'italic', 10);
  for (const a of p.actions) l.writePair([`${a.number}. ${a.text}`, 'regular', 10], [actionMeta(a), 'italic', 8], 0);
  l.subheading(SECTION.comments);
  if (p.comments.length === 0) l.write('None recorded.', 'italic', 10);
  for (const c of p.comments) l.write(`• ${c}`, 'regular', 10, { gap: 0.4 });
}

function changeGroup(l: Layout, title: string, changes: ReportChange[]): void {
  if (changes.length === 0) return;
  l.subheading(title);
  for (const c of changes) l.writePair([`${c.subject}: ${changeText(c)}`, 'regular', 10], [changeWho(c), 'italic', 8]);
}

function changesSection(l: Layout, model: ReportModel): void {
  l.section(SECTION.changes);
  const { worsened, improved, other } = model.changes;
  l.write(changesSummary(model), 'regular', 11, { gap: 0.6 });
  if (worsened.length + improved.length + other.length === 0) {
    l.write(`No changes were recorded in the ${model.quarter.label.toLowerCase()}.`, 'italic', 10);
    return;
  }
  changeGroup(l, 'Worse', worsened);
  changeGroup(l, 'Better', improved);
  changeGroup(l, 'Other changes', other);
}

function sourcesSection(l: Layout, model: ReportModel): void {
  l.section(SECTION.sources);
  for (const s of model.sources) {
    const head = `${s.measure}${s.official ? '' : ' (illustrative)'}`;
    l.writePair([head, 'bold', 10], [`Source: ${s.source}`, 'regular', 9]);
    if (s.sourceUrl) l.write(s.sourceUrl, 'regular', 8, { color: MUTED, indent: 12 });
    for (const c of s.caveats) l.write(`• ${c}`, 'regular', 9, { indent: 12, gap: 0.2 });
    l.doc.moveDown(0.4);
  }
}

function contentsPage(l: Layout, page: number): void {
  const { doc } = l;
  doc.switchToPage(page - 1);
  doc.x = MARGIN.left;
  doc.y = MARGIN.top;
  l.write(SECTION.contents, 'bold', 18, { color: ACCENT, gap: 0.8 });
  for (const s of l.sections) {
    const indent = s.level === 1 ? 0 : 16;
    const size = s.level === 1 ? 11 : 10;
    const y = doc.y;
    doc
      .font(s.level === 1 ? 'regular' : 'italic')
      .fontSize(size)
      .fillColor(INK)
      .text(s.title, MARGIN.left + indent, y, { width: l.width - indent - 40 });
    const after = doc.y;
    doc.text(String(s.page), MARGIN.left + l.width - 40, y, { width: 40, align: 'right' });
    doc.y = Math.max(after, doc.y) + 4;
  }
}

/**
 * DRAFT across the page, drawn as strokes rather than text: rotated text is read by text
 * extractors (and screen readers) as stray letters in the middle of the page's sentences. The
 * word itself is in the page header as text.
 */
const DRAFT_STROKES = [
  'M0,0 L0,100 L35,100 Q75,100 75,50 Q75,0 35,0 Z', // D
  'M105,100 L105,0 L150,0 Q180,0 180,25 Q180,50 150,50 L105,50 M145,50 L180,100', // R
  'M210,100 L247,0 L284,100 M225,62 L269,62', // A
  'M374,0 L314,0 L314,100 M314,48 L360,48', // F
  'M394,0 L464,0 M429,0 L429,100', // T
];

function watermark(doc: Doc, width: number, height: number): void {
  const scale = 1.05;
  doc.save();
  doc.rotate(-45, { origin: [width / 2, height / 2] });
  doc.translate(width / 2 - (464 * scale) / 2, height / 2 - (100 * scale) / 2);
  doc.scale(scale);
  doc.lineWidth(14).lineJoin('round').lineCap('round').strokeColor('#c0392b').strokeOpacity(0.14);
  for (const d of DRAFT_STROKES) doc.path(d).stroke();
  doc.restore();
}

/** Marking top and bottom, "Page N of M", and the watermark: stamped last, on every page. */
function stampPages(doc: Doc, options: PdfOptions, running: Map<number, string>): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Text in the margins must not make pdfkit start a new page.
    const margins = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const { width, height } = doc.page;
    if (!options.final) watermark(doc, width, height);
    doc.font('bold').fontSize(10).fillColor('#000000').fillOpacity(1);
    doc.text(options.marking, 0, 28, { width, align: 'center', lineBreak: false });
    doc.text(options.marking, 0, height - 40, { width, align: 'center', lineBreak: false });
    if (!options.final) doc.fillColor('#c0392b').text('DRAFT', MARGIN.left, 28, { lineBreak: false });
    // Which section a reader is in, since a priority runs to several pages.
    const section = running.get(i + 1);
    if (section)
      doc
        .font('regular')
        .fontSize(8)
        .fillColor(MUTED)
        .text(section.length > 44 ? `${section.slice(0, 43).trimEnd()}…` : section, MARGIN.left, height - 40, {
          lineBreak: false,
        });
    doc.font('regular').fontSize(9).fillColor(MUTED);
    doc.text(`Page ${i + 1} of ${count}`, MARGIN.left, height - 40, {
      width: width - MARGIN.left - MARGIN.right,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
}

export async function renderPdf(model: ReportModel, options: PdfOptions): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: `${model.title}: ${model.quarter.label}`,
      Author: model.force,
      Subject: `${model.subtitle} (${options.marking}${options.final ? '' : ', DRAFT'})`,
    },
  });
  for (const [name, file] of Object.entries(options.fonts)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const l = new Layout(doc);
  titlePage(l, model);
  doc.addPage(); // the contents, filled in once every section's page is known
  const contents = l.pageNumber;
  l.section(SECTION.glossary);
  for (const g of model.glossary) l.writePair([g.term, 'bold', 10], [g.definition, 'regular', 10]);
  for (const p of model.priorities) prioritySection(l, p, options.charts);
  changesSection(l, model);
  sourcesSection(l, model);
  contentsPage(l, contents);
  stampPages(doc, options, l.pageSection);
  const pages = doc.bufferedPageRange().count;
  doc.end();
  await ended;
  return { bytes: Buffer.concat(chunks), pages };
}
