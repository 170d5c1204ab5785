import { describe, expect, it } from 'vitest';
import { messageMemory } from '../src/slack/message-redraws.ts';

describe('per-message memory', () => {
  it('forgets the least recently set entries beyond its size', () => {
    const map = messageMemory<number>(3);
    for (const [i, k] of ['a', 'b', 'c'].entries()) map.set(k, i);
    map.set('a', 10); // touched again: now the newest
    map.set('d', 3);
    // Oldest first (rkeys; lru-cache's keys() lists the newest first).
    expect([...map.rkeys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('a')).toBe(10);
    for (let i = 0; i < 1000; i++) map.set(`k${i}`, i);
    expect(map.size).toBe(3);
  });
});
