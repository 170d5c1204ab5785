// Plain-text descriptions of change-log entries, e.g. "Trend: Stable → Moderate reduction".
// Not escaped: Slack presenters escape, the CLI prints as is.
import { findMeasure, findPriority } from '../../store/index.ts';
import type { Action, Benchmark, ChangeEntry, Comment, Store, Trend } from '../../store/index.ts';
import { ordinal } from '../wording.ts';

const MAX_TEXT = 160;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

const relationWords = (relation: 'above' | 'below' | 'similar') =>
  relation === 'similar' ? 'similar to average' : `${relation} average`;

export function describeBenchmark(b: Benchmark | null | undefined): string {
  if (!b) return 'none';
  if (b.status === 'not-available') return 'not available';
  return `${ordinal(b.rank)} of ${b.of} (${relationWords(b.relation)})`;
}

/**
 * For "msg: 7th", which gives only a rank: the confirmation names what was kept, so an analyst
 * who meant a different relation sees it at once.
 */
export function describeKeptPosition(entry: ChangeEntry): string | null {
  const b = entry.after as Benchmark | null;
  if (!b || b.status !== 'published') return null;
  return `kept "of ${b.of}" and "${relationWords(b.relation)}" from the previous position`;
}

function forceName(store: Store, slug: string): string {
  return store.msg.forces.find((f) => f.slug === slug)?.name ?? slug;
}

function subjectTitle(store: Store, entry: ChangeEntry): string {
  if (entry.target.kind === 'measure') return findMeasure(store, entry.target.id)?.measure.title ?? entry.target.id;
  return findPriority(store, entry.target.id)?.title ?? entry.target.id;
}

/** What an entry is about, for sentences such as "… has been changed since". */
export function fieldPhrase(store: Store, entry: ChangeEntry): string {
  const title = subjectTitle(store, entry);
  const [kind, a, b] = entry.field.split(':');
  switch (kind) {
    case 'trend':
      return `the trend of ${title}`;
    case 'benchmark':
      return `the MSG position of ${title}`;
    case 'value':
      return `the ${a} value of ${title}`;
    case 'peer':
      return `${forceName(store, a!)}'s ${b} value of ${title}`;
    case 'action': {
      const action = (entry.after ?? entry.before) as Action | null;
      return `the action "${clip(action?.text ?? '')}"`;
    }
    case 'comment':
      return `the comment "${clip((entry.after as Comment | null)?.text ?? '')}"`;
    default:
      return `${entry.field} of ${title}`;
  }
}

/** Update entries record points and peer values; import entries record bare numbers. */
const num = (v: unknown): string => {
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number')
    return String((v as { value: number }).value);
  return 'none';
};

function describeSeriesSummary(v: unknown): string {
  if (!v || typeof v !== 'object') return 'none';
  const s = v as { source?: unknown; points?: unknown };
  const points = Array.isArray(s.points) ? s.points.length : s.points;
  return `${String(s.source ?? '?')} (${String(points ?? '?')} points)`;
}

/**
 * One line per entry. withSubject prefixes the measure or priority title, for messages that
 * name several measures (priority and digest threads) and for history listings.
 */
export function describeChange(store: Store, entry: ChangeEntry, options: { withSubject?: boolean } = {}): string {
  const text = describeField(store, entry);
  const undo = entry.undoes ? 'Undone: ' : '';
  return options.withSubject ? `${subjectTitle(store, entry)}: ${undo}${text}` : `${undo}${text}`;
}

function describeField(store: Store, entry: ChangeEntry): string {
  const [kind, a, b] = entry.field.split(':');
  const unit = entry.target.kind === 'measure' ? findMeasure(store, entry.target.id)?.measure.unit : undefined;
  const withUnit = (s: string) => (unit && s !== 'none' ? `${s} ${unit}` : s);
  switch (kind) {
    case 'trend': {
      const before = (entry.before as Trend | null)?.label ?? 'none';
      const after = (entry.after as Trend | null)?.label ?? 'none';
      return before === after ? `Trend: ${after} (unchanged, re-dated)` : `Trend: ${before} → ${after}`;
    }
    case 'benchmark':
      return (
        `MSG position: ${describeBenchmark(entry.before as Benchmark | null)} → ` +
        `${describeBenchmark(entry.after as Benchmark | null)}`
      );
    case 'value':
      return `Value ${a}: ${num(entry.before)} → ${withUnit(num(entry.after))}`;
    case 'peer':
      return `${forceName(store, a!)} ${b}: ${num(entry.before)} → ${withUnit(num(entry.after))}`;
    case 'series':
      return `Series: ${describeSeriesSummary(entry.before)} → ${describeSeriesSummary(entry.after)}`;
    case 'ons':
      return `ONS rolling year to ${a}: ${num(entry.before)} → ${num(entry.after)}`;
    case 'action': {
      if (a === 'done') {
        const action = (entry.after ?? entry.before) as Action;
        return (entry.after as Action | null)?.done
          ? `Action done: ${clip(action.text)}`
          : `Action reopened: ${clip(action.text)}`;
      }
      const action = (entry.after ?? entry.before) as Action;
      const details = [action.owner ? `owner ${action.owner}` : null, action.due ? `due ${action.due}` : null].filter(
        Boolean,
      );
      const verb = entry.after ? 'Action added' : 'Action removed';
      return `${verb}: ${clip(action.text)}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
    }
    case 'comment': {
      const comment = (entry.after ?? entry.before) as Comment;
      return `${entry.after ? 'Comment added' : 'Comment removed'}: ${clip(comment.text)}`;
    }
    default:
      return clip(
        `${entry.field}: ${JSON.stringify(entry.before) ?? 'none'} → ${JSON.stringify(entry.after) ?? 'none'}`,
      );
  }
}
