// `measures report`: the PDF read back with pdftotext, against the seed report's own wording;
// page furniture on every page; the report after an update and an import; HTML and Markdown.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { measuresInProcess, tempStoreFile } from './helpers/store-temp.ts';
import { runMeasures } from './helpers/cli.ts';
import { seedStore, tempDir } from './helpers/seed.ts';
import { bodyText, pdfPageCount, pdfPages, squeeze } from './helpers/pdf-text.ts';
import { streetFileText } from './import-fixtures.ts';

const SEED_TEXT = fs.readFileSync(path.resolve('../shared/seed/000_d5494974189a3735.txt'), 'utf8');
/** The seed as prose: its Markdown emphasis and underlines are not words. */
const SEED = squeeze(SEED_TEXT.replace(/\*\*|<\/?u>/g, ''));

/** Every string of the seed the report must quote, taken from the bundled store, by kind. */
function seedStrings(): Array<[kind: string, text: string]> {
  const store = seedStore();
  const out: Array<[string, string]> = [];
  for (const p of store.priorities) {
    out.push(['priority title', p.title]);
    for (const a of p.plannedActions) out.push(['planned action', a.text]);
    for (const c of p.comments) out.push(['comment', c.text]);
    for (const m of p.measures) {
      out.push(['measure title', m.title], ['trend label', m.trend.label], ['MSG text', m.benchmark.text]);
      for (const c of m.comments) out.push(['comment', c.text]);
    }
  }
  for (const g of store.glossary) out.push(['glossary term', g.term], ['glossary definition', g.definition]);
  return out;
}

let dir: string;
let seedPdf: { file: string; json: Record<string, unknown>; pages: string[] };

beforeAll(async () => {
  dir = tempDir('measures-report-');
  const store = tempStoreFile();
  const file = path.join(dir, 'draft.pdf');
  const r = await measuresInProcess(['report', '--as-of', '2021-11-30', '--out', file, '--json'], store);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  seedPdf = { file, json: JSON.parse(r.out), pages: pdfPages(file) };
}, 90_000);

describe('measures report (PDF from the bundled store)', () => {
  it('quotes every priority, measure, trend label, MSG text, action, comment and glossary term verbatim', () => {
    const text = squeeze(bodyText(seedPdf.pages, 'OFFICIAL'));
    const expected = seedStrings();
    expect(expected.length).toBe(118);
    const missing = expected.filter(([, s]) => !text.includes(squeeze(s)));
    expect(missing).toEqual([]);
    // The expected side is the seed's own wording, not only the store's.
    expect(expected.filter(([, s]) => !SEED.includes(squeeze(s)))).toEqual([]);
    // The comparison notices one word gone from a long action.
    const action = expected.find(([k]) => k === 'planned action')![1];
    expect(text.includes(squeeze(action.replace(' high ', ' ')))).toBe(false);
  });

  it('is A4, names the quarter and file, and prints the typography the seed uses', () => {
    expect(seedPdf.json).toMatchObject({
      file: path.join(dir, 'draft.pdf'),
      quarter: expect.stringMatching(/^Quarter ending November 2021/),
    });
    const info = execFileSync('pdfinfo', [seedPdf.file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const fonts = execFileSync('pdffonts', [seedPdf.file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s.*yes/);
    expect(fonts).toMatch(/DejaVuSans-Oblique\s.*yes/);
    const all = seedPdf.pages.join('\n');
    expect(all).toContain('−'); // "Dec 21: 622 crimes, −8% on Nov 21"
    expect(all).toContain('“illustrative”');
    expect(seedPdf.pages[0]).toMatch(/Avon and Somerset Police[\s\S]*National Police and Crime\s+Measures/);
    expect(seedPdf.pages[0]).toContain('Quarter ending November 2021');
    expect(seedPdf.pages[0]).toMatch(/Generated \d+ \w{3} \d{4}/);
    expect(seedPdf.pages[0]).toMatch(/14 of the 19 measures are drawn from illustrative series/);
  });

  it('numbers every page "Page N of M", carries the marking at head and foot and DRAFT on every page', () => {
    const count = pdfPageCount(seedPdf.file);
    expect(seedPdf.json.pages).toBe(count);
    expect(seedPdf.pages).toHaveLength(count);
    seedPdf.pages.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim());
      expect(lines[0]).toMatch(/^DRAFT\s+OFFICIAL$/);
      expect(lines.at(-1)).toMatch(new RegExp(`\\sOFFICIAL\\s+Page ${i + 1} of ${count}$`));
    });
  });

  it('has a contents page whose page numbers are where each section starts', () => {
    const contents = seedPdf.pages[1]!;
    const sections = [
      'Glossary',
      ...seedStore().priorities.map((p) => p.title),
      'What changed this quarter',
      'Sources and caveats',
    ];
    for (const title of sections) {
      const m = new RegExp(`^${title.replace(/[,]/g, '.')}\\s+(\\d+)$`, 'm').exec(contents);
      expect(m, title).not.toBeNull();
      const page = seedPdf.pages[Number(m![1]) - 1]!;
      // The section's heading opens its page (after the marking line), however it wraps.
      const body = squeeze(page.split('\n').slice(1).join('\n'));
      expect(body.startsWith(squeeze(title)), title).toBe(true);
    }
  });

  it('--final drops DRAFT; REPORT_MARKING sets the marking', { timeout: 90_000 }, () => {
    const out = path.join(dir, 'final.pdf');
    const r = runMeasures(['report', '--as-of', '2021-11-30', '--final', '--out', out], tempStoreFile(), {
      REPORT_MARKING: 'OFFICIAL-SENSITIVE',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/final\.pdf: Quarter ending November 2021 \(September–November 2021\), \d+ pages\n$/);
    const pages = pdfPages(out);
    expect(pages.join('\n')).not.toContain('DRAFT');
    pages.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim());
      expect(lines[0]!.trim()).toBe('OFFICIAL-SENSITIVE');
      expect(lines.at(-1)).toMatch(new RegExp(`OFFICIAL-SENSITIVE\\s+Page ${i + 1} of ${pages.length}$`));
    });
  });

  it('exits 2 on a bad date, format or output folder, naming it', async () => {
    const store = tempStoreFile();
    const bad = async (...args: string[]) => measuresInProcess(['report', ...args], store);
    expect(await bad('--as-of', '2021-13-01')).toMatchObject({ code: 2, err: expect.stringContaining('--as-of') });
    expect(await bad('--format', 'docx')).toMatchObject({ code: 2, err: expect.stringContaining('--format') });
    expect(await bad('--out', '/nonexistent/dir/r.pdf')).toMatchObject({
      code: 2,
      err: expect.stringContaining('does not exist'),
    });
  });
});

