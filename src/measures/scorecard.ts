// The force scorecard: every priority with every measure at a glance, for the Home tab and the
// scorecard image. Pure over a store snapshot and a clock. The figures and words come from the
// answers' own model (answer.ts, glance.ts), so the scorecard and `/measures robbery` agree.
import type { DateTime } from 'luxon';
import type { Store } from '../store/index.ts';
import { answerFor } from './answer.ts';
import { latestShort } from './glance.ts';

/** Where an MSG rank sits: the best three, the worst three, or between them (rank 1 is best). */
export type RankBand = 'best' | 'middle' | 'worst';

export interface ScorecardMeasure {
  id: string;
  title: string;
  priorityId: string;
  /** The published (or analyst-set) trend label, verbatim. */
  trend: string;
  polarity: 'higher-is-better' | 'higher-is-worse';
  /** Null when no MSG position is published for the measure. */
  msg: { rank: number; of: number; band: RankBand } | null;
  /** "Dec 21: 125 crimes, −1% on Nov 21", as the answer's headline words it. */
  latest: string;
  latestPeriod: string | null;
  /** "4 years ago": how old the latest figure is (from the end of its period). Null with no figures. */
  age: string | null;
  /** The answers' rule: older than two update intervals. */
  stale: boolean;
  illustrative: boolean;
}

export interface ScorecardPriority {
  id: string;
  title: string;
  measures: ScorecardMeasure[];
}

export interface Scorecard {
  priorities: ScorecardPriority[];
}

/** Best three by rank (1–3), worst three (the last three ranks), otherwise the middle. */
export function rankBand(rank: number, of: number): RankBand {
  if (rank <= 3) return 'best';
  if (rank > of - 3) return 'worst';
  return 'middle';
}

/** "this month", "5 months ago", "4 years ago": from the end of the latest period to `now`. */
export function ageInWords(period: string, now: DateTime): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const nowMonths = now.year * 12 + now.month;
  const months = nowMonths - (year * 12 + month);
  if (months <= 0) return 'this month';
  if (months < 24) return `${months} month${months === 1 ? '' : 's'} ago`;
  return `${Math.floor(months / 12)} years ago`;
}

export function buildScorecard(store: Store, now: DateTime): Scorecard {
  return {
    priorities: store.priorities.map((priority) => {
      const view = answerFor(store, { kind: 'priority', id: priority.id }, '', { now });
      const summaries = view?.kind === 'priority' ? view.priority.measures : [];
      return {
        id: priority.id,
        title: priority.title,
        measures: summaries.map((m): ScorecardMeasure => {
          const countUnit = priority.measures.find((s) => s.id === m.id)?.series?.countUnit;
          const b = m.benchmark;
          return {
            id: m.id,
            title: m.title,
            priorityId: priority.id,
            trend: m.trend,
            polarity: m.polarity,
            msg: b ? { rank: b.rank, of: b.of, band: rankBand(b.rank, b.of) } : null,
            latest: latestShort({ latest: m.latest, unit: m.unit, ...(countUnit ? { countUnit } : {}) }),
            latestPeriod: m.latest?.period ?? null,
            age: m.latest ? ageInWords(m.latest.period, now) : null,
            stale: m.stale !== null,
            illustrative: m.illustrative,
          };
        }),
      };
    }),
  };
}

/** Every measure of the scorecard, in the report's order. */
export function scorecardMeasures(card: Scorecard): ScorecardMeasure[] {
  return card.priorities.flatMap((p) => p.measures);
}

// The Home tab is published for many users after each change, from one snapshot: build the
// scorecard once per snapshot and day (the age and stale marker follow the day).
const bySnapshot = new WeakMap<Store, { day: string; card: Scorecard }>();

export function cachedScorecard(store: Store, now: DateTime): Scorecard {
  const day = now.toISODate()!;
  const hit = bySnapshot.get(store);
  if (hit?.day === day) return hit.card;
  const card = buildScorecard(store, now);
  bySnapshot.set(store, { day, card });
  return card;
}
