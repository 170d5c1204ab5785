import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../src/slack/bounded-map.ts';

describe('BoundedMap', () => {
  it('forgets the least recently set entries beyond its size', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c'].entries()) map.set(k, i);
    map.set('a', 10); // touched again: now the newest
    map.set('d', 3);
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('a')).toBe(10);
    for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
    expect(map.size).toBe(3);
  });
});
