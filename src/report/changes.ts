// "What changed this quarter": the digest's own reading of the change log (net changes, and
// better or worse by the measure's polarity), over the quarter instead of a week.
import type { Store } from '../store/index.ts';
import { buildDigest, type DigestChange } from '../digest/build.ts';
import { measureHeadline, type Movement } from '../digest/movements.ts';
import type { Quarter } from './quarter.ts';

export interface ReportChange {
  /** The measure's title, else the priority's (planned actions and priority comments). */
  subject: string;
  priority: string;
  kind: DigestChange['kind'];
  from: string;
  to: string;
  /** Slack user ID, or "import". */
  by: string;
  /** ISO 8601 in the report's zone. */
  at: string;
  direction: Movement['direction'] | null;
}

export interface QuarterChanges {
  /** Worse first, biggest first, then better: what a reader of a signed-off record looks for first. */
  worsened: ReportChange[];
  improved: ReportChange[];
  /** Actions, comments, figures that moved nothing: in report order. */
  other: ReportChange[];
  /** Measures whose biggest movement this quarter was better / worse (each measure counted once). */
  improvedMeasures: string[];
  worsenedMeasures: string[];
}

export function quarterChanges(store: Store, quarter: Quarter, zone: string): QuarterChanges {
  const digest = buildDigest(store, { since: quarter.start, until: quarter.end, zone });
  const rows = digest.changes.map((c) => ({
    row: {
      subject: c.measure ?? c.priority,
      priority: c.priority,
      kind: c.kind,
      from: c.from,
      to: c.to,
      by: c.by,
      at: c.at,
      direction: c.movement?.direction ?? null,
    } satisfies ReportChange,
    size: c.movement?.size ?? 0,
  }));
  const moved = (direction: Movement['direction']) =>
    rows
      .filter((r) => r.row.direction === direction)
      .sort((a, b) => b.size - a.size)
      .map((r) => r.row);

  const byMeasure = new Map<string, Movement[]>();
  for (const c of digest.changes) {
    if (!c.movement || !c.measureId) continue;
    byMeasure.set(c.measureId, [...(byMeasure.get(c.measureId) ?? []), c.movement]);
  }
  const improvedMeasures: string[] = [];
  const worsenedMeasures: string[] = [];
  for (const movements of byMeasure.values()) {
    const line = measureHeadline(movements);
    (line.direction === 'better' ? improvedMeasures : worsenedMeasures).push(movements[0]!.measure);
  }
  return {
    worsened: moved('worse'),
    improved: moved('better'),
    other: rows.filter((r) => r.row.direction === null).map((r) => r.row),
    improvedMeasures,
    worsenedMeasures,
  };
}
