// Sentences for digest changes, shared by the CLI text and the Slack blocks. Plain text.
import { DateTime } from 'luxon';
import type { Digest, DigestChange, StaleMeasure } from './build.ts';
import { periodLabel } from '../measures/wording.ts';

const KIND_LABEL: Record<DigestChange['kind'], string> = {
  trend: 'trend',
  msg: 'MSG position',
  value: 'figure',
  peer: 'MSG peer figure',
  'action-added': 'action added',
  'action-done': 'action',
  comment: 'comment',
};

/** "Robbery trend: Stable → Moderate increase", "Action added: Review hotspots (owner DI Jones)". */
export function changeSentence(c: DigestChange): string {
  const subject = c.measure ? `${c.measure} ${KIND_LABEL[c.kind]}` : capitalise(KIND_LABEL[c.kind]);
  if ((c.kind === 'action-added' || c.kind === 'comment') && c.from === 'none') return `${subject}: ${c.to}`;
  if (c.kind === 'action-done') return `${subject} ${c.to}: ${c.from.replace(/^(planned|done): /, '')}`;
  if (c.kind === 'value' && c.from === 'no figure') return `${subject}: ${c.to}`;
  return `${subject}: ${c.from} → ${c.to}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Fri 20 Nov 10:02". */
export function shortTime(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL HH:mm');
}

export function windowLabel(d: Pick<Digest, 'since' | 'until'>): string {
  const fmt = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy HH:mm');
  return `${fmt(d.since)} to ${fmt(d.until)}`;
}

export function staleSentence(s: StaleMeasure): string {
  return `${s.measure}: latest figures for ${periodLabel(s.latestPeriod)}, expected ${s.expectedEvery}`;
}

export const ALL_STALE_LINE = "Every measure's data is older than its expected update interval.";

export function quietLine(d: Pick<Digest, 'since'>): string {
  return (
    'A quiet week: nothing changed ' +
    `since ${DateTime.fromISO(d.since, { setZone: true }).toFormat('ccc d LLL HH:mm')}.`
  );
}

/** Changes grouped by priority, in the digest's (store) order. */
export function byPriority(
  changes: DigestChange[],
): Array<{ priorityId: string; priority: string; changes: DigestChange[] }> {
  const groups: Array<{ priorityId: string; priority: string; changes: DigestChange[] }> = [];
  for (const c of changes) {
    const last = groups[groups.length - 1];
    if (last && last.priorityId === c.priorityId) last.changes.push(c);
    else groups.push({ priorityId: c.priorityId, priority: c.priority, changes: [c] });
  }
  return groups;
}
