// Who has the Home tab open lately: written at most hourly, republished within seven days.
import { describe, expect, it } from 'vitest';
import { needsViewerWrite, recentViewers, recordViewer } from '../src/slack/home/viewers.ts';

const at = (iso: string) => new Date(iso);

describe('Home tab viewers', () => {
  it('writes a viewer on the first open, then not again within the hour', () => {
    const store = { homeViewers: [] as { user: string; openedAt: string }[] };
    expect(needsViewerWrite(store, 'U1', at('2026-11-29T12:00:00Z'))).toBe(true);
    recordViewer(store, 'U1', at('2026-11-29T12:00:00Z'));
    expect(needsViewerWrite(store, 'U1', at('2026-11-29T12:59:00Z'))).toBe(false);
    expect(needsViewerWrite(store, 'U1', at('2026-11-29T13:00:00Z'))).toBe(true);
    recordViewer(store, 'U1', at('2026-11-29T13:00:00Z'));
    expect(store.homeViewers).toEqual([{ user: 'U1', openedAt: '2026-11-29T13:00:00.000Z' }]);
  });

  it('lists who opened it in the last 7 days, most recent first, and forgets the rest on the next write', () => {
    const store = {
      homeViewers: [
        { user: 'U_WEEK_AGO', openedAt: '2026-11-22T12:00:01Z' },
        { user: 'U_EIGHT_DAYS', openedAt: '2026-11-21T12:00:00Z' },
        { user: 'U_TODAY', openedAt: '2026-11-29T09:00:00Z' },
      ],
    };
    const now = at('2026-11-29T12:00:00Z');
    expect(recentViewers(store, now)).toEqual(['U_TODAY', 'U_WEEK_AGO']);
    recordViewer(store, 'U_NEW', now);
    expect(store.homeViewers.map((v) => v.user)).toEqual(['U_NEW', 'U_WEEK_AGO', 'U_TODAY']);
  });
});
