// The digest as data: store + window + zone in, everything a presenter shows out. Pure.
// The CLI prints it, Slack renders it as Block Kit; neither recomputes anything.
import { DateTime } from 'luxon';
import { allMeasures } from '../store/index.ts';
import type { ChangeEntry, Measure, Priority, Store, ThreadBinding } from '../store/index.ts';
import { answerFor } from '../measures/answer.ts';
import { entriesBetween, netChanges, type ChangeKind, type NetChange } from './net-changes.ts';
import { computedBenchmarkText, fromTo } from './describe.ts';
import { computedMsgMove } from './computed-msg.ts';
import {
  headlineOrder,
  measureHeadline,
  publishedRank,
  rankMovement,
  trendMovement,
  valueMovement,
  type Movement,
} from './movements.ts';

export interface ThreadRef {
  channel: string;
  ts: string;
}

export interface DigestChange {
  priorityId: string;
  priority: string;
  /** null for changes to the priority itself (planned actions, priority comments). */
  measureId: string | null;
  measure: string | null;
  kind: ChangeKind;
  from: string;
  to: string;
  /** Slack user ID of whoever completed the change ("import" for importers run without --as). */
  by: string;
  /** ISO 8601 with the digest zone's offset. */
  at: string;
  /** Where to link: the thread the change was made in, else the latest answer thread about its subject. */
  thread: ThreadRef | null;
  /** A permalink, filled in at post time (chat.getPermalink); null until then. */
  link: string | null;
  movement: Movement | null;
}

export interface StaleMeasure {
  measureId: string;
  measure: string;
  latestPeriod: string;
  expectedEvery: Measure['updateInterval'];
}

export interface Digest {
  since: string;
  until: string;
  zone: string;
  headline: string[];
  changes: DigestChange[];
  stale: StaleMeasure[];
  /** Every measure is stale: presenters say so in one line instead of listing them. */
  allStale: boolean;
  /** Nothing changed: presenters say so in one line. */
  quiet: boolean;
  /** Measures with at least one change, in store order: the chart's panels. */
  changedMeasureIds: string[];
}

export interface DigestWindow {
  since: Date;
  until: Date;
  zone: string;
  /** These entries instead of the window's (one change set, for a follower DM); since/until still label it. */
  entries?: ChangeEntry[];
}

const KIND_ORDER: ChangeKind[] = ['trend', 'msg', 'value', 'peer', 'action-added', 'action-done', 'comment'];

export function isoInZone(at: string | Date, zone: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { setZone: true }) : DateTime.fromJSDate(at);
  return dt.setZone(zone).startOf('second').toISO({ suppressMilliseconds: true })!;
}

interface Subject {
  priority: Priority;
  measure: Measure | null;
  order: number;
}

function subjectOf(store: Store, target: ChangeEntry['target']): Subject | null {
  let order = 0;
  for (const priority of store.priorities) {
    if (target.kind === 'priority' && priority.id === target.id) return { priority, measure: null, order };
    order++;
    for (const measure of priority.measures) {
      if (target.kind === 'measure' && measure.id === target.id) return { priority, measure, order };
      order++;
    }
  }
  return null; // a measure or priority since removed from the report: nothing to show it under
}

/** The thread the change came from, else the newest binding for its measure, else its priority. */
function threadFor(store: Store, entry: ChangeEntry, subject: Subject): ThreadRef | null {
  // A form submission names the answer it was opened from, as a thread reply does.
  if ((entry.source.kind === 'thread' || entry.source.kind === 'form') && entry.source.channel && entry.source.ts)
    return { channel: entry.source.channel, ts: entry.source.ts };
  const newest = (kind: ThreadBinding['kind'], id: string) =>
    store.threads
      .filter((t) => t.kind === kind && t.id === id)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  const binding =
    (subject.measure ? newest('measure', subject.measure.id) : undefined) ?? newest('priority', subject.priority.id);
  return binding ? { channel: binding.channel, ts: binding.ts } : null;
}

/** The newest period each measure got a figure for: only that one is a headline movement. */
function newestChangedPeriods(net: NetChange[]): Map<string, string> {
  const newest = new Map<string, string>();
  for (const c of net) {
    if (c.kind !== 'value' || c.target.kind !== 'measure' || c.after === null) continue;
    const period = c.field.slice('value:'.length);
    if (period > (newest.get(c.target.id) ?? '')) newest.set(c.target.id, period);
  }
  return newest;
}

function movementOf(measure: Measure | null, change: NetChange, newest: Map<string, string>): Movement | null {
  if (!measure) return null;
  switch (change.kind) {
    case 'trend':
      return trendMovement(measure, change.before, change.after);
    case 'msg':
      return rankMovement(measure, publishedRank(change.before), publishedRank(change.after), 'MSG position');
    case 'value': {
      // An import of a year of figures moves the headline by its latest month, not its noisiest.
      const period = change.field.slice('value:'.length);
      return newest.get(measure.id) === period ? valueMovement(measure, period, change.after) : null;
    }
    default:
      return null;
  }
}

