// The update form's core, without Slack: what it starts from (periods, open actions, the trend
// split from its qualifier) and how its fields become the update language's ops or field errors.
import { describe, expect, it } from 'vitest';
import { formDefaults, openActions, periodOptions, splitTrend } from '../src/measures/update/form-defaults.ts';
import { doneOptionValue, readUpdateForm, type UpdateFormInput } from '../src/measures/update/form-read.ts';
import { findMeasure, findPriority } from '../src/store/lookup.ts';
import type { Action } from '../src/store/schema.ts';
import { formErrors } from '../src/slack/views/update-form.ts';
import { seedStore } from './helpers/seed.ts';

const NOW = new Date('2026-11-29T12:00:00Z');

/** The form as sent back untouched for robbery: the current values, nothing else. */
function untouched(over: Partial<UpdateFormInput> = {}): UpdateFormInput {
  return {
    measureId: 'robbery',
    trend: 'Stable',
    qualifier: '',
    msgRank: '8',
    msgRelation: 'above',
    period: '2021-12',
    value: '0.0727155',
    count: '125',
    actionText: '',
    actionOwner: '',
    actionOwnerUser: null,
    actionDue: null,
    done: [],
    comment: '',
    ...over,
  };
}

const robbery = { kind: 'measure' as const, id: 'robbery' };

