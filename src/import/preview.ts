// The preview of an import: what it would change (a dry run) or did change, as one plain
// object that the CLI prints (or gives as JSON) and the Slack side renders. Pure.
import { createHash } from 'node:crypto';
import { findMeasure, type Store } from '../store/index.ts';
import type { ComputedSnapshot } from './refresh.ts';
import type { MeasureDiff, OnsDiff } from './diff.ts';
import type { ImportRefusal } from './refusal.ts';

export type ImportKind = 'police-uk' | 'ons' | 'series';

export interface MeasurePreview {
  id: string;
  title: string;
  /** Periods the measure had no point for. */
  added: string[];
  /** Periods whose figures (the force's own or a peer's) change. */
  replaced: string[];
  /** The illustrative series (or none) is replaced whole by real figures. */
  seriesReplaced: boolean;
  trend: { before: string | null; after: string | null };
  msg: { before: string | null; after: string | null };
}

export interface ImportPreview {
  kind: 'import-preview';
  source: ImportKind;
  files: string[];
  /** false for a dry run (nothing saved). */
  applied: boolean;
  /** The change-log message of an applied import that changed something. */
  messageId: string | null;
  measures: MeasurePreview[];
  /** ONS editions (year endings) added or replaced. */
  onsEditions: string[];
  /** Change-log entries the import writes (or would). */
  changes: number;
  refusal: { file: string; line: number | null; problem: string } | null;
  /**
   * A digest of the figures the import would replace, as they were when it ran: two previews
   * with the same basis were made against the same figures (a later analyst update changes it).
   */
  basis: string;
}

export function buildPreview(input: {
  source: ImportKind;
  files: string[];
  applied: boolean;
  messageId: string | null;
  after: Store;
  diff: { measures: MeasureDiff[]; ons: OnsDiff[] };
  computedBefore: Map<string, ComputedSnapshot>;
  computedAfter: Map<string, ComputedSnapshot>;
  changes: number;
}): ImportPreview {
  const measures = input.diff.measures.map((m): MeasurePreview => {
    const before = input.computedBefore.get(m.id) ?? { rank: null, trend: null };
    const after = input.computedAfter.get(m.id) ?? { rank: null, trend: null };
    return {
      id: m.id,
      title: findMeasure(input.after, m.id)?.measure.title ?? m.id,
      added: m.points.filter((p) => p.before === null && p.after !== null).map((p) => p.period),
      replaced: m.points.filter((p) => p.before !== null && p.after !== null).map((p) => p.period),
      seriesReplaced: m.replaced !== undefined,
      trend: { before: before.trend, after: after.trend },
      msg: { before: before.rank, after: after.rank },
    };
  });
  return {
    kind: 'import-preview',
    source: input.source,
    files: input.files,
    applied: input.applied,
    messageId: input.messageId,
    measures,
    onsEditions: input.diff.ons.map((e) => e.yearEnding),
    changes: input.changes,
    refusal: null,
    basis: createHash('sha256')
      .update(
        JSON.stringify([
          input.diff.measures.map((m) => [
            m.id,
            m.replaced?.before ?? null,
            m.detailsBefore,
            m.points.map((p) => p.before),
          ]),
          input.diff.ons.map((e) => e.before),
        ]),
      )
      .digest('hex'),
  };
}

export function refusedPreview(source: ImportKind, files: string[], refusal: ImportRefusal): ImportPreview {
  return {
    kind: 'import-preview',
    source,
    files,
    applied: false,
    messageId: null,
    measures: [],
    onsEditions: [],
    changes: 0,
    refusal: { file: refusal.file, line: refusal.line, problem: refusal.problem },
    basis: '',
  };
}

/** What Apply must find unchanged for the preview an analyst saw to still hold. */
export function previewKey(preview: ImportPreview): string {
  return JSON.stringify({
    measures: preview.measures,
    ons: preview.onsEditions,
    changes: preview.changes,
    basis: preview.basis,
  });
}

/** The preview as terminal text (the Slack side renders the same object as blocks). */
export function formatPreview(p: ImportPreview): string {
  const lines: string[] = [];
  const files = p.files.join(', ');
  if (p.refusal) {
    const where = p.refusal.line === null ? p.refusal.file : `${p.refusal.file}, line ${p.refusal.line}`;
    return `Refused, nothing would be imported: ${where}: ${p.refusal.problem}`;
  }
  lines.push(
    p.applied
      ? `Imported ${files}: ${p.changes} changes${p.messageId ? ` (change log message ${p.messageId})` : ''}.`
      : `Dry run of ${files}: nothing saved. It would make ${p.changes} changes.`,
  );
  if (p.measures.length === 0 && p.onsEditions.length === 0) lines.push('No figures would change.');
  for (const m of p.measures) {
    const parts = [
      m.seriesReplaced ? 'replaces the illustrative series' : null,
      m.added.length > 0 ? `adds ${periodList(m.added)}` : null,
      m.replaced.length > 0 ? `replaces ${periodList(m.replaced)}` : null,
    ].filter(Boolean);
    lines.push(`  ${m.title} (${m.id}): ${parts.join('; ') || 'details only'}`);
    lines.push(`    trend: ${beforeAfter(m.trend)}`);
    lines.push(`    MSG position: ${beforeAfter(m.msg)}`);
  }
  if (p.onsEditions.length > 0) lines.push(`  ONS editions: year ending ${p.onsEditions.join(', ')}`);
  return lines.join('\n');
}

export function periodList(periods: string[]): string {
  if (periods.length <= 4) return periods.join(', ');
  return `${periods.length} periods (${periods[0]} to ${periods[periods.length - 1]})`;
}

export function beforeAfter(x: { before: string | null; after: string | null }): string {
  const b = x.before ?? 'not computable';
  const a = x.after ?? 'not computable';
  return b === a ? `${a} (unchanged)` : `${b} → ${a}`;
}
