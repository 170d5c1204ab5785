// The Follow button under every measure and priority answer, and the Undo under its reply.
// A channel message looks the same to everyone, so the button cannot show the clicker's own
// state: it toggles, and the private reply says what it did and offers Undo.
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { follow, toggleFollow, unfollow, type FollowTarget } from '../../../measures/follow-edit.ts';
import { findMeasure, findPriority, type Store } from '../../../store/index.ts';
import type { SlackDeps } from '../../app.ts';
import { replyPrivately } from '../../post-answer.ts';
import { apologyMessage } from '../../views/ephemeral-blocks.ts';
import { FOLLOW_ACTION, FOLLOW_UNDO_ACTION, followChangeMessage } from '../../views/follow-blocks.ts';
import { afterClickAck, BESIDE } from './click.ts';

type FollowClickArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

interface Parsed {
  target: FollowTarget;
  /** Undo only: the action that undoes the earlier one. */
  undo?: 'follow' | 'unfollow';
}

function parse(value: string | undefined): Parsed | null {
  try {
    const v = JSON.parse(value ?? '') as { kind?: unknown; id?: unknown; undo?: unknown };
    if ((v.kind !== 'measure' && v.kind !== 'priority') || typeof v.id !== 'string') return null;
    const undo = v.undo === 'follow' || v.undo === 'unfollow' ? v.undo : undefined;
    return { target: { kind: v.kind, id: v.id }, ...(undo ? { undo } : {}) };
  } catch {
    return null; // a value we did not write
  }
}

function titleOf(store: Store, target: FollowTarget): string | null {
  return target.kind === 'measure'
    ? (findMeasure(store, target.id)?.measure.title ?? null)
    : (findPriority(store, target.id)?.title ?? null);
}

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: FOLLOW_ACTION }, (args) =>
    clicked(deps, args, false),
  );
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: FOLLOW_UNDO_ACTION }, (args) =>
    clicked(deps, args, true),
  );
}

async function clicked(deps: SlackDeps, args: FollowClickArgs, isUndo: boolean): Promise<void> {
  const { body, action, respond } = args;
  await afterClickAck(deps, args, 'Follow button', async (log) => {
    const parsed = parse(action.value);
    const title = parsed ? titleOf(deps.store.snapshot(), parsed.target) : null;
    if (!parsed || !title || (isUndo && !parsed.undo)) {
      await replyPrivately({ log }, respond, apologyMessage('that measure is no longer in the store'), BESIDE);
      return;
    }
    const user = body.user.id;
    const now = deps.now();
    const { target, undo } = parsed;
    const outcome = await deps.store.mutate((draft) => {
      if (!undo) return toggleFollow(draft, user, target, now);
      const result = undo === 'follow' ? follow(draft, user, target, now) : unfollow(draft, user, target, now);
      return { ...result, action: undo };
    });
    log.info(`${user} ${isUndo ? 'undid: ' : ''}${outcome.action}ed ${target.kind} ${target.id}`);
    // The Undo reply replaces the message it was clicked in: one private note, its latest state.
    await replyPrivately(
      { log },
      respond,
      followChangeMessage({ target, title, action: outcome.action, changed: outcome.changed }),
      { replace_original: isUndo },
    );
  });
}
