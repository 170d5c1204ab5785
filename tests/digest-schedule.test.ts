// The weekly slot in Europe/London across the BST/GMT changes, and the settings' one-line errors.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { latestSlotAtOrBefore, nextSlotAfter, slotOfWeek } from '../src/digest/schedule.ts';
import { parseSchedule, readDigestSettings, type WeeklySchedule } from '../src/digest/settings.ts';

const ZONE = 'Europe/London';
const schedule = (text: string) => parseSchedule(text) as WeeklySchedule;
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const slotUtc = (weekNumber: number, text: string, weekYear = 2026) =>
  slotOfWeek({ weekYear, weekNumber }, schedule(text), ZONE).at.toUTC().toISO();

describe('the weekly slot', () => {
  it('is 09:00 London time on both sides of the March change (last Sunday of March)', () => {
    expect(slotUtc(13, 'Mon 09:00')).toBe('2026-03-23T09:00:00.000Z'); // GMT
    expect(slotUtc(14, 'Mon 09:00')).toBe('2026-03-30T08:00:00.000Z'); // BST
    // Sunday 29 March itself, after the change.
    expect(slotUtc(13, 'Sun 09:00')).toBe('2026-03-29T08:00:00.000Z');
  });

  it('is 09:00 London time on both sides of the October change (last Sunday of October)', () => {
    expect(slotUtc(43, 'Mon 09:00')).toBe('2026-10-19T08:00:00.000Z'); // BST
    expect(slotUtc(44, 'Mon 09:00')).toBe('2026-10-26T09:00:00.000Z'); // GMT
    expect(slotUtc(43, 'Sun 09:00')).toBe('2026-10-25T09:00:00.000Z');
  });

  it('fires a time inside the skipped hour at the first valid instant after it', () => {
    // 01:30 on 29 March 2026 does not exist in London: clocks go from 01:00 GMT to 02:00 BST.
    const slot = slotOfWeek({ weekYear: 2026, weekNumber: 13 }, schedule('Sun 01:30'), ZONE);
    expect(slot.at.toISO()).toBe('2026-03-29T02:00:00.000+01:00');
    expect(slot.week).toBe('2026-W13');
    // And the next run seen from just before the change is that instant.
    expect(nextSlotAfter(utc('2026-03-29T00:59:00Z'), schedule('Sun 01:30'), ZONE).at.toUTC().toISO()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // 01:00 exactly is the start of the gap: also 02:00 BST.
    expect(slotUtc(13, 'Sun 01:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('fires a time inside the repeated hour once, at its first occurrence', () => {
    // 01:30 on 25 October 2026 happens twice in London: 00:30 UTC (BST) and 01:30 UTC (GMT).
    const s = schedule('Sun 01:30');
    const slot = slotOfWeek({ weekYear: 2026, weekNumber: 43 }, s, ZONE);
    expect(slot.at.toISO()).toBe('2026-10-25T01:30:00.000+01:00');
    expect(nextSlotAfter(utc('2026-10-25T00:00:00Z'), s, ZONE).at.toUTC().toISO()).toBe('2026-10-25T00:30:00.000Z');
    // Once fired (at the first 01:30), the second 01:30 is not a slot: the next is a week later.
    expect(nextSlotAfter(utc('2026-10-25T00:30:00Z'), s, ZONE).at.toUTC().toISO()).toBe('2026-11-01T01:30:00.000Z');
    expect(nextSlotAfter(utc('2026-10-25T01:30:00Z'), s, ZONE).week).toBe('2026-W44');
    expect(latestSlotAtOrBefore(utc('2026-10-25T01:45:00Z'), s, ZONE).at.toUTC().toISO()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('keys slots by the ISO week of their local date', () => {
    expect(nextSlotAfter(utc('2026-11-25T12:00:00Z'), schedule('Mon 09:00'), ZONE).week).toBe('2026-W49');
    expect(latestSlotAtOrBefore(utc('2026-11-25T12:00:00Z'), schedule('Mon 09:00'), ZONE).week).toBe('2026-W48');
    // Week 53 and the turn of the year.
    expect(slotOfWeek({ weekYear: 2026, weekNumber: 53 }, schedule('Mon 09:00'), ZONE).at.toISODate()).toBe(
      '2026-12-28',
    );
    expect(nextSlotAfter(utc('2026-12-29T00:00:00Z'), schedule('Mon 09:00'), ZONE).week).toBe('2027-W01');
  });
});

describe('settings', () => {
  it('defaults to Mon 09:00 Europe/London, and is off without a channel', () => {
    const r = readDigestSettings({});
    expect(r).toEqual({
      ok: true,
      settings: {
        channel: null,
        schedule: { weekday: 1, hour: 9, minute: 0, text: 'Mon 09:00' },
        zone: 'Europe/London',
      },
    });
  });

  it('refuses a bad schedule or zone in one line naming the setting', () => {
    for (const bad of ['Funday 09:00', 'Mon 25:00', 'Mon 9', '09:00 Mon', 'Mon 09:60']) {
      const r = readDigestSettings({ DIGEST_CHANNEL: 'C1', DIGEST_SCHEDULE: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^DIGEST_SCHEDULE "[^"\n]+" is not a weekday and a 24-hour time/);
    }
    for (const bad of ['Europe/Londn', 'BST', 'Mars/Olympus']) {
      const r = readDigestSettings({ DIGEST_CHANNEL: 'C1', DIGEST_TIMEZONE: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).not.toContain('\n');
      if (!r.ok) expect(r.error).toMatch(/^DIGEST_TIMEZONE /);
    }
    expect(
      readDigestSettings({
        DIGEST_CHANNEL: 'C1',
        DIGEST_SCHEDULE: 'friday 17:30',
        DIGEST_TIMEZONE: 'America/New_York',
      }),
    ).toMatchObject({
      ok: true,
      settings: { channel: 'C1', schedule: { weekday: 5, hour: 17, minute: 30 }, zone: 'America/New_York' },
    });
  });
});
