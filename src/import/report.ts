// Plain-text summaries of an import, for the terminal.
import type { ImportReport, OnsReport, PoliceUkReport } from './run.ts';
import type { SeriesReport } from './run-series.ts';

const n = (x: number) => x.toLocaleString('en-GB');

export function formatImportReport(report: ImportReport): string {
  return report.source === 'police-uk' ? formatPoliceUk(report) : formatOns(report);
}

function computedLines(computed: PoliceUkReport['computed']): string[] {
  return computed.map((c) => {
    const rank =
      c.before.rank === c.after.rank ? c.after.rank : `${c.before.rank ?? 'none'} → ${c.after.rank ?? 'none'}`;
    const trend =
      c.before.trend === c.after.trend ? c.after.trend : `${c.before.trend ?? 'none'} → ${c.after.trend ?? 'none'}`;
    return `  ${c.id} computed: MSG ${rank ?? 'not computable'}; trend ${trend ?? 'not computable'}`;
  });
}

function formatPoliceUk(r: PoliceUkReport): string {
  const lines: string[] = [];
  if (!r.applied) {
    lines.push(`Nothing imported: ${r.reason}.`);
  } else {
    const months = [...new Set(r.files.map((f) => f.month))].sort();
    const forces = new Set(r.files.map((f) => f.force));
    lines.push(
      `Imported ${n(r.files.length)} street files: ${n(r.rows)} rows, ${forces.size} forces, ${months.length} months ` +
        `(${range(months)}), in ${r.seconds.toFixed(1)} s.`,
    );
    lines.push(
      r.changes > 0
        ? `${n(r.changes)} figures changed (change log message ${r.messageId}).`
        : 'No figures changed: the store already held these months.',
    );
    for (const m of r.measures) {
      const notes = [
        m.created ? 'new series' : '',
        m.replacedIllustrative ? 'replaced the illustrative series with police.uk figures' : '',
      ].filter(Boolean);
      lines.push(
        `  ${m.id}: ${m.periods.length} months (${range(m.periods)})${notes.length ? `, ${notes.join(', ')}` : ''}`,
      );
    }
  }
  lines.push(...computedLines(r.computed));
  for (const k of r.kept) lines.push(`Left alone: ${k.id}, because ${k.reason}.`);
  const unused = Object.entries(r.unusedTypes).sort(([a], [b]) => a.localeCompare(b));
  if (unused.length > 0) {
    lines.push(`Counted but feeding no measure: ${unused.map(([type, count]) => `${type} ${n(count)}`).join('; ')}.`);
  }
  if (r.unplaced.length > 0) {
    lines.push(
      `Not stored (the store has no month for its own force to hang these on, or the force has left the MSG):`,
    );
    for (const u of r.unplaced) lines.push(`  ${u.force} ${u.month}`);
  }
  for (const o of r.otherFallsWithin) {
    lines.push(
      `Note: ${o.label} has ${n(o.rows)} rows whose "Falls within" is another force; counted for the file's force.`,
    );
  }
  if (r.skipped.length > 0) {
    lines.push(`Skipped ${n(r.skipped.length)} files:`);
    for (const s of r.skipped) lines.push(`  ${s.label}: ${s.reason}`);
  }
  return lines.join('\n');
}

export function formatSeriesReport(r: SeriesReport): string {
  const lines = [
    `Imported ${r.file} into ${r.measure}: ${r.periods.length} ${r.periods.length === 1 ? 'period' : 'periods'} ` +
      `(${range(r.periods)})` +
      (r.replacedIllustrative
        ? ', replacing the illustrative series: the series is now official, from the file.'
        : '.'),
    r.changes > 0
      ? `${n(r.changes)} figures changed (change log message ${r.messageId}).`
      : 'No figures changed: the store already held these figures.',
  ];
  lines.push(...computedLines(r.computed));
  return lines.join('\n');
}

function formatOns(r: OnsReport): string {
  const lines = [`Imported ${r.editions.length} ONS editions:`];
  for (const e of r.editions) {
    const what = { new: 'new', replaced: 'replaced the stored edition', unchanged: 'already stored, unchanged' }[
      e.status
    ];
    lines.push(
      `  year ending ${e.yearEnding} from ${e.sourceFile}: ${e.areas} areas (the force, its MSG peers, ` +
        `England and Wales), ${what}${e.scope ? `; scope: ${e.scope}` : ''}`,
    );
  }
  const fed = [...new Set(r.editions.flatMap((e) => e.series))];
  if (fed.length > 0) lines.push(`ONS series kept up to date: ${fed.join(', ')}`);
  lines.push(...computedLines(r.computed));
  lines.push(
    r.changes > 0 ? `${n(r.changes)} figures changed (change log message ${r.messageId}).` : 'No figures changed.',
  );
  return lines.join('\n');
}

function range(periods: string[]): string {
  if (periods.length === 0) return 'none';
  return periods.length === 1 ? periods[0]! : `${periods[0]} to ${periods[periods.length - 1]}`;
}
