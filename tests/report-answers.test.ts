// Every measure, priority and glossary term answers as the report publishes it.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { buildAnswer, answerFor } from '../src/measures/answer.ts';
import { seedStore } from './helpers/seed.ts';

const store = seedStore();
const now = DateTime.fromISO('2021-12-15T12:00:00Z');

// Transcribed from the report's tables: [title, trend, benchmark as printed].
const published: Array<[string, string, string]> = [
  ['Police recorded Homicide offences', 'Stable', '3rd/8 MSG (below MSG average rates)'],
  ['Police recorded Serious Violence offences', 'Stable', '3rd/8 MSG (below MSG average rates)'],
  ['Number of all drugs disruptions', 'Stable', 'Not available'],
  ['Number of county lines disrupted', 'Stable', 'Not available'],
  ['Number of drug trafficking offences', 'Reducing', '8th/8 MSG (below MSG average rates)'],
  ['Police recorded burglary offences', 'Moderate Reduction', '6th/8 MSG (Similar to MSG average rates)'],
  ['Police recorded vehicle crime offences', 'Stable', '6th/8 MSG (Similar to MSG average rates)'],
  ['Police recorded robbery offences', 'Stable', '8th/8 MSG (higher than MSG average rates)'],
  ['Police recorded theft From the person offences', 'Stable', '5th/8 MSG (Similar to MSG average rates)'],
  ['Investigate 100% of all cyber dependant crime disseminated to forces', 'Stable (100%)', 'Not available'],
  ['Provide 100% of all cyber dependant crime victims with specialist advice', 'Stable (100%)', 'Not available'],
  ['Action Fraud Offences', 'Stable', 'Not available'],
  ['Overall victim satisfaction rate', 'Stable', 'Not available'],
  ['Hate crime victim satisfaction rate', 'Small reduction', 'Not available'],
  ['Violent crime victim satisfaction', 'Stable', 'Not available'],
  ['Burglary victim satisfaction', 'Stable', 'Not available'],
  ['Volume of Rape referrals to CPS', 'Moderate Increase', 'Not available'],
  ['Charge volumes for Rape offences', 'Moderate Increase', 'Not available'],
  ['Charge rate for Rape offences', 'Stable', '8th/8 MSG (below MSG average rates)'],
];

// [title, planned actions, comments] as printed under each priority.
const priorities: Array<[string, number, number, number]> = [
  ['Reduce Murder and Other Homicide', 1, 2, 2],
  ['Reduce Serious Violence', 1, 4, 3],
  ['Disrupt Drugs Supply and County Lines', 3, 3, 2],
  ['Reduce Neighbourhood Crime', 4, 3, 2],
  ['Tackle Cyber Crime', 3, 1, 1],
  ['Improve Victim Satisfaction, with a Focus on Victims of Domestic Abuse', 4, 5, 3],
  ['Better Criminal Justice Outcomes for Rape Cases', 3, 2, 1],
];

