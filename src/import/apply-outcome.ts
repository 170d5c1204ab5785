// Applies a dry run's outcome to the store as it is under the lock: the figures the dry run
// saw before must still be there, or nothing is written (PreviewStale) and a new dry run is due.
// This is how an import prepared off the bot's main loop (a worker read and merged the file
// against a snapshot) lands in one cheap, all-or-nothing write with the exact figures previewed.
import { findMeasure, type ChangeSource, type ImportRecord, type Store } from '../store/index.ts';
import { details, same, setDetails } from './diff.ts';
import type { ImportKind } from './preview.ts';
import { recordImport } from './records.ts';
import type { ImportOutcome } from './tracked.ts';

export class PreviewStale extends Error {
  override name = 'PreviewStale';
}

export function applyImportOutcome(
  draft: Store,
  outcome: ImportOutcome,
  meta: { kind: ImportKind; files: ImportRecord['files']; source: ChangeSource },
): { messageId: string | null; changes: number } {
  const stale = (what: string): never => {
    throw new PreviewStale(`${what} changed since the preview`);
  };
  const { diff, entries } = outcome;
  for (const m of diff.measures) {
    const measure = findMeasure(draft, m.id)?.measure ?? stale(`the measure ${m.id}`);
    if (m.replaced) {
      if (!same(measure.series, m.replaced.before)) stale(`${measure.title}'s series`);
      continue;
    }
    if (!measure.series || !same(details(measure.series), m.detailsBefore)) stale(`${measure.title}'s series`);
    const points = new Map(measure.series!.points.map((p) => [p.period, p]));
    for (const p of m.points) if (!same(points.get(p.period) ?? null, p.before)) stale(`${measure.title} ${p.period}`);
  }
  for (const e of diff.ons) {
    if (!same(draft.ons.find((x) => x.yearEnding === e.yearEnding) ?? null, e.before))
      stale(`the ONS year ending ${e.yearEnding}`);
  }

  for (const m of diff.measures) {
    const measure = findMeasure(draft, m.id)!.measure;
    const after = m.points.flatMap((p) => (p.after ? [structuredClone(p.after)] : []));
    if (m.replaced) {
      measure.series = { ...(structuredClone(m.detailsAfter) as object), points: after } as NonNullable<
        typeof measure.series
      >;
      continue;
    }
    const series = measure.series!;
    const touched = new Set(m.points.map((p) => p.period));
    series.points = [...series.points.filter((p) => !touched.has(p.period)), ...after].sort((a, b) =>
      a.period < b.period ? -1 : a.period > b.period ? 1 : 0,
    );
    setDetails(series, m.detailsAfter);
  }
  for (const e of diff.ons) {
    draft.ons = draft.ons.filter((x) => x.yearEnding !== e.yearEnding);
    if (e.after) draft.ons.push(structuredClone(e.after));
  }
  draft.ons.sort((a, b) => (a.yearEnding < b.yearEnding ? -1 : 1));

  const written = entries.map((e) => ({ ...structuredClone(e), source: { ...meta.source, kind: 'import' as const } }));
  draft.changeLog.push(...written);
  recordImport(draft, written, meta, diff);
  const messageId = written[0]?.messageId ?? null;
  return { messageId, changes: written.length };
}