describe('measures report after an update and an import', () => {
  it('shows the new values and lists them under "What changed this quarter"', { timeout: 120_000 }, async () => {
    const store = tempStoreFile();
    const upd = await measuresInProcess(['update', 'robbery', 'trend: Large increase', '--as', 'U0ANALYST'], store);
    expect(upd.code).toBe(0);
    const csv = path.join(dir, '2021-12-avon-and-somerset-street.csv');
    fs.writeFileSync(
      csv,
      streetFileText('2021-12', 'Avon and Somerset Constabulary', {
        // December as held, but for burglary: only that figure moves.
        Burglary: 900,
        'Vehicle crime': 630,
        Robbery: 125,
        'Theft from the person': 55,
      }),
    );
    const imp = await measuresInProcess(['import', 'police-uk', csv, '--as', 'U0IMPORTER'], store);
    expect(imp.code).toBe(0);

    const out = path.join(dir, 'after.pdf');
    const r = await measuresInProcess(['report', '--out', out, '--json'], store);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ worsened: 2, improved: 0 });
    const pages = pdfPages(out);
    const text = bodyText(pages, 'OFFICIAL');
    expect(text).toMatch(/Police recorded robbery offences\nTrend \/ outlook: Large increase \(set \d+ \w{3} \d{4}\)/);
    expect(text).toMatch(/Police recorded burglary offences\n.*\n.*\nLatest figure: Dec 21: 900 crimes/);
    const changes = text.slice(text.lastIndexOf('What changed this quarter'), text.indexOf('Sources and caveats\n'));
    expect(changes).toContain('2 measures worsened');
    expect(changes).toMatch(
      /Worse\n[\s\S]*Police recorded robbery offences: trend: Stable → Large increase\s+by U0ANALYST on/,
    );
    // Worst first: the burglary figure (+32.5%) before the robbery trend (two steps).
    expect(squeeze(changes)).toContain(
      squeeze(
        'Worse Police recorded burglary offences: figure: Dec 2021: 0.362 → Dec 2021: 0.524, +0.129 (+32.5%) ' +
          'on Nov 2021 by U0IMPORTER on',
      ),
    );
  });
});

describe('measures report --format html and md', () => {
  it('writes one self-contained, escaped HTML file with a print stylesheet', { timeout: 90_000 }, async () => {
    const store = tempStoreFile();
    await measuresInProcess(['update', 'robbery', 'comment: <script>alert(1)</script> & more', '--as', 'U1'], store);
    const out = path.join(dir, 'r.html');
    const r = await measuresInProcess(['report', '--format', 'html', '--out', out, '--as-of', '2026-12-01'], store);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Quarter ending February 2027 (December 2026–February 2027)');
    const html = fs.readFileSync(out, 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(19);
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(html).toContain('@media print');
    expect(html).toContain('break-before: page');
    for (const [, s] of seedStrings()) expect(html).toContain(s.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
  });

  it('writes Markdown with the charts as PNG files beside it', { timeout: 90_000 }, async () => {
    const out = path.join(dir, 'report-2021-11.md');
    const r = await measuresInProcess(
      ['report', '--format', 'md', '--out', out, '--as-of', '2021-10-01'],
      tempStoreFile(),
    );
    expect(r.code).toBe(0);
    const md = fs.readFileSync(out, 'utf8');
    const links = [...md.matchAll(/!\[[^\]]*\]\((report-2021-11-charts\/[a-z0-9-]+\.png)\)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(19);
    for (const link of links) expect(fs.readFileSync(path.join(dir, link)).subarray(1, 4).toString()).toBe('PNG');
    expect(md).toContain('## Reduce Murder and Other Homicide');
    expect(md).toContain('**OFFICIAL** · **DRAFT**');
  });
});
