// Free text → a measure, a priority or a glossary term, or an honest "not sure".
//
// Each entity has phrases (its title and aliases). A query is scored against a phrase by
// weighted token overlap: how much of the query the phrase explains times how much of the
// phrase the query covers, with rare words weighing more than common ones (inverse
// document frequency over entities). Typos match a token within a small edit distance.
// A hand-written scorer beats a generic fuzzy-search library here because it lets us refuse
// to answer when no phrase explains the query, instead of always returning a best guess.
import { findPriority, type Store } from '../store/index.ts';
import {
  allTokens,
  allowedEdits,
  basicNormalize,
  contentTokens,
  definitionSubject,
  editDistance,
  MAX_QUESTION_CHARS,
  stem,
} from './normalize.ts';

export type EntityKind = 'measure' | 'priority' | 'glossary';

export interface EntityRef {
  kind: EntityKind;
  id: string;
  title: string;
}

/** A question refused unread for its length: how long it was, and the most that is read. */
export interface TooLong {
  chars: number;
  limit: number;
}

export type Resolution =
  | { kind: 'help' }
  | { kind: 'list' }
  /** `tentative`: the only candidate of a weak match, answered rather than offered alone. */
  | { kind: 'measure' | 'priority' | 'glossary'; ref: EntityRef; score: number; tentative?: true }
  /** Two to MAX_CANDIDATES entities that fit about as well; one alone is answered. */
  | { kind: 'ambiguous'; candidates: EntityRef[] }
  | { kind: 'not-found'; candidates: EntityRef[]; tooLong?: TooLong };

/**
 * A question over MAX_QUESTION_CHARS, or null. It is refused rather than cut short: an answer
 * found in the first few hundred characters of a pasted document could well be the wrong one.
 */
export function questionTooLong(text: string): TooLong | null {
  const chars = text.trim().length;
  return chars > MAX_QUESTION_CHARS ? { chars, limit: MAX_QUESTION_CHARS } : null;
}

/** At or above this a match is answered; below ANSWER but at or above CANDIDATE it is offered. */
const ANSWER = 0.7;
const CANDIDATE = 0.3;
/** A runner-up this close to the winner makes the query ambiguous. */
const MARGIN = 0.1;
const MAX_CANDIDATES = 5;

interface IndexedEntity {
  ref: EntityRef;
  /** The priority a measure belongs to, and how many measures that priority has. */
  parent?: { id: string; measureCount: number };
  phrases: string[][];
  /** Whole titles and aliases, normalised: an exact hit needs no scoring (and keeps words like "ASP"). */
  exact: Set<string>;
}

interface QueryIndex {
  entities: IndexedEntity[];
  weights: Map<string, number>;
  unknownWeight: number;
}

const indexCache = new WeakMap<Store, QueryIndex>();

function buildIndex(store: Store): QueryIndex {
  const entities: IndexedEntity[] = [];
  const phraseTokens = (texts: string[]) =>
    texts.map((t) => [...new Set(contentTokens(t))]).filter((tokens) => tokens.length > 0);
  const exact = (texts: string[]) => new Set(texts.map(exactForm));
  for (const priority of store.priorities) {
    entities.push({
      ref: { kind: 'priority', id: priority.id, title: priority.title },
      phrases: phraseTokens([priority.title, ...priority.aliases]),
      exact: exact([priority.title, ...priority.aliases]),
    });
    for (const measure of priority.measures) {
      entities.push({
        ref: { kind: 'measure', id: measure.id, title: measure.title },
        parent: { id: priority.id, measureCount: priority.measures.length },
        phrases: phraseTokens([measure.title, ...measure.aliases]),
        exact: exact([measure.title, ...measure.aliases]),
      });
    }
  }
  for (const term of store.glossary) {
    entities.push({
      ref: { kind: 'glossary', id: term.id, title: term.term },
      phrases: phraseTokens([term.term, ...term.aliases]),
      exact: exact([term.term, ...term.aliases]),
    });
  }
  const documentFrequency = new Map<string, number>();
  for (const entity of entities) {
    for (const token of new Set(entity.phrases.flat()))
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  }
  const weights = new Map<string, number>();
  let maxWeight = 0;
  for (const [token, df] of documentFrequency) {
    const w = Math.log(1 + entities.length / df);
    weights.set(token, w);
    maxWeight = Math.max(maxWeight, w);
  }
  return { entities, weights, unknownWeight: maxWeight * 0.8 };
}

function indexFor(store: Store): QueryIndex {
  let index = indexCache.get(store);
  if (!index) {
    index = buildIndex(store);
    indexCache.set(store, index);
  }
  return index;
}