function parseBenchmark(text: string) {
  const m = text.match(/^(\d+)(?:st|nd|rd|th)\/(\d+) MSG \((\w+)/);
  if (!m) return null;
  const word = m[3]!.toLowerCase();
  return {
    rank: Number(m[1]),
    of: Number(m[2]),
    relation: word === 'higher' ? 'above' : word === 'below' ? 'below' : 'similar',
  };
}

describe('the report as data', () => {
  it('holds 7 priorities, 19 measures and 10 glossary terms', () => {
    expect(store.priorities).toHaveLength(7);
    expect(store.priorities.flatMap((p) => p.measures)).toHaveLength(19);
    expect(store.glossary.map((g) => g.term)).toEqual([
      'Action Fraud',
      'ASP',
      'Cyber dependent crime',
      'CPS',
      'Domestic abuse',
      'MSG',
      'Neighbourhood Crime',
      'Patrol',
      'PREVENT',
      'Project Bluestone',
    ]);
  });

  it.each(published)('answers "%s" with the published trend and MSG position', (title, trend, benchmarkText) => {
    const answer = buildAnswer(store, title, { now });
    expect(answer.kind).toBe('measure');
    if (answer.kind !== 'measure') return;
    expect(answer.measure.title).toBe(title);
    expect(answer.measure.trend).toBe(trend);
    expect(answer.measure.benchmarkText).toBe(benchmarkText);
    const expected = parseBenchmark(benchmarkText);
    if (expected) {
      expect(answer.measure.benchmark).toMatchObject({ ...expected, asOf: '2021-11-30' });
      expect(answer.measure.msgPosition).toMatch(
        new RegExp(
          `^${expected.rank}\\w\\w of 8 in its most similar group, (higher than|below|similar to) the MSG average$`,
        ),
      );
    } else {
      expect(answer.measure.benchmark).toBeNull();
      expect(answer.measure.msgPosition).toMatch(/No MSG benchmark/);
    }
  });

  it.each(priorities)(
    'answers the priority "%s" with its measures, planned actions and comments',
    (title, measureCount, actions, comments) => {
      const answer = buildAnswer(store, title, { now });
      expect(answer.kind).toBe('priority');
      const priority = answer.kind === 'priority' ? answer.priority : null;
      expect(priority?.title).toBe(title);
      expect(priority!.measures).toHaveLength(measureCount);
      expect(priority!.plannedActions).toHaveLength(actions);
      expect(priority!.actions.every((a) => !a.done && a.text.length > 20)).toBe(true);
      expect(priority!.comments).toHaveLength(comments);
    },
  );

  it('quotes the report verbatim', () => {
    const robbery = buildAnswer(store, 'robbery', { now });
    if (robbery.kind !== 'measure') throw new Error('robbery did not resolve');
    expect(robbery.priority.comments[1]).toBe(
      'Business robbery rates are three times greater than our MSG force average. ' +
        'ASP have conducted recent assurance activity in this field, ' +
        'and believe that the comparative increase is due to a high level of crime recording compliance in this area.',
    );
    expect(robbery.priority.plannedActions[0]).toBe(
      'Investigation of linked residential burglary series by the force proactive team; ' +
        'thereby ensuring offenders are brought to justice, ' +
        'and reducing the impact that burglary has upon the community.',
    );
    const msg = answerFor(store, { kind: 'glossary', id: 'msg' });
    expect(msg?.kind === 'glossary' && msg.glossary.definition).toContain(
      "The forces 'most similar' to Avon & Somerset are Staffordshire, Derbyshire, Essex, Hampshire, Hertfordshire, " +
        'Kent and Sussex.',
    );
  });
});

describe('polarity', () => {
  const measure = (id: string) => store.priorities.flatMap((p) => p.measures).find((m) => m.id === id)!;

  it('ranks by performance: 8th of 8 can be below the average when more is better', () => {
    for (const id of ['drug-trafficking', 'rape-charge-rate']) {
      expect(measure(id).polarity).toBe('higher-is-better');
      expect(measure(id).benchmark).toMatchObject({ rank: 8, relation: 'below' });
    }
    expect(measure('robbery').polarity).toBe('higher-is-worse');
    expect(measure('robbery').benchmark).toMatchObject({ rank: 8, relation: 'above' });
  });

  it('words the position by the raw value, whatever the polarity', () => {
    const drugs = buildAnswer(store, 'drug trafficking', { now });
    const robbery = buildAnswer(store, 'robbery', { now });
    expect(drugs.kind === 'measure' && drugs.measure.msgPosition).toBe(
      '8th of 8 in its most similar group, below the MSG average',
    );
    expect(robbery.kind === 'measure' && robbery.measure.msgPosition).toBe(
      '8th of 8 in its most similar group, higher than the MSG average',
    );
  });
});

describe('a question with one candidate', () => {
  it('is answered with that candidate, in the answer the CLI and Slack both show', () => {
    const answer = buildAnswer(store, 'homes', { now });
    expect(answer).toMatchObject({ kind: 'measure', measure: { title: 'Police recorded burglary offences' } });
  });
});

describe('glossary answers', () => {
  it('gives the definition and the related measures or priority', () => {
    const answer = buildAnswer(store, 'what is neighbourhood crime', { now });
    expect(answer.kind).toBe('glossary');
    if (answer.kind !== 'glossary') return;
    expect(answer.glossary.definition).toBe(
      'defined in the national Beating Crime Plan 2021 as vehicle-related theft, domestic burglary, ' +
        'theft from the person and robbery of personal property.',
    );
    expect(answer.glossary.related).toContain('Reduce Neighbourhood Crime');
    expect(answer.glossary.related).toContain('Police recorded robbery offences');
  });
});

describe('stale data', () => {
  it('says so when the figures are older than the update interval allows', () => {
    const later = buildAnswer(store, 'robbery', { now: DateTime.fromISO('2026-11-25T12:00:00Z') });
    if (later.kind !== 'measure') throw new Error('robbery did not resolve');
    const latest = later.measure.latest?.period ?? '2021-11';
    const label = DateTime.fromFormat(latest, 'yyyy-MM').toFormat('LLL yyyy');
    expect(later.measure.stale?.message).toBe(
      `Data is out of date: the latest figures are for ${label}, 4 years ago, and this measure is expected monthly.`,
    );
    const fresh = buildAnswer(store, 'robbery', { now });
    expect(fresh.kind === 'measure' && fresh.measure.stale).toBeNull();
  });
});

describe('England and Wales as a comparator', () => {
  it('is offered from the bundled ONS tables, with their own scope note', () => {
    const answer = buildAnswer(store, 'robbery', { now });
    if (answer.kind !== 'measure') throw new Error('robbery did not resolve');
    expect(answer.measure.onsComparison).toMatchObject({
      yearEnding: '2019-12',
      englandAndWales: { scope: 'excluding Greater Manchester Police' },
    });
    expect(answer.measure.onsComparison!.englandAndWales.rate).toBeGreaterThan(
      answer.measure.onsComparison!.force.rate!,
    );
  });

  it('is not offered where no ONS offence group matches the measure', () => {
    for (const q of ['serious violence', 'drug trafficking', 'rape charge rate']) {
      const answer = buildAnswer(store, q, { now });
      expect(answer.kind === 'measure' && answer.measure.onsComparison, q).toBeUndefined();
    }
  });
});
