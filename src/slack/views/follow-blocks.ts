// Private replies about following: the new state after a command or a click, with an Undo
// button, and the list of what someone follows. Pure.
import type { Store } from '../../store/index.ts';
import { followedMeasureIds } from '../../measures/follows.ts';
import type { FollowTarget } from '../../measures/follow-edit.ts';
import { type Block, context, escapeMrkdwn, fitLines, section, type SlackMessage } from './block-kit.ts';

export const FOLLOW_ACTION = 'answer_follow';
export const FOLLOW_UNDO_ACTION = 'follow_undo';

export interface FollowChange {
  target: FollowTarget;
  title: string;
  /** What was done: the Undo button does the opposite. */
  action: 'follow' | 'unfollow';
  changed: boolean;
}

/** The value the Undo button carries: the target and the action that undoes this one. */
export function undoValue(change: FollowChange): string {
  return JSON.stringify({ ...change.target, undo: change.action === 'follow' ? 'unfollow' : 'follow' });
}

export function followChangeMessage(change: FollowChange, options: { undo: boolean } = { undo: true }): SlackMessage {
  const title = `*${escapeMrkdwn(change.title)}*`;
  const what = change.target.kind === 'priority' ? 'its measures' : 'it';
  let text: string;
  if (change.action === 'follow')
    text = change.changed
      ? `You now follow ${title}. You will get a DM when ${what} change.`
      : `You already follow ${title}.`;
  else
    text = change.changed
      ? `You no longer follow ${title}. No more DMs about ${what}.`
      : `You were not following ${title}.`;
  const blocks: Block[] = [section(text)];
  if (options.undo && change.changed)
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Undo' },
          action_id: FOLLOW_UNDO_ACTION,
          value: undoValue(change),
        },
      ],
    });
  return { text: text.replace(/\*/g, ''), blocks };
}

/** `/measures following`: the measures followed now, with the priorities followed whole. */
export function followingMessage(store: Store, user: string): SlackMessage {
  const ids = new Set(followedMeasureIds(store, user));
  const priorities = store.follows
    .filter((f) => f.user === user && f.mode === 'follow' && f.target.kind === 'priority')
    .map((f) => store.priorities.find((p) => p.id === f.target.id)?.title)
    .filter((t): t is string => Boolean(t));
  if (ids.size === 0)
    return {
      text: 'You follow no measures.',
      blocks: [
        section('You follow no measures. `/measures follow robbery` follows one; a priority follows all its measures.'),
      ],
    };
  const lines: string[] = [];
  for (const p of store.priorities)
    for (const m of p.measures) if (ids.has(m.id)) lines.push(`• ${escapeMrkdwn(m.title)}`);
  const blocks: Block[] = [
    section(`*You follow ${ids.size} measure${ids.size === 1 ? '' : 's'}*\n${fitLines(lines, 2800).join('\n')}`),
  ];
  if (priorities.length)
    blocks.push(context(`Whole priorities (new measures included): ${priorities.map(escapeMrkdwn).join('; ')}`));
  const digestOff = store.personalDigests.off.includes(user);
  blocks.push(
    context(
      digestOff
        ? 'Your weekly digest DM is off (`/measures digest on` turns it on).'
        : 'You also get a weekly digest DM of these (`/measures digest off` stops it).',
    ),
  );
  return { text: `You follow ${ids.size} measures.`, blocks };
}
