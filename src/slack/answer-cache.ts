// Answers are pure functions of (store snapshot, question, day): officers ask about the same
// few measures over and over, and building one costs a few milliseconds of event-loop time
// that other acks wait behind. The cache follows the snapshot object, so any store change
// (a write, a reload) starts it afresh.
import { DateTime } from 'luxon';
import { type Answer, buildAnswer } from '../measures/answer.ts';
import { questionTooLong } from '../measures/resolve.ts';
import type { Store } from '../store/schema.ts';

const MAX_ENTRIES = 500;
const bySnapshot = new WeakMap<Store, Map<string, Answer>>();

/** buildAnswer, memoised per snapshot, question and UTC day (the stale-data note depends on the day). Treat the result as read-only. */
export function cachedAnswer(store: Store, query: string, now: Date): Answer {
  // A question too long to be read is refused at once; keeping megabytes as a key would not pay.
  if (questionTooLong(query)) return buildAnswer(store, query, { now: DateTime.fromJSDate(now) });
  let answers = bySnapshot.get(store);
  if (!answers) {
    answers = new Map();
    bySnapshot.set(store, answers);
  }
  const key = `${now.toISOString().slice(0, 10)}\n${query}`;
  const hit = answers.get(key);
  if (hit) return hit;
  const answer = buildAnswer(store, query, { now: DateTime.fromJSDate(now) });
  if (answers.size >= MAX_ENTRIES) answers.delete(answers.keys().next().value!);
  answers.set(key, answer);
  return answer;
}
