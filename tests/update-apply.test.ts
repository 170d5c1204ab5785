// applyUpdate against a real store file: what an analyst sees change, all or nothing,
// undo, dedupe of retried Slack messages, and what the change log records.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type MeasuresStore } from '../src/store/index.ts';
import { changeEntrySchema, type Store } from '../src/store/schema.ts';
import { applyUpdate, type UpdateRequest, type UpdateResult } from '../src/measures/update/index.ts';
import { tempStoreFile } from './helpers/store-temp.ts';

const opened: MeasuresStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function freshStore(mutate?: (s: Store) => void) {
  const file = tempStoreFile(mutate);
  const store = await openStore(file, { notice: () => undefined });
  opened.push(store);
  return { file, store };
}

let counter = 0;
function request(text: string, over: Partial<UpdateRequest> = {}): UpdateRequest {
  counter += 1;
  return {
    target: { kind: 'measure', id: 'robbery' },
    text,
    author: 'U0ANALYST1',
    source: { kind: 'thread', channel: 'C0PERF', ts: `1764070000.${String(counter).padStart(6, '0')}` },
    messageId: `slack:C0PERF:1764070000.${String(counter).padStart(6, '0')}`,
    now: new Date('2026-11-25T10:15:00Z'),
    ...over,
  };
}

const measure = (s: Store, id: string) => s.priorities.flatMap((p) => p.measures).find((m) => m.id === id)!;
const priority = (s: Store, id: string) => s.priorities.find((p) => p.id === id)!;
const onDisk = (file: string): Store => JSON.parse(fs.readFileSync(file, 'utf8'));

function applied(result: UpdateResult) {
  if (result.status !== 'applied') throw new Error(`expected applied, got ${JSON.stringify(result)}`);
  return result;
}

describe('applying an update', () => {
  it('changes the trend on disk, dated the day of the update, and says what changed', async () => {
    const { file, store } = await freshStore();
    const result = applied(await applyUpdate(store, request('trend: moderate reduction')));
    expect(result.summary).toEqual(['Trend: Stable → Moderate reduction']);
    expect(measure(onDisk(file), 'robbery').trend).toEqual({ label: 'Moderate reduction', asOf: '2026-11-25' });
    expect(measure(store.snapshot(), 'robbery').trend.label).toBe('Moderate reduction');
  });

  it('applies every keyword of a multi-line message', async () => {
    const { file, store } = await freshStore();
    const actionsBefore = priority(store.snapshot(), 'reduce-neighbourhood-crime').plannedActions.length;
    const result = applied(
      await applyUpdate(
        store,
        request(
          [
            'trend: Stable (100%)',
            'msg: 7/8 above',
            'value 2021-11: 0.081',
            'peer Kent 2021-11: 0.07',
            'action: Robbery problem-solving plan owner: Insp Cole due: 2027-01-31',
            'action done: 1',
            'comment: Rise linked to a small number of offenders',
          ].join('\n'),
        ),
      ),
    );
    expect(result.summary).toHaveLength(7);
    const s = onDisk(file);
    const robbery = measure(s, 'robbery');
    expect(robbery.trend.label).toBe('Stable (100%)');
    expect(robbery.benchmark).toMatchObject({
      status: 'published',
      rank: 7,
      of: 8,
      relation: 'above',
      asOf: '2026-11-25',
    });
    const point = robbery.series!.points.find((p) => p.period === '2021-11')!;
    expect(point.value).toBe(0.081);
    expect(point.source).toBe('analyst update by U0ANALYST1');
    expect(point.peers?.kent?.value).toBe(0.07);
    const actions = priority(s, 'reduce-neighbourhood-crime').plannedActions;
    expect(actions).toHaveLength(actionsBefore + 1);
    expect(actions.at(-1)).toMatchObject({
      text: 'Robbery problem-solving plan',
      owner: 'Insp Cole',
      due: '2027-01-31',
      done: false,
      addedBy: 'U0ANALYST1',
    });
    expect(actions[0]).toMatchObject({ done: true, doneBy: 'U0ANALYST1' });
    expect(robbery.comments.at(-1)).toMatchObject({
      text: 'Rise linked to a small number of offenders',
      by: 'U0ANALYST1',
    });
  });

  it('creates a series for a measure that has none', async () => {
    const { file, store } = await freshStore((s) => {
      measure(s, 'drugs-disruptions').series = null;
    });
    applied(
      await applyUpdate(
        store,
        request('value 2021-10: 120\nvalue 2021-11: 135', { target: { kind: 'measure', id: 'drugs-disruptions' } }),
      ),
    );
    const series = measure(onDisk(file), 'drugs-disruptions').series!;
    expect(series.points.map((p) => [p.period, p.value])).toEqual([
      ['2021-10', 120],
      ['2021-11', 135],
    ]);
    expect(series.official).toBe(true);
  });

  it('stores the text an analyst typed, not the entities Slack sent', async () => {
    const { file, store } = await freshStore();
    const result = applied(await applyUpdate(store, request('comment: Burglary &amp; robbery &lt;both&gt; up')));
    expect(measure(onDisk(file), 'robbery').comments.at(-1)!.text).toBe('Burglary & robbery <both> up');
    expect(result.summary).toEqual(['Comment added: Burglary & robbery <both> up']);
  });

  it('names the measure on each line of a priority-thread update', async () => {
    const { store } = await freshStore();
    const result = applied(
      await applyUpdate(
        store,
        request('robbery trend: Small increase\nburglary trend: Stable', {
          target: { kind: 'priority', id: 'reduce-neighbourhood-crime' },
        }),
      ),
    );
    expect(result.summary).toEqual([
      'Police recorded robbery offences: Trend: Stable → Small increase',
      'Police recorded burglary offences: Trend: Moderate Reduction → Stable',
    ]);
  });
});

