// The update language as an analyst types it: every keyword, the closed trend list, the
// priority and digest forms, Slack's entities, and refusals that name the line and why.
import { describe, expect, it } from 'vitest';
import {
  isUpdateMessage,
  parseUpdate,
  TREND_LABELS,
  type ParsedUpdate,
  type UpdateOp,
} from '../src/measures/update/index.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const NOW = new Date('2026-11-25T12:00:00Z');
const robbery = { kind: 'measure', id: 'robbery' } as const;
const neighbourhood = { kind: 'priority', id: 'reduce-neighbourhood-crime' } as const;

function ops(text: string, target: Parameters<typeof parseUpdate>[1] = robbery): UpdateOp[] {
  const parsed = parseUpdate(text, target, store, NOW);
  if (!parsed.ok) throw new Error(`refused: line ${parsed.refusal.line}: ${parsed.refusal.reason}`);
  if (parsed.undo) throw new Error('parsed as undo');
  return parsed.ops;
}

function refusal(text: string, target: Parameters<typeof parseUpdate>[1] = robbery) {
  const parsed: ParsedUpdate = parseUpdate(text, target, store, NOW);
  if (parsed.ok) throw new Error(`expected a refusal for ${JSON.stringify(text)}`);
  return parsed.refusal;
}

describe('trend', () => {
  it.each(TREND_LABELS.map((l) => [l]))('accepts "%s" in any case and stores the canonical casing', (label) => {
    expect(ops(`trend: ${label.toUpperCase()}`)).toMatchObject([{ kind: 'trend', measureId: 'robbery', label }]);
    expect(ops(`Trend:   ${label.toLowerCase().replace(' ', '   ')}`)).toMatchObject([{ label }]);
  });

  it('keeps a bracketed qualifier as typed', () => {
    expect(ops('trend: stable (100%)')).toMatchObject([{ label: 'Stable (100%)' }]);
    expect(ops('trend: Moderate Reduction (-12% on last year)')).toMatchObject([
      { label: 'Moderate reduction (-12% on last year)' },
    ]);
  });

  it('refuses any other label and lists the valid ones', () => {
    const r = refusal('trend: Great');
    expect(r).toMatchObject({ line: 1, text: 'trend: Great' });
    expect(r.reason).toContain('"Great" is not a trend label');
    for (const label of TREND_LABELS) expect(r.reason).toContain(label);
    expect(refusal('trend: Stable-ish').reason).toContain('not a trend label');
    expect(refusal('trend:').reason).toContain('not a trend label');
  });

  it('refuses the keyword without its colon, saying what was expected', () => {
    expect(refusal('trend Stable').reason).toBe('expected "trend: <label>"');
  });
});

