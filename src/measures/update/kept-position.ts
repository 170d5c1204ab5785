// "msg: 7th" changes only the rank: the group size and relation come from the position the
// measure holds. They can only be kept from a published position out of the group's size.
import type { Measure } from '../../store/index.ts';
import type { MsgPosition } from './types.ts';

/** The measure's position with a new rank, or why a rank alone cannot be applied to it. */
export function withKeptPosition(
  measure: Pick<Measure, 'title' | 'benchmark'>,
  rank: number,
  groupSize: number,
): { ok: true; value: MsgPosition } | { ok: false; reason: string } {
  const current = measure.benchmark;
  if (current.status !== 'published') {
    const reason =
      `${measure.title} has no published MSG position to keep the group size and relation from; ` +
      `write the whole position, e.g. "${rank}/${groupSize} above"`;
    return { ok: false, reason };
  }
  if (current.of !== groupSize) {
    const reason =
      `${measure.title}'s MSG position is out of ${current.of}, but the most similar group has ${groupSize} forces; ` +
      `write the whole position, e.g. "${rank}/${groupSize} ${current.relation}"`;
    return { ok: false, reason };
  }
  return { ok: true, value: { rank, of: current.of, relation: current.relation } };
}
