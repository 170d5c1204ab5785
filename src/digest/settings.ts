// DIGEST_CHANNEL, DIGEST_SCHEDULE and DIGEST_TIMEZONE, checked once at start. Every problem is
// one line naming the setting, because luxon reports a bad zone as an invalid DateTime
// rather than throwing, and a silent fallback would post at the wrong hour for months.
import { DateTime, IANAZone } from 'luxon';

export const DEFAULT_SCHEDULE = 'Mon 09:00';
export const DEFAULT_TIMEZONE = 'Europe/London';

/** A weekly slot: ISO weekday (1 = Monday) and a local wall-clock time. */
export interface WeeklySchedule {
  weekday: number;
  hour: number;
  minute: number;
  /** As configured, for logs: "Mon 09:00". */
  text: string;
}

export interface DigestSettings {
  /** null: the digest is off. */
  channel: string | null;
  schedule: WeeklySchedule;
  zone: string;
}

export type SettingsResult = { ok: true; settings: DigestSettings } | { ok: false; error: string };

const WEEKDAYS: Record<string, number> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

/** "Mon 09:00", "monday 9:00", "Sun 01:30". */
export function parseSchedule(text: string): WeeklySchedule | string {
  const m = /^\s*([a-z]+)\s+(\d{1,2}):(\d{2})\s*$/i.exec(text);
  const weekday = m ? WEEKDAYS[m[1]!.toLowerCase()] : undefined;
  const hour = m ? Number(m[2]) : NaN;
  const minute = m ? Number(m[3]) : NaN;
  if (!m || weekday === undefined || hour > 23 || minute > 59) {
    return `DIGEST_SCHEDULE "${text}" is not a weekday and a 24-hour time, e.g. "Mon 09:00"`;
  }
  return { weekday, hour, minute, text: text.trim() };
}

/**
 * Intl also accepts legacy abbreviations, and "BST" there is Bangladesh, not British Summer
 * Time: only Area/Location names (and UTC) are taken, so a typo cannot move the digest 6 hours.
 */
export function checkZone(zone: string): string | null {
  const named = zone.includes('/') || zone === 'UTC';
  if (!named || !IANAZone.isValidZone(zone) || !DateTime.now().setZone(zone).isValid) {
    return `DIGEST_TIMEZONE "${zone}" is not an IANA time zone, e.g. "Europe/London"`;
  }
  return null;
}

/** Zone only: the CLI needs it for --since even when no channel is set. */
export function digestZone(env: NodeJS.ProcessEnv): { ok: true; zone: string } | { ok: false; error: string } {
  const zone = env.DIGEST_TIMEZONE?.trim() || DEFAULT_TIMEZONE;
  const problem = checkZone(zone);
  return problem ? { ok: false, error: problem } : { ok: true, zone };
}

export class DigestSettingsError extends Error {
  override name = 'DigestSettingsError';
}

/** Checks the settings without starting anything: the bot calls this before its app starts. */
export function checkDigestSettings(env: NodeJS.ProcessEnv): DigestSettings {
  const read = readDigestSettings(env);
  if (!read.ok) throw new DigestSettingsError(read.error);
  return read.settings;
}

export function readDigestSettings(env: NodeJS.ProcessEnv): SettingsResult {
  const zone = digestZone(env);
  if (!zone.ok) return zone;
  const schedule = parseSchedule(env.DIGEST_SCHEDULE?.trim() || DEFAULT_SCHEDULE);
  if (typeof schedule === 'string') return { ok: false, error: schedule };
  const channel = env.DIGEST_CHANNEL?.trim() || null;
  return { ok: true, settings: { channel, schedule, zone: zone.zone } };
}
