// Which measure or priority an analyst's update (or a history query) names. One resolver for
// every edge: the CLI's update and history, and Slack's /measures update. Each edge words the
// failures itself (plain text with ids for the CLI, escaped mrkdwn for Slack).
import type { Store } from '../store/index.ts';
import { resolveQuery, type EntityRef, type TooLong } from './resolve.ts';
import type { UpdateTarget } from './update/types.ts';

/** An update names one measure or one priority; the digest is reached only from its own thread. */
export type NamedTarget = Extract<UpdateTarget, { kind: 'measure' | 'priority' }>;

export type UpdateTargetResolution =
  | { ok: true; target: NamedTarget; title: string }
  /** Several fit about as well. */
  | { ok: false; reason: 'ambiguous'; candidates: EntityRef[] }
  /** None fits: the closest if any, or the name was too long to read. */
  | { ok: false; reason: 'not-found'; candidates: EntityRef[]; tooLong?: TooLong }
  /** It names a glossary term, which has no figures to update. */
  | { ok: false; reason: 'glossary' }
  /** It names nothing: empty, or it reads as asking for help or the list. */
  | { ok: false; reason: 'unnamed' };

/**
 * A measure or priority by id or exact title first, so scripts and quoted names are never
 * second-guessed; then as officers would name it, through resolveQuery.
 */
export function resolveUpdateTarget(store: Store, name: string): UpdateTargetResolution {
  const wanted = name.trim().toLowerCase();
  for (const priority of store.priorities) {
    if (priority.id === wanted || priority.title.toLowerCase() === wanted) {
      return { ok: true, target: { kind: 'priority', id: priority.id }, title: priority.title };
    }
    for (const measure of priority.measures) {
      if (measure.id === wanted || measure.title.toLowerCase() === wanted) {
        return { ok: true, target: { kind: 'measure', id: measure.id }, title: measure.title };
      }
    }
  }
  const resolved = resolveQuery(store, name);
  switch (resolved.kind) {
    case 'measure':
    case 'priority':
      // A question may be answered from a weak match, but a write may not: the analyst is asked
      // for a fuller name, as when several measures fit.
      if (resolved.tentative) return { ok: false, reason: 'ambiguous', candidates: [resolved.ref] };
      return { ok: true, target: { kind: resolved.kind, id: resolved.ref.id }, title: resolved.ref.title };
    case 'ambiguous':
      return { ok: false, reason: 'ambiguous', candidates: resolved.candidates };
    case 'not-found':
      return { ok: false, reason: 'not-found', candidates: resolved.candidates, tooLong: resolved.tooLong };
    case 'glossary':
      return { ok: false, reason: 'glossary' };
    case 'help':
    case 'list':
      return { ok: false, reason: 'unnamed' };
  }
}