/** 1 for the same token, a little less per typo, 0 when too different. */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const allowed = allowedEdits(Math.min(a.length, b.length));
  if (allowed === 0 || Math.abs(a.length - b.length) > allowed) return 0;
  const d = editDistance(a, b);
  return d <= allowed ? 1 - 0.15 * d : 0;
}

/** tokenSimilarity remembered for one query: the same word meets the same phrase words in many entities. */
type SimilarityMemo = Map<string, number>;

function memoSimilarity(memo: SimilarityMemo, q: string, p: string): number {
  const key = `${q} ${p}`;
  let s = memo.get(key);
  if (s === undefined) {
    s = tokenSimilarity(q, p);
    memo.set(key, s);
  }
  return s;
}

function scorePhrase(query: string[], phrase: string[], index: QueryIndex, memo: SimilarityMemo): number {
  const weight = (t: string) => index.weights.get(t) ?? index.unknownWeight;
  // Each phrase word explains at most one query word, exact matches first, so that
  // "rate" cannot also pass for a typo of "rape" when "rape" is already there.
  const similarity = new Map<string, number>();
  const used = new Set<string>();
  const fuzzyPending: string[] = [];
  for (const q of query) {
    if (phrase.includes(q) && !used.has(q)) {
      used.add(q);
      similarity.set(q, 1);
    } else fuzzyPending.push(q);
  }
  let queryMatched = 0;
  for (const q of query) if (similarity.get(q) === 1) queryMatched += weight(q);
  for (const q of fuzzyPending) {
    // A real word is not a typo of another one: "rate" must not pass for "rape".
    if (index.weights.has(q)) continue;
    let best = 0;
    let bestToken: string | null = null;
    for (const p of phrase) {
      if (used.has(p)) continue;
      const s = memoSimilarity(memo, q, p);
      if (s > best) {
        best = s;
        bestToken = p;
      }
    }
    if (bestToken) {
      used.add(bestToken);
      similarity.set(bestToken, best);
      queryMatched += weight(q) * best;
    }
  }
  const queryTotal = query.reduce((sum, q) => sum + weight(q), 0);
  let phraseTotal = 0;
  let phraseMatched = 0;
  for (const p of phrase) {
    const wp = weight(p);
    phraseTotal += wp;
    phraseMatched += wp * (similarity.get(p) ?? 0);
  }
  if (queryTotal === 0 || phraseTotal === 0) return 0;
  return (queryMatched / queryTotal) * (phraseMatched / phraseTotal);
}

/** "countylines" → "county line": splits an unknown word into two known ones. */
function splitRunTogether(tokens: string[], index: QueryIndex): string[] {
  return tokens.flatMap((t) => {
    if (index.weights.has(t) || t.length < 6) return [t];
    for (let i = 3; i <= t.length - 3; i++) {
      const left = stem(t.slice(0, i));
      const right = stem(t.slice(i));
      if (index.weights.has(left) && index.weights.has(right)) return [left, right];
    }
    return [t];
  });
}

interface Scored {
  entity: IndexedEntity;
  score: number;
}

function exactForm(text: string): string {
  return allTokens(text).join(' ');
}

function scoreEntities(text: string, index: QueryIndex, kinds?: EntityKind[]): Scored[] {
  const scored: Scored[] = [];
  const whole = exactForm(text);
  const tokens = splitRunTogether(contentTokens(text), index);
  const memo: SimilarityMemo = new Map();
  for (const entity of index.entities) {
    if (kinds && !kinds.includes(entity.ref.kind)) continue;
    if (entity.exact.has(whole)) {
      scored.push({ entity, score: 1 });
      continue;
    }
    let best = 0;
    for (const phrase of entity.phrases) best = Math.max(best, scorePhrase(tokens, phrase, index, memo));
    scored.push({ entity, score: best });
  }
  // Measures and priorities before glossary terms at equal scores.
  const kindOrder: Record<EntityKind, number> = { measure: 0, priority: 1, glossary: 2 };
  return scored.sort((a, b) => b.score - a.score || kindOrder[a.entity.ref.kind] - kindOrder[b.entity.ref.kind]);
}

/** A priority and one of its own measures are not rivals: the answer to either shows both. */
function related(a: IndexedEntity, b: IndexedEntity): boolean {
  return (
    (a.parent?.id === b.ref.id && b.ref.kind === 'priority') || (b.parent?.id === a.ref.id && a.ref.kind === 'priority')
  );
}

function answer(entity: IndexedEntity, score: number): Resolution {
  return { kind: entity.ref.kind, ref: entity.ref, score };
}

const HELP = /^(?:help|\?|usage|how do i use this|what can you do)$/;
const LIST =
  /^(?:list|ls|all|all measures|list all|list measures|list priorities|measures|priorities|everything|show all|show everything|menu|index)$/;

