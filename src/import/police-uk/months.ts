// Which months a police.uk file may be for. A file name's month becomes a point of the series,
// and the latest point is what answers quote and the computed trend follows, so a month that
// cannot have been published yet (or before police.uk existed) is refused, not stored.
import { DateTime } from 'luxon';

/** data.police.uk's street-level data starts with December 2010. */
export const FIRST_POLICE_UK_MONTH = '2010-12';

/** The police.uk months an import accepts: from the first published month to the current one. */
export interface MonthWindow {
  first: string;
  /** The current month in Europe/London, where police.uk publishes. */
  latest: string;
}

export function monthWindow(now: Date): MonthWindow {
  return { first: FIRST_POLICE_UK_MONTH, latest: londonMonth(now) };
}

/** "YYYY-MM" of an instant, in Europe/London (a UTC clock is a month behind at midnight on the 1st in summer). */
export function londonMonth(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'Europe/London' }).toFormat('yyyy-MM');
}

/** Why a well-formed YYYY-MM month cannot be police.uk data, or null when it can. */
export function monthOutsideWindow(month: string, window: MonthWindow): string | null {
  if (month > window.latest)
    return `month ${month} is after the current month (${window.latest}): police.uk cannot have published it yet`;
  if (month < window.first) return `month ${month} is before police.uk's first month (${window.first})`;
  return null;
}
