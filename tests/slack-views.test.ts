// Pure pieces of the Slack app: signature verification at the exact boundaries, escaping,
// Block Kit limits, and routing of the subverbs.
import { describe, expect, it } from 'vitest';
import { answerFor, buildAnswer } from '../src/measures/answer.ts';
import { signatureFor, verifySignature } from '../src/slack/request-guard.ts';
import { askCommand, failureMessage, route, SUBCOMMANDS } from '../src/slack/listeners/commands/index.ts';
import { STORE_UNAVAILABLE_TEXT } from '../src/slack/views/update-messages.ts';
import { StoreError } from '../src/store/errors.ts';
import { answerBlocks, answerFallbackText, type PostedAnswer } from '../src/slack/views/answer-blocks.ts';
import { detailsMessage } from '../src/slack/views/details-blocks.ts';
import { historyMessage } from '../src/slack/views/history-blocks.ts';
import {
  escapeMrkdwn,
  fitBlocks,
  fitLines,
  LIMITS,
  truncateEscaped,
  type Block,
} from '../src/slack/views/block-kit.ts';
import type { ChangeEntry } from '../src/store/schema.ts';
import { findMeasure } from '../src/store/lookup.ts';
import { seedStore } from './helpers/seed.ts';

describe('verifySignature', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = Buffer.from(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  const ts = '1531420618';
  const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  const at = (offsetSeconds: number) => (Number(ts) + offsetSeconds) * 1000;

  it("matches Slack's worked example", () => {
    expect(signatureFor(secret, ts, body)).toBe(signature);
    expect(verifySignature(secret, { timestamp: ts, signature }, body, at(60))).toEqual({ ok: true });
  });

  it('accepts up to five minutes either way and refuses beyond', () => {
    expect(verifySignature(secret, { timestamp: ts, signature }, body, at(300)).ok).toBe(true);
    expect(verifySignature(secret, { timestamp: ts, signature }, body, at(301))).toEqual({
      ok: false,
      reason: 'stale timestamp (more than 5 minutes old)',
    });
    expect(verifySignature(secret, { timestamp: ts, signature }, body, at(-300)).ok).toBe(true);
    expect(verifySignature(secret, { timestamp: ts, signature }, body, at(-301))).toEqual({
      ok: false,
      reason: 'timestamp more than 5 minutes in the future',
    });
  });

  it('refuses a changed body, a wrong secret and malformed headers', () => {
    expect(
      verifySignature(secret, { timestamp: ts, signature }, Buffer.concat([body, Buffer.from('x')]), at(0)).ok,
    ).toBe(false);
    expect(verifySignature('other', { timestamp: ts, signature }, body, at(0)).ok).toBe(false);
    expect(verifySignature(secret, { timestamp: undefined, signature }, body, at(0)).ok).toBe(false);
    expect(verifySignature(secret, { timestamp: 'soon', signature }, body, at(0)).ok).toBe(false);
    expect(verifySignature(secret, { timestamp: ts, signature: 'v1=abc' }, body, at(0)).ok).toBe(false);
  });
});