describe('msg', () => {
  it('reads rank, group size and relation', () => {
    expect(ops('msg: 3/8 below')).toMatchObject([{ kind: 'msg', position: { rank: 3, of: 8, relation: 'below' } }]);
    expect(ops('MSG: 8th of 8 above the MSG average')).toMatchObject([
      { position: { rank: 8, of: 8, relation: 'above' } },
    ]);
    expect(ops('msg: 5/8 similar')).toMatchObject([{ position: { rank: 5, of: 8, relation: 'similar' } }]);
  });

  it('reads "not available"', () => {
    expect(ops('msg: Not Available')).toMatchObject([{ kind: 'msg', position: null }]);
  });

  it('refuses impossible positions and other words', () => {
    expect(refusal('msg: 9/8 above').reason).toBe('rank 9 is not between 1 and 8');
    expect(refusal('msg: 0/8 above').reason).toContain('not between 1 and 8');
    expect(refusal('msg: 3/12 above').reason).toContain('has 8 forces, not 12');
    expect(refusal('msg: 3/8 better').reason).toContain('is not an MSG position');
  });

  it('reads the forms analysts copy from the report and from each other', () => {
    expect(ops('msg: 7th/8 MSG (higher than MSG average rates)')).toMatchObject([
      { kind: 'msg', position: { rank: 7, of: 8, relation: 'above' } },
    ]);
    expect(ops('msg: 7th of 8, above average')).toMatchObject([{ position: { rank: 7, of: 8, relation: 'above' } }]);
    expect(ops('msg: 7/8 higher')).toMatchObject([{ position: { rank: 7, of: 8, relation: 'above' } }]);
    expect(ops('msg: 2nd out of 8, lower than the MSG average')).toMatchObject([
      { position: { rank: 2, of: 8, relation: 'below' } },
    ]);
  });

  it.each(seedStore().priorities.flatMap((p) => p.measures.map((m) => [m.id, m.benchmark.text, m.benchmark] as const)))(
    'reads %s\'s benchmark text from the report, "%s", as the position it states',
    (id, text, benchmark) => {
      const expected =
        benchmark.status === 'published'
          ? { rank: benchmark.rank, of: benchmark.of, relation: benchmark.relation }
          : null;
      expect(ops(`msg: ${text}`, { kind: 'measure', id })).toEqual([
        { line: { number: 1, text: `msg: ${text}` }, kind: 'msg', measureId: id, position: expected },
      ]);
    },
  );

  it('reads a rank alone as a new rank, keeping the group size and relation', () => {
    expect(ops('msg: 7th')).toEqual([
      { line: { number: 1, text: 'msg: 7th' }, kind: 'msg-rank', measureId: 'robbery', rank: 7 },
    ]);
    expect(ops('msg: 7th of 8')).toMatchObject([{ kind: 'msg-rank', rank: 7 }]);
    expect(ops('msg: 7')).toMatchObject([{ kind: 'msg-rank', rank: 7 }]);
    expect(refusal('msg: 9th').reason).toBe('rank 9 is not between 1 and 8');
    expect(refusal('msg: 7th of 7').reason).toBe('the most similar group has 8 forces, not 7');
  });

  it('refuses a rank alone when there is no published position to keep the relation from', () => {
    const r = refusal('msg: 7th', { kind: 'measure', id: 'cyber-crime-investigated' });
    expect(r.reason).toBe(
      'Investigate 100% of all cyber dependant crime disseminated to forces has no published MSG position to keep ' +
        'the group size and relation from; write the whole position, e.g. "7/8 above"',
    );
  });

  it('refuses what it still cannot read, listing the forms it can', () => {
    for (const text of ['msg: above average', 'msg: 7th/8 better', 'msg: seventh', 'msg: 7th/8 MSG (better)']) {
      const r = refusal(text);
      expect(r.reason).toContain('is not an MSG position');
      for (const form of [
        '7th/8 MSG (higher than MSG average rates)',
        '7/8 above|below|similar',
        '7th of 8, above average',
        '"7th"',
        'not available',
      ])
        expect(r.reason).toContain(form);
    }
  });
});

describe('value and peer', () => {
  it('reads a month and a number in the measure unit', () => {
    expect(ops('value 2021-11: 0.45')).toMatchObject([
      { kind: 'value', measureId: 'robbery', period: '2021-11', value: 0.45 },
    ]);
    expect(ops('value 2021-10: 1,234.5')).toMatchObject([{ value: 1234.5 }]);
    expect(ops('value 2021-10: 87%')).toMatchObject([{ value: 87 }]);
  });

  it('finds the peer force by name, short name or police.uk slug', () => {
    expect(ops('peer Kent 2021-11: 0.3')).toMatchObject([
      { kind: 'peer', force: 'kent', period: '2021-11', value: 0.3 },
    ]);
    expect(ops('peer hertfordshire 2021-11: 0.2')).toMatchObject([{ force: 'hertfordshire' }]);
    expect(ops('peer Sussex Police 2021-11: 0.2')).toMatchObject([{ force: 'sussex' }]);
  });

  it('refuses bad months, numbers and forces', () => {
    expect(refusal('value 2021-13: 1').reason).toContain('"2021-13" is not a month');
    expect(refusal('value Nov 2021: 1').reason).toContain('is not a month');
    expect(refusal('value 2027-01: 1').reason).toBe('2027-01 is in the future');
    expect(refusal('value 2021-11: lots').reason).toBe('"lots" is not a number');
    const r = refusal('peer Devon 2021-11: 0.3');
    expect(r.reason).toContain('"Devon" is not a force in the most similar group');
    expect(r.reason).toContain('Kent');
    expect(refusal('peer avon-and-somerset 2021-11: 0.3').reason).toContain('is this force');
  });
});

