// The pure parts of following: the follow rows a user's choices leave, and the crossing alerts
// a change in MSG position raises (by rank, whatever the polarity; by the average, by polarity).
import { describe, expect, it } from 'vitest';
import { crossingsOf } from '../src/digest/follower-changes.ts';
import { follow, toggleFollow, unfollow } from '../src/measures/follow-edit.ts';
import { followedMeasureIds } from '../src/measures/follows.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { seedStore } from './helpers/seed.ts';

const at = new Date('2026-11-20T10:00:00Z');
const published = (rank: number, relation: 'above' | 'below' | 'similar', of = 8) => ({
  status: 'published',
  rank,
  of,
  relation,
  asOf: '2026-11-01',
  text: 'x',
});

describe('follow rows', () => {
  it('a priority covers its measures; unfollowing one leaves an exception; following it again removes it', () => {
    const s = seedStore();
    const priority = { kind: 'priority' as const, id: 'reduce-neighbourhood-crime' };
    follow(s, 'U1', priority, at);
    expect(followedMeasureIds(s, 'U1')).toEqual(['burglary', 'vehicle-crime', 'robbery', 'theft-from-the-person']);
    expect(unfollow(s, 'U1', { kind: 'measure', id: 'robbery' }, at)).toEqual({ following: false, changed: true });
    expect(followedMeasureIds(s, 'U1')).not.toContain('robbery');
    expect(s.follows.filter((f) => f.mode === 'except')).toHaveLength(1);
    expect(follow(s, 'U1', { kind: 'measure', id: 'robbery' }, at)).toEqual({ following: true, changed: true });
    expect(s.follows).toHaveLength(1); // the exception went; no direct row was needed
    expect(toggleFollow(s, 'U1', priority, at)).toMatchObject({ action: 'unfollow', changed: true });
    expect(s.follows).toHaveLength(0);
  });

  it('changes nothing when asked for the state that already holds', () => {
    const s = seedStore();
    expect(unfollow(s, 'U1', { kind: 'measure', id: 'robbery' }, at)).toEqual({ following: false, changed: false });
    follow(s, 'U1', { kind: 'measure', id: 'robbery' }, at);
    expect(follow(s, 'U1', { kind: 'measure', id: 'robbery' }, at)).toEqual({ following: true, changed: false });
    expect(s.follows).toHaveLength(1);
  });
});

describe('crossing alerts', () => {
  const s = seedStore();
  const robbery = findMeasure(s, 'robbery')!.measure; // higher is worse
  const rapeChargeRate = findMeasure(s, 'rape-charge-rate')!.measure; // higher is better

  it('entering the worst three (6th of 8) is worse, leaving it better; moves inside a band are not crossings', () => {
    expect(crossingsOf(robbery, published(5, 'similar'), published(6, 'similar'))).toEqual([
      expect.objectContaining({ direction: 'worse', text: 'entered the worst three in the MSG: 5th → 6th of 8' }),
    ]);
    expect(crossingsOf(robbery, published(6, 'similar'), published(5, 'similar'))[0]!.direction).toBe('better');
    expect(crossingsOf(robbery, published(7, 'above'), published(8, 'above'))).toEqual([]);
    expect(crossingsOf(robbery, published(2, 'below'), published(4, 'below'))).toEqual([]);
  });

  it('judges above and below the average by polarity, and ignores moves to or from similar', () => {
    expect(crossingsOf(robbery, published(4, 'below'), published(4, 'above'))[0]).toMatchObject({
      direction: 'worse',
      text: 'now above the MSG average (was below)',
    });
    expect(crossingsOf(rapeChargeRate, published(4, 'below'), published(4, 'above'))[0]!.direction).toBe('better');
    expect(crossingsOf(robbery, published(4, 'below'), published(4, 'similar'))).toEqual([]);
  });

  it('has none for a measure without a published MSG position', () => {
    const na = { status: 'not-available', asOf: '2026-11-01', text: 'n/a' };
    expect(crossingsOf(robbery, na, published(8, 'above'))).toEqual([]);
    expect(crossingsOf(robbery, published(8, 'above'), na)).toEqual([]);
  });
});