describe('escaping and fitting text', () => {
  it('escapes the three control characters, & first', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> &amp;')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &amp;amp;');
  });

  it('never cuts an entity in half', () => {
    expect(truncateEscaped('abc &amp; def', 7)).toBe('abc …');
    expect(truncateEscaped('short', 10)).toBe('short');
  });

  it('ends a long list with "…and N more"', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(50)}`);
    const kept = fitLines(lines, 1000);
    expect(kept.join('\n').length).toBeLessThanOrEqual(1000);
    expect(kept.at(-1)).toBe(`…and ${100 - kept.length + 1} more`);
  });
});

describe('action owners', () => {
  // An owner picked with the update form's user select is stored as a mention.
  const withOwner = (owner: string, text = 'Review robbery hotspots') => {
    const store = seedStore();
    const priority = store.priorities.find((p) => p.measures.some((m) => m.id === 'robbery'))!;
    priority.plannedActions.unshift({ ...priority.plannedActions[0]!, text, owner, done: false });
    const answer = buildAnswer(store, 'robbery');
    if (answer.kind !== 'measure') throw new Error('robbery did not resolve to a measure');
    return {
      channel: JSON.stringify(answerBlocks(answer, { chart: { state: 'none' }, report: store.report })),
      details: JSON.stringify(detailsMessage(answer).blocks),
    };
  };

  it('shows an owner picked from the user select as a mention, in the answer and in Details', () => {
    const { channel, details } = withOwner('DI Jones <@U0JANE>');
    expect(channel).toContain('owner: DI Jones <@U0JANE>');
    expect(details).toContain('owner: DI Jones <@U0JANE>');
  });

  it('keeps @channel, links and mentions outside the owner escaped', () => {
    const { channel, details } = withOwner('<!channel> <http://x.test|x>', 'Tell <@U0OTHER> about it');
    for (const shown of [channel, details]) {
      expect(shown).not.toContain('<!channel>');
      expect(shown).not.toContain('<http://x.test');
      expect(shown).not.toContain('<@U0OTHER>');
    }
  });
});

describe('Block Kit limits', () => {
  it('keeps a message with huge store text within every limit', () => {
    const store = seedStore();
    const { measure: robbery, priority } = findMeasure(store, 'robbery')!;
    robbery.title = `Robbery ${'very long title '.repeat(30)}`;
    for (let i = 0; i < 200; i++)
      robbery.comments.push({ text: `comment ${i} ${'y'.repeat(400)}`, by: null, at: null });
    for (let i = 0; i < 100; i++)
      priority.plannedActions.push({
        text: `action ${i} ${'z'.repeat(300)}`,
        done: false,
        owner: null,
        due: null,
        addedBy: 'U1',
        addedAt: '2026-01-01T00:00:00Z',
      });
    const answer = buildAnswer(store, 'robbery');
    expect(answer.kind).toBe('measure');
    const blocks = answerBlocks(answer as Extract<typeof answer, { kind: 'measure' }>, {
      chart: { state: 'none' },
      report: store.report,
    });
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(JSON.stringify(blocks).length).toBeLessThan(LIMITS.totalText);
    for (const b of blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(blocks)).toMatch(/\+10[0-9] more in Details/);
    expect(blocks.at(-1)!.type).toBe('actions');
    const details = detailsMessage(answer as Extract<typeof answer, { kind: 'measure' }>);
    expect(details.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(JSON.stringify(details.blocks).length).toBeLessThan(LIMITS.totalText);
    expect(JSON.stringify(details.blocks)).toMatch(/…and \d+ more/);
  });

  it('drops trailing blocks past 50 and says so, keeping the context line', () => {
    const many: Block[] = Array.from({ length: 80 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `s${i}` },
    }));
    many.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'As of …' }] });
    const fitted = fitBlocks(many);
    expect(fitted.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(fitted.at(-2))).toContain('more parts of this answer did not fit');
    expect(fitted.at(-1)).toEqual(many.at(-1));
  });
});

describe('history view', () => {
  it('escapes values and authors that are not Slack ids, and caps the list', () => {
    const entries: ChangeEntry[] = Array.from({ length: 30 }, (_, i) => ({
      id: `c${i}`,
      messageId: `m${i}`,
      author: i === 0 ? '<!channel>' : 'U0ANALYST',
      at: '2026-11-20T10:00:00Z',
      source: { kind: 'cli' },
      target: { kind: 'measure', id: 'robbery' },
      field: 'comment',
      before: null,
      after: { text: '<!here> look', by: 'U0ANALYST', at: null },
    }));
    const msg = historyMessage(seedStore(), 'Robbery', entries);
    expect(msg.text).not.toContain('<!');
    expect(msg.text).toContain('&lt;!channel&gt;');
    expect(msg.text).toContain('Comment added: &lt;!here&gt; look');
    expect(msg.text).toMatch(/…and \d+ more/);
  });
});

describe('routing /measures', () => {
  it('sends subverbs to their handlers and everything else to the question', () => {
    expect(route('history robbery')).toEqual({ handler: SUBCOMMANDS.history, args: 'robbery' });
    expect(route('  LIST ')).toEqual({ handler: SUBCOMMANDS.list, args: '' });
    expect(route('digest now').handler).toBe(SUBCOMMANDS.digest);
    expect(route('how are we doing on burglary').args).toBe('how are we doing on burglary');
    // Inherited Object properties are not subverbs: "constructor" is a question.
    expect(route('constructor')).toEqual({ handler: askCommand, args: 'constructor' });
    expect(Object.values(SUBCOMMANDS)).not.toContain(route('toString').handler);
  });
});

describe('a /measures command that failed after the ack', () => {
  const store = new StoreError(
    '/srv/measures/store.json: not valid JSON; nothing was saved until the file is fixed',
    '/srv/measures/store.json',
  );

  it('says the store cannot be written, never where it is, whatever the command', () => {
    for (const [handler, text] of [
      [SUBCOMMANDS.digest!, 'digest now'],
      [SUBCOMMANDS.list!, 'list'],
      [askCommand, 'robbery'],
    ] as const) {
      const msg = failureMessage(store, handler, text);
      expect(msg.text).toBe(STORE_UNAVAILABLE_TEXT);
      expect(JSON.stringify(msg)).not.toContain('/srv/');
    }
  });

  it(
    'apologises for the command itself, not for an answer it never posts, ' + 'and keeps internal details for the log',
    () => {
      const msg = failureMessage(new Error('ENOENT /srv/measures/x'), SUBCOMMANDS.history!, 'history <!channel>');
      expect(msg.text).toBe(
        ':warning: Sorry, `/measures history` did not work (an internal error; the details are in the bot’s log). ' +
          'Please try again in a minute.',
      );
      expect(failureMessage(new Error('x'), askCommand, 'robbery').text).toContain(
        'couldn’t post the answer in the channel',
      );
    },
  );
});

describe('answer cache', () => {
  it('reuses an answer for the same snapshot, question and day only', async () => {
    const { cachedAnswer } = await import('../src/measures/answer.ts');
    const store = seedStore();
    const day = new Date('2026-11-25T10:00:00Z');
    const first = cachedAnswer(store, 'robbery', day);
    expect(cachedAnswer(store, 'robbery', new Date('2026-11-25T23:59:00Z'))).toBe(first);
    expect(cachedAnswer(store, 'robbery', new Date('2026-11-26T00:00:00Z'))).not.toBe(first);
    expect(cachedAnswer(store, 'burglary', day)).not.toBe(first);
    const changed = structuredClone(store);
    expect(cachedAnswer(changed, 'robbery', day)).not.toBe(first);
    expect(cachedAnswer(changed, 'robbery', day)).toEqual(first);
  });
});

describe('computed figures and the ONS comparator in a measure answer', () => {
  const store = seedStore();
  const answerTo = (query: string) => {
    const answer = buildAnswer(store, query);
    if (answer.kind !== 'measure') throw new Error(`${query} did not resolve to a measure`);
    return answer;
  };
  const blocksFor = (query: string) =>
    JSON.stringify(answerBlocks(answerTo(query), { chart: { state: 'none' }, report: store.report }));
  const detailsFor = (query: string) => JSON.stringify(detailsMessage(answerTo(query)).blocks);

  it('shows the computed MSG position beside the published one in Details when they differ', () => {
    // police.uk Jan–Nov 2021 ranks burglary 7th of 8; the report published 6th.
    expect(detailsFor('burglary')).toContain(
      'published 6th of 8, similar to the MSG average; police.uk Jan–Nov 2021 gives 7th of 8',
    );
  });

  it('flags a computed trend in the channel only when it differs from the published label', () => {
    expect(blocksFor('robbery')).toContain('Since the report, the monthly figures show a large increase');
    expect(blocksFor('vehicle crime')).not.toContain('Since the report');
    expect(detailsFor('robbery')).toMatch(
      /Computed from the series\* \(12 periods, Jan 2021 to Dec 2021\): Large increase/,
    );
  });

  it('offers England and Wales from the ONS tables in Details', () => {
    expect(detailsFor('burglary')).toMatch(
      /\*ONS:\* police recorded Burglary, year ending Dec 2019: 5\.41 per 1,000 residents; MSG average 5\.25; England and Wales \(excluding Greater Manchester Police\) 6\.51/,
    );
  });
});

/** What a reader sees: header, section and context text (alt text and button labels not counted). */
function visibleText(blocks: Block[]): string {
  return blocks
    .flatMap((b) => {
      if (b.type === 'header') return [b.text.text];
      if (b.type === 'section') return [b.text?.text ?? ''];
      if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : ''));
      return [];
    })
    .join('\n');
}

describe('the answer in the channel, for every measure and priority in the bundled report', () => {
  const store = seedStore();
  const shown = { state: 'shown', fileId: 'F0CHART', altText: 'Line chart '.repeat(150), title: 'Chart' } as const;
  const answers = [
    ...store.priorities.flatMap((p) => p.measures.map((m) => answerFor(store, { kind: 'measure', id: m.id }))),
    ...store.priorities.map((p) => answerFor(store, { kind: 'priority', id: p.id })),
  ] as PostedAnswer[];

  it.each(answers.map((a) => [a.kind, a.kind === 'measure' ? a.measure.id : a.priority.id, a] as const))(
    '%s %s: at most 900 visible characters and 10 blocks, the chart right under the headline',
    (_kind, _id, answer) => {
      const blocks = answerBlocks(answer, { chart: shown, report: store.report, askedBy: 'U0ASKER' });
      expect(visibleText(blocks).length).toBeLessThanOrEqual(900);
      expect(blocks.length).toBeLessThanOrEqual(10);
      expect(blocks[0]!.type).toBe('header');
      expect(blocks[2]!.type).toBe('image');
      // Alt text stays complete.
      expect(blocks[2]).toMatchObject({ alt_text: shown.altText });
      const actions = blocks.at(-1) as { type: string; elements: Array<{ type: string; text?: { text: string } }> };
      const buttons = actions.elements.filter((e) => e.type === 'button');
      expect(buttons.map((e) => e.text!.text)).toEqual(['Details', 'History', 'Update', 'Follow']);
      // A priority answer opens one of its measures from a select.
      expect(actions.elements.some((e) => e.type === 'static_select')).toBe(answer.kind === 'priority');
      expect(visibleText(blocks)).toContain('Asked by <@U0ASKER>');
    },
  );

  it('gives the title and the headline as the fallback text', () => {
    const robbery = answers.find((a) => a.kind === 'measure' && a.measure.id === 'robbery')!;
    expect(answerFallbackText(robbery)).toBe(
      'Police recorded robbery offences\nStable · 8th of 8 in MSG (highest rate) · Dec 21: 125 crimes, −1% on Nov 21',
    );
  });
});