function staleMeasures(store: Store, until: Date): StaleMeasure[] {
  // The answers' own rule (src/measures/answer.ts), so the digest and /measures agree on "out of date".
  const now = DateTime.fromJSDate(until);
  const stale: StaleMeasure[] = [];
  for (const priority of store.priorities) {
    const view = answerFor(store, { kind: 'priority', id: priority.id }, '', { now });
    if (view?.kind !== 'priority') continue;
    for (const m of view.priority.measures) {
      if (m.stale)
        stale.push({
          measureId: m.id,
          measure: m.title,
          latestPeriod: m.stale.latestPeriod,
          expectedEvery: m.stale.expectedEvery,
        });
    }
  }
  return stale;
}

export function buildDigest(store: Store, window: DigestWindow): Digest {
  const { zone } = window;
  const net = netChanges(window.entries ?? entriesBetween(store, window.since, window.until));
  const rows: Array<DigestChange & { order: number; atMs: number }> = [];

  const toRow = (
    subject: Subject,
    change: NetChange,
    texts: { from: string; to: string },
    movement: Movement | null,
    kind = change.kind,
  ) => ({
    priorityId: subject.priority.id,
    priority: subject.priority.title,
    measureId: subject.measure?.id ?? null,
    measure: subject.measure?.title ?? null,
    kind,
    ...texts,
    by: change.last.author,
    at: isoInZone(change.last.at, zone),
    thread: threadFor(store, change.last, subject),
    link: null,
    movement,
    order: subject.order,
    atMs: Date.parse(change.last.at),
  });

  const newest = newestChangedPeriods(net);
  const figuresByMeasure = new Map<string, NetChange[]>();
  for (const change of net) {
    const subject = subjectOf(store, change.target);
    if (!subject) continue;
    rows.push(
      toRow(subject, change, fromTo(store, subject.measure, change), movementOf(subject.measure, change, newest)),
    );
    if (subject.measure && (change.kind === 'value' || change.kind === 'peer')) {
      figuresByMeasure.set(subject.measure.id, [...(figuresByMeasure.get(subject.measure.id) ?? []), change]);
    }
  }
  // Computed MSG positions moved by new figures are changes too ("published or computed").
  for (const [measureId, changes] of figuresByMeasure) {
    const subject = subjectOf(store, { kind: 'measure', id: measureId })!;
    const move = computedMsgMove(store, subject.measure!, changes);
    if (!move) continue;
    const latest = changes.reduce((a, b) => (Date.parse(b.last.at) >= Date.parse(a.last.at) ? b : a));
    const movement = rankMovement(subject.measure!, move.before, move.after, 'computed MSG position');
    rows.push(
      toRow(
        subject,
        latest,
        { from: computedBenchmarkText(move.before), to: computedBenchmarkText(move.after) },
        movement,
        'msg',
      ),
    );
  }

  rows.sort((a, b) => a.order - b.order || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.atMs - b.atMs);
  const changes: DigestChange[] = rows.map(({ order: _order, atMs: _atMs, ...change }) => change);

  // One line per measure, so one busy measure cannot fill the headline, naming all its movements.
  const movementsByMeasure = new Map<string, Movement[]>();
  for (const c of changes) {
    if (!c.movement || !c.measureId) continue;
    movementsByMeasure.set(c.measureId, [...(movementsByMeasure.get(c.measureId) ?? []), c.movement]);
  }
  const headline = headlineOrder([...movementsByMeasure.values()].map(measureHeadline)).map((line) => line.text);

  const stale = staleMeasures(store, window.until);
  const measures = allMeasures(store);
  const changedMeasureIds = measures.map((m) => m.id).filter((id) => changes.some((c) => c.measureId === id));
  return {
    since: isoInZone(window.since, zone),
    until: isoInZone(window.until, zone),
    zone,
    headline,
    changes,
    stale,
    allStale: measures.length > 0 && stale.length === measures.length,
    quiet: changes.length === 0,
    changedMeasureIds,
  };
}

/** The shape of `measures digest --json`: stable field names, because scripts read them. */
export function digestJson(d: Digest) {
  return {
    since: d.since,
    until: d.until,
    headline: d.headline,
    changes: d.changes.map((c) => ({
      priority: c.priority,
      measure: c.measure,
      kind: c.kind,
      from: c.from,
      to: c.to,
      by: c.by,
      at: c.at,
      link: c.link,
    })),
    stale: d.stale.map((s) => ({ measure: s.measure, latestPeriod: s.latestPeriod, expectedEvery: s.expectedEvery })),
  };
}