describe('action, action done and comment', () => {
  it('reads owner and due in either order, brackets optional', () => {
    expect(ops('action: Weekly hotspot patrols owner: Insp Jones due: 2026-12-31')).toMatchObject([
      {
        kind: 'action',
        priorityId: 'reduce-neighbourhood-crime',
        text: 'Weekly hotspot patrols',
        owner: 'Insp Jones',
        due: '2026-12-31',
      },
    ]);
    expect(ops('action: Review [due: 2027-01-15] [owner: DS Patel]')).toMatchObject([
      { text: 'Review', owner: 'DS Patel', due: '2027-01-15' },
    ]);
    expect(ops('action: Just the text')).toMatchObject([{ text: 'Just the text', owner: null, due: null }]);
  });

  it('refuses an impossible due date or an empty action', () => {
    expect(refusal('action: Review due: 2026-02-30').reason).toContain('"2026-02-30" is not a date');
    expect(refusal('action: owner: Someone').reason).toBe('the action has no text');
  });

  it('reads the action number to complete', () => {
    expect(ops('action done: 2')).toMatchObject([
      { kind: 'action-done', priorityId: 'reduce-neighbourhood-crime', n: 2 },
    ]);
    expect(refusal('action done: second').reason).toContain('is not an action number');
  });

  it('appends comments to the measure', () => {
    expect(ops('comment: Rise driven by two series of offences')).toMatchObject([
      { kind: 'comment', on: { kind: 'measure', id: 'robbery' }, text: 'Rise driven by two series of offences' },
    ]);
    expect(refusal('comment:   ').reason).toBe('the comment is empty');
  });
});

describe('a message', () => {
  it('numbers lines as written, blank lines included', () => {
    const r = refusal('trend: Stable\n\nmsg: 3/8 below\ncomment: ok\nvalue 2021-11: x');
    expect(r).toMatchObject({ line: 5, text: 'value 2021-11: x', reason: '"x" is not a number' });
  });

  it('refuses a line that is not an update line, even after good ones', () => {
    const r = refusal('trend: Stable\nthanks all');
    expect(r).toMatchObject({ line: 2, text: 'thanks all' });
    expect(r.reason).toContain('not an update line');
  });

  it('takes undo only on its own', () => {
    expect(parseUpdate('undo', robbery, store, NOW)).toMatchObject({
      ok: true,
      undo: true,
      line: { number: 1, text: 'undo' },
    });
    expect(refusal('undo\ntrend: Stable').reason).toBe('undo must be the only line of its message');
  });

  it('decodes Slack entities before parsing and keeps the decoded text', () => {
    expect(ops('comment: Burglary &amp; robbery &lt;up&gt;')).toMatchObject([{ text: 'Burglary & robbery <up>' }]);
    expect(ops('action: Joint ops with BTP &amp; partners')).toMatchObject([{ text: 'Joint ops with BTP & partners' }]);
    expect(ops('comment: literal &amp;lt; stays')).toMatchObject([{ text: 'literal &lt; stays' }]);
  });
});

describe('priority form', () => {
  it("resolves each line's measure among the priority's measures", () => {
    expect(
      ops(
        'robbery trend: Moderate increase\nBurglary msg: 4/8 similar\nvehicle crime value 2021-11: 0.5',
        neighbourhood,
      ),
    ).toMatchObject([
      { kind: 'trend', measureId: 'robbery', label: 'Moderate increase' },
      { kind: 'msg', measureId: 'burglary' },
      { kind: 'value', measureId: 'vehicle-crime' },
    ]);
  });

  it('handles a measure whose name contains a keyword', () => {
    const cyber = { kind: 'priority', id: 'tackle-cyber-crime' } as const;
    expect(ops('action fraud offences trend: Small increase', cyber)).toMatchObject([
      { kind: 'trend', measureId: 'action-fraud-offences' },
    ]);
  });

  it('refuses a measure from another priority, naming the ones it could be', () => {
    const r = refusal('robbery trend: Stable\nhomicide trend: Stable', neighbourhood);
    expect(r.line).toBe(2);
    expect(r.reason).toContain(`"homicide" is not one of this priority's measures`);
    expect(r.reason).toContain('Police recorded robbery offences');
  });

  it('asks for the measure when a line about figures has none, and puts actions and comments on the priority', () => {
    expect(refusal('trend: Stable', neighbourhood).reason).toContain('name the measure first');
    expect(ops('action: Street briefings\ncomment: Good quarter', neighbourhood)).toMatchObject([
      { kind: 'action', priorityId: 'reduce-neighbourhood-crime' },
      { kind: 'comment', on: { kind: 'priority', id: 'reduce-neighbourhood-crime' } },
    ]);
  });

  it('uses the only measure of a single-measure priority', () => {
    expect(ops('trend: Small increase', { kind: 'priority', id: 'reduce-murder-and-other-homicide' })).toMatchObject([
      { measureId: 'homicide' },
    ]);
  });

  it('digest threads name any measure', () => {
    expect(ops('robbery trend: Stable\nhomicide msg: 2/8 below', { kind: 'digest' })).toMatchObject([
      { measureId: 'robbery' },
      { measureId: 'homicide' },
    ]);
  });

  it('a digest line never goes to a measure named by a weak match', () => {
    expect(refusal('homes trend: Stable', { kind: 'digest' })).toMatchObject({
      line: 1,
      reason: expect.stringMatching(/^"homes" could be .*burglary.*; name the measure more fully$/i),
    });
  });
});