describe('what the form offers', () => {
  it('splits a qualified trend and normalises the report’s capitals', () => {
    expect(splitTrend('Stable (100%)')).toEqual({ trend: 'Stable', qualifier: '100%' });
    expect(splitTrend('Moderate Reduction')).toEqual({ trend: 'Moderate reduction', qualifier: '' });
    expect(splitTrend('Sideways')).toEqual({ trend: null, qualifier: '' });
  });

  it('offers recent and next periods in the series’ own spacing, never a month not yet begun', () => {
    const store = seedStore();
    const quarterly = findMeasure(store, 'rape-charges')!.measure;
    expect(periodOptions(quarterly, '2026-11-29').map((p) => p.label)).toEqual([
      'Quarter to Feb 2021',
      'Quarter to May 2021',
      'Quarter to Aug 2021',
      'Quarter to Nov 2021',
      'Quarter to Feb 2022',
      'Quarter to May 2022',
      'Quarter to Aug 2022',
    ]);
    const homicide = findMeasure(store, 'homicide')!.measure;
    expect(periodOptions(homicide, '2026-11-29').at(-1)).toEqual({ period: '2020-09', label: 'Year to Sep 2020' });
    const robberyMeasure = findMeasure(store, 'robbery')!.measure;
    expect(periodOptions(robberyMeasure, '2022-01-15').map((p) => p.period)).toEqual([
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-01',
    ]);
  });

  it('lists at most the 10 oldest open actions, in list order', () => {
    const action = (n: number, done = false): Action => ({
      text: `Action ${n}`,
      done,
      owner: null,
      due: null,
      addedBy: 'U0A',
      addedAt: new Date(Date.UTC(2026, 0, 30 - n)).toISOString(), // later in the list, older
    });
    const actions = Array.from({ length: 14 }, (_, i) => action(i + 1, i === 13));
    const { shown, more } = openActions(actions);
    expect(more).toBe(3);
    expect(shown.map((a) => a.n)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('has no measure chosen on a priority of several measures until one is', () => {
    const store = seedStore();
    const target = { kind: 'priority' as const, id: 'reduce-neighbourhood-crime' };
    expect(formDefaults(store, target, '2026-11-29')!.measure).toBeNull();
    expect(formDefaults(store, target, '2026-11-29', 'burglary')!.measure!.measure.id).toBe('burglary');
    expect(formDefaults(store, { kind: 'priority', id: 'tackle-cyber-crime' }, '2026-11-29')!.measure).toBeNull();
  });
});

describe('reading a submitted form', () => {
  it('turns nothing changed into no ops', () => {
    expect(readUpdateForm(seedStore(), robbery, untouched(), NOW)).toEqual({ ok: true, ops: [] });
  });

  it('turns changed fields into the update language’s ops', () => {
    const store = seedStore();
    const firstOpen = findPriority(store, 'reduce-neighbourhood-crime')!.plannedActions[0]!;
    const reading = readUpdateForm(
      store,
      robbery,
      untouched({
        trend: 'Small increase',
        qualifier: '(+6%)',
        msgRank: '7',
        period: '2022-01',
        value: '0.08',
        count: '140',
        actionText: 'Patrol plan',
        actionOwnerUser: 'U0OWNER',
        actionDue: '2027-01-31',
        done: [doneOptionValue(1, firstOpen.addedAt)],
        comment: 'Line one\nline two',
      }),
      NOW,
    );
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.ops.map(({ line: _line, ...op }) => op)).toEqual([
      { kind: 'trend', measureId: 'robbery', label: 'Small increase (+6%)' },
      { kind: 'msg', measureId: 'robbery', position: { rank: 7, of: 8, relation: 'above' } },
      { kind: 'value', measureId: 'robbery', period: '2022-01', value: 0.08, count: 140 },
      {
        kind: 'action',
        priorityId: 'reduce-neighbourhood-crime',
        text: 'Patrol plan',
        owner: '<@U0OWNER>',
        due: '2027-01-31',
      },
      { kind: 'action-done', priorityId: 'reduce-neighbourhood-crime', n: 1 },
      { kind: 'comment', on: robbery, text: 'Line one\nline two' },
    ]);
  });

  it('names each field at fault', () => {
    const reading = readUpdateForm(
      seedStore(),
      robbery,
      untouched({
        qualifier: 'q'.repeat(80),
        msgRank: null,
        msgRelation: 'below',
        period: '2027-01',
        actionOwner: 'DI Jones',
        comment: 'bad \u001b[2J',
      }),
      NOW,
    );
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(Object.keys(reading.errors).sort()).toEqual(['actionText', 'comment', 'msgRank', 'period', 'qualifier']);
    expect(reading.errors.period).toBe('2027-01 is in the future.');
    expect(reading.errors.comment).toMatch(/control character \(U\+001B\)/);
  });

  it('refuses values out of the measure’s range and counts that are not whole', () => {
    const reading = readUpdateForm(
      seedStore(),
      { kind: 'measure', id: 'rape-charge-rate' },
      untouched({
        measureId: 'rape-charge-rate',
        trend: 'Stable',
        msgRank: '8',
        msgRelation: 'below',
        period: '2021-11',
        value: '140',
        count: '',
      }),
      NOW,
    );
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.errors.value).toMatch(/out of range: .* from 0 to 100/);
    const count = readUpdateForm(seedStore(), robbery, untouched({ count: '12.5' }), NOW);
    expect(count).toEqual({ ok: false, errors: { count: 'The count is a whole number, 0 or more.' } });
  });

  it('notices that the actions changed since the form was opened', () => {
    const store = seedStore();
    const second = findPriority(store, 'reduce-neighbourhood-crime')!.plannedActions[1]!;
    const reading = readUpdateForm(
      store,
      robbery,
      untouched({ done: [doneOptionValue(1, second.addedAt + 'x')] }),
      NOW,
    );
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.errors.done).toMatch(/changed since this form was opened/);
  });
});

describe('field errors as Slack takes them', () => {
  it('keys them by the block of the field, or gives none when the view lacks that block', () => {
    const view = { blocks: [{ block_id: 'value' }, { block_id: 'action_text' }] };
    expect(formErrors({ value: 'Not a number.', actionText: 'Describe it.' }, view)).toEqual({
      value: 'Not a number.',
      action_text: 'Describe it.',
    });
    // A measure removed meanwhile: Slack refuses errors for a block the form does not have.
    expect(formErrors({ measure: 'This measure is no longer in the store.' }, view)).toBeNull();
  });
});