describe('msg: a rank alone', () => {
  it('keeps the group size and relation, and the confirmation says what it kept', async () => {
    const { file, store } = await freshStore();
    const result = applied(await applyUpdate(store, request('msg: 7th')));
    expect(result.summary).toEqual([
      'MSG position: 8th of 8 (above average) → 7th of 8 (above average); ' +
        'kept "of 8" and "above average" from the previous position',
    ]);
    expect(measure(onDisk(file), 'robbery').benchmark).toMatchObject({
      status: 'published',
      rank: 7,
      of: 8,
      relation: 'above',
      asOf: '2026-11-25',
    });
  });

  it('keeps what an earlier line of the same message set', async () => {
    const { store } = await freshStore();
    const result = applied(await applyUpdate(store, request('msg: 3rd/8 MSG (below MSG average rates)\nmsg: 2nd')));
    expect(result.summary[1]).toBe(
      'MSG position: 3rd of 8 (below average) → 2nd of 8 (below average); ' +
        'kept "of 8" and "below average" from the previous position',
    );
  });

  it('is refused, changing nothing, when an earlier line left no position to keep from', async () => {
    const { file, store } = await freshStore();
    const before = fs.readFileSync(file, 'utf8');
    const result = await applyUpdate(store, request('msg: not available\nmsg: 7th'));
    expect(result).toMatchObject({ ok: false, refusal: { line: 2, text: 'msg: 7th' } });
    if (!result.ok) expect(result.refusal.reason).toContain('has no published MSG position to keep');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('all or nothing', () => {
  it('one bad line changes nothing, and the answer names the line and why', async () => {
    const { file, store } = await freshStore();
    const before = fs.readFileSync(file, 'utf8');
    const result = await applyUpdate(store, request('trend: Moderate increase\ncomment: fine\nmsg: 3/8 sideways'));
    expect(result).toMatchObject({ ok: false, status: 'refused', refusal: { line: 3, text: 'msg: 3/8 sideways' } });
    if (result.ok) return;
    expect(result.message).toMatch(/^Line 3 \("msg: 3\/8 sideways"\): .*Nothing was changed\.$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('a line the current store makes impossible also changes nothing', async () => {
    const { file, store } = await freshStore();
    const before = fs.readFileSync(file, 'utf8');
    const result = await applyUpdate(store, request('trend: Large increase\naction done: 99'));
    expect(result).toMatchObject({ ok: false, refusal: { line: 2 } });
    if (!result.ok) expect(result.refusal.reason).toMatch(/there is no action 99; .* has \d+/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('a peer figure needs the force figure for that month', async () => {
    const { store } = await freshStore();
    const result = await applyUpdate(store, request('peer Kent 2015-01: 0.2'));
    expect(result).toMatchObject({ ok: false, refusal: { line: 1 } });
    if (!result.ok) expect(result.refusal.reason).toContain('value 2015-01: <number>');
    applied(await applyUpdate(store, request('value 2015-01: 0.3\npeer Kent 2015-01: 0.2')));
  });
});

describe('undo', () => {
  it("reverts all of the author's last message", async () => {
    const { file, store } = await freshStore();
    const original = measure(onDisk(file), 'robbery');
    applied(await applyUpdate(store, request('trend: Large increase\ncomment: typo here\nvalue 2021-11: 9')));
    const undo = applied(await applyUpdate(store, request('undo')));
    const previous = original.series!.points.find((p) => p.period === '2021-11')!.value;
    expect(undo.summary).toEqual([
      `Undone: Value 2021-11: 9 → ${previous} offences per 1,000 residents`,
      'Undone: Comment removed: typo here',
      'Undone: Trend: Large increase → Stable',
    ]);
    const after = measure(onDisk(file), 'robbery');
    expect(after.trend).toEqual(original.trend);
    expect(after.comments).toEqual(original.comments);
    expect(after.series).toEqual(original.series);
  });

  it("reverts only that author's update, and steps back one message at a time", async () => {
    const { file, store } = await freshStore();
    applied(await applyUpdate(store, request('trend: Small increase')));
    applied(await applyUpdate(store, request('trend: Large increase')));
    applied(await applyUpdate(store, request('comment: from someone else', { author: 'U0OTHER' })));
    applied(await applyUpdate(store, request('undo')));
    expect(measure(onDisk(file), 'robbery').trend.label).toBe('Small increase');
    expect(measure(onDisk(file), 'robbery').comments.at(-1)!.text).toBe('from someone else');
    applied(await applyUpdate(store, request('undo')));
    expect(measure(onDisk(file), 'robbery').trend.label).toBe('Stable');
    expect(await applyUpdate(store, request('undo'))).toMatchObject({
      ok: false,
      refusal: { line: 1, reason: 'you have no update here to undo' },
    });
  });

  it('is refused, changing nothing, when someone else has changed those fields since', async () => {
    const { file, store } = await freshStore();
    applied(await applyUpdate(store, request('trend: Large increase\ncomment: mine')));
    applied(await applyUpdate(store, request('trend: Small increase', { author: 'U0OTHER' })));
    const before = fs.readFileSync(file, 'utf8');
    const result = await applyUpdate(store, request('undo'));
    expect(result).toMatchObject({ ok: false, status: 'refused', refusal: { line: 1, text: 'undo' } });
    if (!result.ok)
      expect(result.refusal.reason).toMatch(
        /the trend of Police recorded robbery offences has been changed by U0OTHER at .* since your update/,
      );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('never reverts an import, even one run under the same user id', async () => {
    const { file, store } = await freshStore();
    applied(await applyUpdate(store, request('trend: Large increase')));
    await store.mutate((d) => {
      d.changeLog.push({
        id: 'import:x#1',
        messageId: 'import:x',
        author: 'U0ANALYST1',
        at: '2026-11-25T11:00:00Z',
        source: { kind: 'import' },
        target: { kind: 'measure', id: 'robbery' },
        field: 'series',
        before: null,
        after: { source: 'police.uk', official: true, points: 3 },
      });
    });
    applied(await applyUpdate(store, request('undo')));
    expect(measure(onDisk(file), 'robbery').trend.label).toBe('Stable');
  });

  it('in a robbery thread never reverts a burglary update', async () => {
    const { file, store } = await freshStore();
    applied(await applyUpdate(store, request('trend: Large increase')));
    applied(
      await applyUpdate(store, request('trend: Small increase', { target: { kind: 'measure', id: 'burglary' } })),
    );
    applied(await applyUpdate(store, request('undo')));
    expect(measure(onDisk(file), 'robbery').trend.label).toBe('Stable');
    expect(measure(onDisk(file), 'burglary').trend.label).toBe('Small increase');
  });

  it('reopens an action it had marked done, and removes an action it had added', async () => {
    const { file, store } = await freshStore();
    const target = { kind: 'priority', id: 'reduce-neighbourhood-crime' } as const;
    const actions = priority(onDisk(file), target.id).plannedActions;
    applied(await applyUpdate(store, request('action done: 1\naction: Temporary one', { target })));
    const undo = applied(await applyUpdate(store, request('undo', { target })));
    expect(undo.summary).toHaveLength(2);
    expect(undo.summary[0]).toBe('Undone: Action removed: Temporary one');
    expect(undo.summary[1]).toMatch(/^Undone: Action reopened: /);
    expect(priority(onDisk(file), target.id).plannedActions).toEqual(actions);
  });
});

describe('dedupe', () => {
  it('a retried Slack message is reported as a duplicate and applied once', async () => {
    const { file, store } = await freshStore();
    const req = request('comment: once only');
    applied(await applyUpdate(store, req));
    const again = await applyUpdate(store, req);
    expect(again).toMatchObject({
      ok: true,
      status: 'duplicate',
      messageId: req.messageId,
      summary: ['Comment added: once only'],
    });
    expect(measure(onDisk(file), 'robbery').comments.filter((c) => c.text === 'once only')).toHaveLength(1);
  });

  it('dedupes a retry that another process applied after this one took its snapshot', async () => {
    const { file, store } = await freshStore();
    const other = await openStore(file, { notice: () => undefined });
    opened.push(other);
    const req = request('comment: raced');
    applied(await applyUpdate(other, req));
    expect(await applyUpdate(store, req)).toMatchObject({ status: 'duplicate' });
    expect(measure(onDisk(file), 'robbery').comments.filter((c) => c.text === 'raced')).toHaveLength(1);
  });
});

describe('the change log', () => {
  it('records id, author, time, source, target, field, before, after and the message id', async () => {
    const { file, store } = await freshStore();
    const req = request('trend: Small reduction\naction: Follow-up', {
      source: { kind: 'thread', channel: 'C0PERF', ts: '1764070000.000001' },
    });
    const result = applied(await applyUpdate(store, req));
    const log = onDisk(file).changeLog;
    expect(log).toEqual(result.entries);
    for (const entry of log) expect(changeEntrySchema.safeParse(entry).success).toBe(true);
    expect(log[0]).toMatchObject({
      messageId: req.messageId,
      author: 'U0ANALYST1',
      at: '2026-11-25T10:15:00.000Z',
      source: { kind: 'thread', channel: 'C0PERF', ts: '1764070000.000001' },
      target: { kind: 'measure', id: 'robbery' },
      field: 'trend',
      before: { label: 'Stable' },
      after: { label: 'Small reduction', asOf: '2026-11-25' },
    });
    expect(log[1]).toMatchObject({
      target: { kind: 'priority', id: 'reduce-neighbourhood-crime' },
      field: 'action:add',
      before: null,
      after: { text: 'Follow-up' },
    });
    expect(new Set(log.map((e) => e.id)).size).toBe(2);
    applied(await applyUpdate(store, request('undo')));
    expect(
      onDisk(file)
        .changeLog.slice(2)
        .every((e) => e.undoes === req.messageId),
    ).toBe(true);
  });
});
