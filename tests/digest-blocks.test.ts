// The digest's Block Kit: limits with many changes, escaping, preview and pacing-free splitting.
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../src/digest/build.ts';
import { digestMessages } from '../src/slack/digest/blocks.ts';
import type { SlackMessage } from '../src/slack/views/block-kit.ts';
import { MemoryStore, update } from './helpers/digest-support.ts';

const window = {
  since: new Date('2026-11-16T09:00:00Z'),
  until: new Date('2026-11-23T09:00:00Z'),
  zone: 'Europe/London',
};

function checkLimits(m: SlackMessage, reserve = 0): void {
  expect(m.blocks.length + reserve).toBeLessThanOrEqual(50);
  expect(JSON.stringify(m.blocks).length).toBeLessThan(12_000);
  for (const b of m.blocks as Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>) {
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(10);
  }
}

async function storeWithComments(n: number, length = 60): Promise<MemoryStore> {
  const store = new MemoryStore();
  const ids = store.snapshot().priorities.flatMap((p) => p.measures.map((m) => m.id));
  for (let i = 0; i < n; i++) {
    const text = `Note ${i + 1} ${'x'.repeat(length)}`;
    await update(
      store,
      ids[i % ids.length]!,
      `comment: ${text}`,
      new Date(Date.parse('2026-11-17T00:00:00Z') + i * 60_000).toISOString(),
      `U0A${i % 7}`,
    );
  }
  return store;
}

describe('digest blocks', () => {
  it('splits 300 long changes into thread messages that each fit, losing none', async () => {
    const store = await storeWithComments(300, 250);
    const d = buildDigest(store.snapshot(), window);
    const { main, thread } = digestMessages(d);
    checkLimits(main, 1);
    expect(thread.length).toBeGreaterThan(3);
    thread.forEach((m) => checkLimits(m));
    const all = thread.map((m) => JSON.stringify(m.blocks)).join('');
    for (let i = 1; i <= 300; i++) expect(all).toContain(`Note ${i} x`);
  });

  it('fits a preview of a long digest in one message, without a thread', async () => {
    const store = await storeWithComments(120);
    const d = buildDigest(store.snapshot(), window);
    const { main, thread } = digestMessages(d, { preview: true });
    checkLimits(main);
    expect(thread).toEqual([]);
    expect(JSON.stringify(main.blocks)).toContain('the posted digest lists all 120 changes in its thread');
  });

  it('keeps a short digest in one message', async () => {
    const store = await storeWithComments(5);
    const { main, thread } = digestMessages(buildDigest(store.snapshot(), window));
    expect(thread).toEqual([]);
    checkLimits(main, 1);
    expect(JSON.stringify(main.blocks)).toContain('Note 5 x');
  });

  it("names all of a measure's movements on its headline line, within the limits, for long titles too", async () => {
    const seeded = new MemoryStore().snapshot();
    // Titles far longer than any real one, with characters that must be escaped.
    for (const m of seeded.priorities.flatMap((p) => p.measures)) m.title = `${m.title} <&> ${'t'.repeat(180)}`;
    const store = new MemoryStore(seeded);
    const ids = seeded.priorities.flatMap((p) => p.measures.map((m) => m.id));
    for (const [i, id] of ids.entries())
      await update(
        store,
        id,
        'trend: Large increase\nmsg: 1/8 below',
        `2026-11-17T10:${String(i).padStart(2, '0')}:00Z`,
      );
    const d = buildDigest(store.snapshot(), window);
    const { main } = digestMessages(d);
    checkLimits(main, 1);
    const headline = (main.blocks as Array<{ text?: { text: string } }>).find((b) =>
      b.text?.text.startsWith('*Headline*'),
    )!.text!.text;
    const lines = headline.split('\n').slice(1);
    expect(lines).toHaveLength(5);
    // Measures whose published MSG position moved show it beside their trend, escaped.
    const robbery = lines.find((l) => l.startsWith('• Police recorded robbery offences &lt;&amp;&gt;'));
    expect(robbery).toMatch(/: MSG position 8th → 1st of 8 \(better\); trend Stable → Large increase \(worse\)$/);
  });

  it('escapes text from analysts: a stored <!channel> never becomes a mention', async () => {
    const store = new MemoryStore();
    await update(store, 'robbery', 'comment: <!channel> & <https://evil.example|click>', '2026-11-17T10:00:00Z', 'U0A');
    const { main } = digestMessages(buildDigest(store.snapshot(), window));
    const json = JSON.stringify(main);
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(json).not.toContain('<!channel>');
  });
});