describe('isUpdateMessage', () => {
  it('is true when the first non-empty line starts with a keyword', () => {
    expect(isUpdateMessage('\n  trend: Stable')).toBe(true);
    expect(isUpdateMessage('Action done: 2')).toBe(true);
    expect(isUpdateMessage('undo')).toBe(true);
    expect(isUpdateMessage('trend Stable')).toBe(true); // then refused, with the syntax
  });

  it('leaves plain conversation alone', () => {
    expect(isUpdateMessage('Thanks, that helps')).toBe(false);
    expect(isUpdateMessage('the trend: looks stable')).toBe(false);
    expect(isUpdateMessage('trending up?')).toBe(false);
    expect(isUpdateMessage('')).toBe(false);
    expect(isUpdateMessage('robbery trend: Stable')).toBe(false);
  });

  it('accepts named lines under a priority answer or a digest', () => {
    expect(isUpdateMessage('robbery trend: Stable', 'priority')).toBe(true);
    expect(isUpdateMessage('robbery trend: Stable', 'digest')).toBe(true);
    expect(isUpdateMessage('robbery trend is worrying', 'priority')).toBe(false);
  });
});

describe('limits an analyst never reaches', () => {
  const measureTarget = (id: string) => ({ kind: 'measure', id }) as const;
  const digits = (n: number) => `1${'0'.repeat(n - 1)}`;

  it('refuses months and due dates before 2000 as typos', () => {
    expect(refusal('value 0201-10: 5')).toMatchObject({
      line: 1,
      text: 'value 0201-10: 5',
      reason: expect.stringContaining('0201-10 is before 2000'),
    });
    expect(refusal('trend: Stable\npeer Kent 1999-12: 0.3').line).toBe(2);
    expect(refusal('action: Review due: 0201-12-31').reason).toContain('before 2000');
    expect(ops('value 2000-01: 0.1')).toMatchObject([{ period: '2000-01' }]);
  });

  it('refuses numbers that overflow or that no measure comes near, saying the limit', () => {
    for (const text of [
      `value 2021-10: ${'9'.repeat(309)}`,
      `value 2021-10: ${digits(300)}`,
      'value 2021-10: 1,000,000,001',
      'peer Kent 2021-10: 2000000000',
    ]) {
      const r = refusal(text);
      expect(r).toMatchObject({ line: 1, text });
      expect(r.reason).toMatch(/is out of range: .* from 0 to 1,000,000,000$/);
      // The refusal quotes the start of a long number, not all of it.
      expect(r.reason.length).toBeLessThan(200);
    }
    expect(ops('value 2021-10: 1,000,000,000')).toMatchObject([{ value: 1e9 }]);
  });

  it('refuses negative counts, rates and percentages, and percentages over 100', () => {
    expect(refusal('value 2021-10: -0.05').reason).toContain('is a rate (offences per 1,000 residents), from 0 to');
    expect(refusal('value 2021-10: -3', measureTarget('rape-charges')).reason).toContain(
      'is a count (charges), from 0 to',
    );
    expect(refusal('value 2021-10: -1%', measureTarget('overall-victim-satisfaction')).reason).toContain(
      'is a percentage (% of victims satisfied), from 0 to 100',
    );
    expect(refusal('value 2021-10: 100.5%', measureTarget('overall-victim-satisfaction')).reason).toContain(
      'from 0 to 100',
    );
    expect(ops('value 2021-10: 100%', measureTarget('overall-victim-satisfaction'))).toMatchObject([{ value: 100 }]);
    expect(ops('value 2021-10: 0', measureTarget('rape-charges'))).toMatchObject([{ value: 0 }]);
  });

  it('refuses a count that is not a whole number', () => {
    expect(refusal('value 2021-10: 12.5', measureTarget('rape-charges')).reason).toBe(
      '"12.5" is not a whole number: Charge volumes for Rape offences is a count (charges)',
    );
  });

  it("follows the measure's unit kind, not its wording: an 'other' measure may go below zero", () => {
    const other = seedStore();
    other.priorities.flatMap((p) => p.measures).find((m) => m.id === 'robbery')!.unitKind = 'other';
    const parsed = parseUpdate('value 2021-10: -5\npeer Kent 2021-10: -1,000,000,000', robbery, other, NOW);
    expect(parsed).toMatchObject({ ok: true, ops: [{ value: -5 }, { value: -1e9 }] });
    expect(parseUpdate('value 2021-10: -1,000,000,001', robbery, other, NOW)).toMatchObject({
      ok: false,
      refusal: { reason: expect.stringContaining('from -1,000,000,000 to 1,000,000,000') },
    });
  });

  it("refuses an MSG group size other than the store's", () => {
    expect(refusal('msg: 3/7 below')).toMatchObject({ line: 1, reason: 'the most similar group has 8 forces, not 7' });
    expect(refusal('msg: 1/1 above').reason).toBe('the most similar group has 8 forces, not 1');
    expect(refusal('msg: 1st of 1 above the MSG average').reason).toBe('the most similar group has 8 forces, not 1');
  });

  it('refuses a trend label over 80 characters, a comment or action over 2,000 and an owner over 200', () => {
    const label = (n: number) => `Stable (${'x'.repeat(n - 'Stable ()'.length)})`;
    expect(ops(`trend: ${label(80)}`)).toMatchObject([{ label: label(80) }]);
    expect(refusal(`trend: ${label(81)}`).reason).toBe('the trend label has 81 characters, more than the 80 allowed');
    expect(refusal(`trend: ${label(5000)}`).reason).toContain('a trend label 80');
    expect(ops(`comment: ${'c'.repeat(2000)}`)).toHaveLength(1);
    expect(refusal(`comment: ${'c'.repeat(2001)}`).reason).toBe(
      'the comment has 2,001 characters, more than the 2,000 allowed; write it as several comment lines',
    );
    // Characters as a reader counts them: 2,000 emoji are 2,000 characters.
    expect(ops(`comment: ${'👍'.repeat(2000)}`)).toHaveLength(1);
    expect(refusal(`action: ${'a'.repeat(2001)}`).reason).toBe(
      "the action's text has 2,001 characters, more than the 2,000 allowed",
    );
    expect(refusal(`action: Review owner: ${'o'.repeat(201)}`).reason).toBe(
      'the owner has 201 characters, more than the 200 allowed',
    );
  });

  it('refuses a line over 2,500 characters, naming it', () => {
    const r = refusal(`trend: Stable\ncomment: ${'c'.repeat(3000)}`);
    expect(r.line).toBe(2);
    expect(r.reason).toBe(
      "the line has 3,009 characters, more than the 2,500 allowed (a comment or an action's text may have 2,000, " +
        'a trend label 80)',
    );
  });

  it('refuses an update of more than 200 lines as a whole', () => {
    expect(ops(Array(200).fill('comment: ok').join('\n'))).toHaveLength(200);
    expect(refusal(Array(201).fill('comment: ok').join('\n'))).toEqual({
      line: 0,
      text: '',
      reason: 'the update has 201 lines, more than the 200 allowed; send the rest as another message',
    });
  });

  it('refuses control characters, which a terminal would replay to the next reader, naming the line', () => {
    expect(refusal('trend: Stable\ncomment: fine \u001b[2J gone')).toEqual({
      line: 2,
      text: 'comment: fine \u001b[2J gone',
      reason: 'the line holds a control character (U+001B) at character 15; type the line again without it',
    });
    expect(refusal('comment: over\rwritten').reason).toContain('(U+000D)');
    expect(refusal('comment: c1 \u009b31m').reason).toContain('(U+009B)');
    expect(ops('comment: a tab\tis fine')).toHaveLength(1);
  });

  it('answers at once for a line built to make patterns backtrack', () => {
    const started = performance.now();
    expect(refusal(`peer ${' '.repeat(2400)}x`).reason).toBe('expected "peer <force> <YYYY-MM>: <number>"');
    expect(refusal(`value a${' '.repeat(2400)}b`).reason).toBe('expected "value <YYYY-MM>: <number>"');
    expect(refusal(`action: x${' '.repeat(2400)}y`).line).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
