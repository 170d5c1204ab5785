// Stores an ONS edition for the force, its MSG peers and England and Wales. Pure: changes
// the draft store inside the locked mutate. Re-importing an edition replaces it.
import type { OnsEdition, Store } from '../../store/schema.ts';
import type { ImportChanges, ImportContext } from '../change-log.ts';
import { allMeasures } from '../police-uk/merge.ts';
import { ImportRefusal } from '../refusal.ts';
import { ENGLAND_AND_WALES_CODE as ENGLAND_AND_WALES, onsRate } from './comparator.ts';
import type { OnsWorkbook } from './workbook.ts';


export interface OnsMergeSummary {
  yearEnding: string;
  sourceFile: string;
  areas: number;
  status: 'new' | 'replaced' | 'unchanged';
  changes: number;
}

export function mergeOnsEdition(draft: Store, book: OnsWorkbook, ctx: ImportContext, changes: ImportChanges): OnsMergeSummary {
  const wanted = [...draft.msg.forces.map((f) => f.onsCode), ENGLAND_AND_WALES];
  const areas = wanted.map((code) => {
    const area = book.areas.find((a) => a.code === code);
    if (!area) throw new ImportRefusal(book.sourceFile, null, `no row for area ${code} in Tables P1/P3`);
    return area;
  });
  const edition: OnsEdition = { yearEnding: book.yearEnding, sourceFile: book.sourceFile, importedAt: ctx.importedAt, areas };
  const at = draft.ons.findIndex((e) => e.yearEnding === book.yearEnding);
  const previous = at >= 0 ? draft.ons[at]! : null;
  const homeCode = draft.msg.forces.find((f) => f.slug === draft.force.slug)?.onsCode;
  const before = changes.entries.length;
  // One entry per measure the edition feeds: the force's rolling-year rate, before and after.
  for (const measure of allMeasures(draft)) {
    const groups = measure.sourceMapping.ons;
    if (groups.length === 0 || !homeCode) continue;
    const was = previous ? onsRate(previous, homeCode, groups) : null;
    const now = onsRate(edition, homeCode, groups);
    if (was !== now) changes.add(measure.id, `ons:${book.yearEnding}`, was, now);
  }
  if (previous && sameFigures(previous, edition)) {
    return { yearEnding: book.yearEnding, sourceFile: book.sourceFile, areas: areas.length, status: 'unchanged', changes: 0 };
  }
  if (at >= 0) draft.ons[at] = edition;
  else draft.ons.push(edition);
  draft.ons.sort((a, b) => (a.yearEnding < b.yearEnding ? -1 : a.yearEnding > b.yearEnding ? 1 : 0));
  return { yearEnding: book.yearEnding, sourceFile: book.sourceFile, areas: areas.length, status: previous ? 'replaced' : 'new', changes: changes.entries.length - before };
}

function sameFigures(a: OnsEdition, b: OnsEdition): boolean {
  return a.sourceFile === b.sourceFile && JSON.stringify(a.areas) === JSON.stringify(b.areas);
}
