// Which peers have no street file for a month, in words. Computed from the points each time
// the series changes, so a caveat never outlives the gap it describes.
import { DateTime } from 'luxon';
import type { Force, SeriesPoint } from '../../store/index.ts';

/** Recognises the lines written by missingPeerCaveats, to replace them. */
export const MISSING_PEER_CAVEAT = / no police\.uk street file for /;

export function missingPeerCaveats(points: SeriesPoint[], forces: Force[], homeSlug: string): string[] {
  const peers = forces.filter((f) => f.slug !== homeSlug);
  const out: string[] = [];
  for (const point of [...points].sort((a, b) => a.period.localeCompare(b.period))) {
    const missing = peers.filter((f) => point.peers?.[f.slug] === undefined);
    // A month with no peer at all is a series without peers, not a gap.
    if (missing.length === 0 || missing.length === peers.length) continue;
    const names = missing.map((f) => f.name).join(', ');
    const month = DateTime.fromFormat(point.period, 'yyyy-MM', { zone: 'utc' }).toFormat('LLLL yyyy');
    const left = peers.length - missing.length;
    out.push(
      `${names} ${missing.length === 1 ? 'has' : 'have'} no police.uk street file for ${month}: ` +
        `that month has ${left} peer${left === 1 ? '' : 's'}, and the MSG average, ` +
        'range and computed rank leave it out.',
    );
  }
  return out;
}
