// Weekly slots in a time zone. Pure: instants in, instants out.
//
// A slot is the configured weekday and wall-clock time in DIGEST_TIMEZONE, so the digest
// posts at 09:00 local time on both sides of a BST/GMT change. Two wall times need care:
// - one that does not exist (spring forward) fires at the first valid instant after it;
// - one that occurs twice (fall back) fires once, at its first occurrence.
// luxon alone gets both "wrong" for this purpose (it shifts a gap time by the gap length and
// picks the later of two occurrences), so the wall time is resolved here.
import { DateTime, type WeekdayNumbers } from 'luxon';
import type { WeeklySchedule } from './settings.ts';

export interface Slot {
  /** ISO week of the slot's local date, e.g. "2026-W48": the exactly-once key with the channel. */
  week: string;
  /** The instant the slot fires, in the schedule's zone. */
  at: DateTime;
}

interface IsoWeek {
  weekYear: number;
  weekNumber: number;
}

const MINUTE = 60_000;

export function weekKey(w: IsoWeek): string {
  return `${w.weekYear}-W${String(w.weekNumber).padStart(2, '0')}`;
}

/** The ISO week holding an instant's local date in the zone. */
export function isoWeekOf(instant: DateTime, zone: string): IsoWeek {
  const local = instant.setZone(zone);
  return { weekYear: local.weekYear, weekNumber: local.weekNumber };
}

function shiftWeek(w: IsoWeek, weeks: number): IsoWeek {
  const monday = DateTime.fromObject(
    { weekYear: w.weekYear, weekNumber: w.weekNumber, weekday: 1 },
    { zone: 'utc' },
  ).plus({ weeks });
  return { weekYear: monday.weekYear, weekNumber: monday.weekNumber };
}

function offsetMinutesAt(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).offset;
}

/** The wall clock at an instant, as if it were UTC: comparable with a requested wall time. */
function wallMs(ms: number, zone: string): number {
  return ms + offsetMinutesAt(ms, zone) * MINUTE;
}

/**
 * The instant for a local wall time: the earliest instant showing exactly that wall time, or,
 * when the wall time falls in a gap, the first instant whose wall time is later than it.
 */
export function resolveWallTime(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  zone: string,
): DateTime {
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Offsets in force a day either side bound every transition near this wall time.
  const offsets = [
    ...new Set([
      offsetMinutesAt(wanted - 86_400_000, zone),
      offsetMinutesAt(wanted, zone),
      offsetMinutesAt(wanted + 86_400_000, zone),
    ]),
  ];
  const exact = offsets
    .map((o) => wanted - o * MINUTE)
    .filter((ms) => wallMs(ms, zone) === wanted)
    .sort((a, b) => a - b);
  if (exact.length > 0) return DateTime.fromMillis(exact[0]!, { zone });

  // A gap: binary search (to the second) for the first instant past the requested wall time.
  let lo = wanted - Math.max(...offsets) * MINUTE; // its wall time is before the gap
  let hi = wanted - Math.min(...offsets) * MINUTE; // its wall time is after the gap
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallMs(mid, zone) >= wanted) hi = mid;
    else lo = mid;
  }
  return DateTime.fromMillis(hi, { zone });
}

export function slotOfWeek(w: IsoWeek, schedule: WeeklySchedule, zone: string): Slot {
  const day = DateTime.fromObject(
    { weekYear: w.weekYear, weekNumber: w.weekNumber, weekday: schedule.weekday as WeekdayNumbers },
    { zone: 'utc' },
  );
  const at = resolveWallTime({ year: day.year, month: day.month, day: day.day }, schedule.hour, schedule.minute, zone);
  return { week: weekKey(w), at };
}

/** The most recent slot at or before now (this week's, or last week's when this week's is still to come). */
export function latestSlotAtOrBefore(now: DateTime, schedule: WeeklySchedule, zone: string): Slot {
  const week = isoWeekOf(now, zone);
  const slot = slotOfWeek(week, schedule, zone);
  return slot.at <= now ? slot : slotOfWeek(shiftWeek(week, -1), schedule, zone);
}

/** The first slot strictly after the given instant. */
export function nextSlotAfter(after: DateTime, schedule: WeeklySchedule, zone: string): Slot {
  const week = isoWeekOf(after, zone);
  const slot = slotOfWeek(week, schedule, zone);
  return slot.at > after ? slot : slotOfWeek(shiftWeek(week, 1), schedule, zone);
}

/** "Mon 23 Nov 2026 09:00 GMT": for logs and the late note. */
export function slotLabel(at: DateTime): string {
  // en-GB names London's offsets BST and GMT (en-US says "GMT+1").
  return at.setLocale('en-GB').toFormat('ccc d LLL yyyy HH:mm ZZZZ');
}