export function resolveQuery(store: Store, text: string): Resolution {
  const tooLong = questionTooLong(text);
  if (tooLong) return { kind: 'not-found', candidates: [], tooLong };
  const normalized = basicNormalize(text);
  if (!normalized || HELP.test(normalized)) return { kind: 'help' };
  if (LIST.test(normalized)) return { kind: 'list' };
  const index = indexFor(store);

  const subject = definitionSubject(text);
  if (subject) {
    const [best] = scoreEntities(subject, index, ['glossary']);
    if (best && best.score >= ANSWER) return answer(best.entity, best.score);
  }

  const ranked = scoreEntities(text, index);
  // Only question words ("how are we doing?"): nothing to look up, so say what can be asked.
  if (ranked.every((s) => s.score === 0) && contentTokens(text).length === 0) return { kind: 'help' };
  const confident = ranked.filter((s) => s.score >= ANSWER);
  // Measures and priorities win over glossary terms unless a definition was asked for.
  const figures = confident.filter((s) => s.entity.ref.kind !== 'glossary');
  const pool = figures.length > 0 ? figures : confident;
  const [top, ...rest] = pool;
  if (top) {
    const rivals = rest.filter((s) => top.score - s.score < MARGIN && !related(top.entity, s.entity));
    if (rivals.length === 0) return answer(preferMeasureOfSingleMeasurePriority(top, pool), top.score);
    return { kind: 'ambiguous', candidates: [top, ...rivals].slice(0, MAX_CANDIDATES).map((s) => s.entity.ref) };
  }
  const offered = ranked.filter((s) => s.score >= CANDIDATE);
  if (offered.length > 0) {
    const floor = Math.max(CANDIDATE, offered[0]!.score - 0.35);
    const candidates = offered.filter((s) => s.score >= floor).slice(0, MAX_CANDIDATES);
    // One candidate is no choice: "could mean more than one thing" with a single button only
    // costs the officer a click to reach the answer the reply could have given.
    if (candidates.length === 1) {
      const only = candidates[0]!;
      return { kind: only.entity.ref.kind, ref: only.entity.ref, score: only.score, tentative: true };
    }
    return { kind: 'ambiguous', candidates: candidates.map((s) => s.entity.ref) };
  }
  const suggestions = ranked
    .filter((s) => s.score > 0)
    .slice(0, 3)
    .map((s) => s.entity.ref);
  return {
    kind: 'not-found',
    candidates: suggestions.length > 0 ? suggestions : closestByCharacters(normalized, index),
  };
}

/**
 * A priority and its own measure that fit equally well: a single-measure priority is best
 * answered by its measure (which shows the priority too); otherwise the priority's view,
 * which contains every measure, is the safer answer.
 */
function preferMeasureOfSingleMeasurePriority(top: Scored, pool: Scored[]): IndexedEntity {
  const tied = (s: Scored) => top.score - s.score < 0.001;
  if (top.entity.ref.kind === 'priority') {
    const child = pool.find(
      (s) =>
        s.entity.parent?.id === top.entity.ref.id && s.entity.parent.measureCount === 1 && top.score - s.score < MARGIN,
    );
    return child ? child.entity : top.entity;
  }
  if (top.entity.parent && top.entity.parent.measureCount > 1) {
    const parent = pool.find(
      (s) => s.entity.ref.kind === 'priority' && s.entity.ref.id === top.entity.parent!.id && tied(s),
    );
    if (parent) return parent.entity;
  }
  return top.entity;
}

/** When no word matches, suggest the titles that share the most letter trigrams with the query. */
function closestByCharacters(normalized: string, index: QueryIndex): EntityRef[] {
  const grams = (s: string) => {
    const padded = `  ${s} `;
    const out = new Set<string>();
    for (let i = 0; i < padded.length - 2; i++) out.add(padded.slice(i, i + 3));
    return out;
  };
  const q = grams(normalized);
  if (q.size === 0) return [];
  return index.entities
    .filter((e) => e.ref.kind !== 'glossary')
    .map((e) => {
      const t = grams(basicNormalize(e.ref.title));
      let shared = 0;
      for (const g of q) if (t.has(g)) shared++;
      return { ref: e.ref, score: shared / (q.size + t.size - shared) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((s) => s.ref);
}

/** The one measure of a priority that the text clearly names, or null (none fits, or two fit about equally). */
export function findMeasureWithin(store: Store, priorityId: string, text: string): EntityRef | null {
  const priority = findPriority(store, priorityId);
  if (!priority || questionTooLong(text)) return null;
  const index = indexFor(store);
  const ids = new Set(priority.measures.map((m) => m.id));
  const ranked = scoreEntities(text, index, ['measure']).filter((s) => ids.has(s.entity.ref.id));
  const [top, second] = ranked;
  if (!top || top.score < CANDIDATE) return null;
  if (second && top.score - second.score < MARGIN) return null;
  return top.entity.ref;
}
