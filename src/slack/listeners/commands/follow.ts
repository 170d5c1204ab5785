// `/measures follow <measure or priority>`, `/measures unfollow <…>` and `/measures following`.
// All replies are private. The name is resolved as an update's is: a write needs a sure match,
// so a tentative one is answered with the choices instead.
import { follow, unfollow, type FollowTarget } from '../../../measures/follow-edit.ts';
import { resolveUpdateTarget } from '../../../measures/update-target.ts';
import { replyPrivately } from '../../post-answer.ts';
import { escapeMrkdwn } from '../../views/block-kit.ts';
import { plainMessage } from '../../views/ephemeral-blocks.ts';
import { followChangeMessage, followingMessage } from '../../views/follow-blocks.ts';
import type { CommandRequest } from './index.ts';

function unresolvedText(verb: string, name: string, r: Exclude<ReturnType<typeof resolveUpdateTarget>, { ok: true }>) {
  const quoted = `“${escapeMrkdwn(name.slice(0, 200))}”`;
  switch (r.reason) {
    case 'ambiguous':
      return `${quoted} could be: ${r.candidates.map((c) => escapeMrkdwn(c.title)).join('; ')}. Use a fuller name.`;
    case 'not-found':
      if (r.tooLong) return 'That name is too long. Name the measure in a few words, e.g. `robbery`.';
      return (
        `No measure or priority matches ${quoted}.` +
        (r.candidates.length ? ` Did you mean: ${r.candidates.map((c) => escapeMrkdwn(c.title)).join('; ')}?` : '')
      );
    case 'glossary':
      return `${quoted} is a glossary term, which has no figures to follow.`;
    case 'unnamed':
      return `\`/measures ${verb} <measure or priority>\`, e.g. \`/measures ${verb} robbery\`.`
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;');
  }
}

async function change(request: CommandRequest, action: 'follow' | 'unfollow'): Promise<void> {
  const { deps, command, respond, log } = request;
  const name = request.args.trim();
  const resolved = resolveUpdateTarget(deps.store.snapshot(), name);
  if (!resolved.ok) {
    await replyPrivately(request, respond, plainMessage(unresolvedText(action, name, resolved)));
    return;
  }
  const target: FollowTarget = resolved.target;
  const user = command.user_id;
  const now = deps.now();
  const outcome = await deps.store.mutate((draft) =>
    action === 'follow' ? follow(draft, user, target, now) : unfollow(draft, user, target, now),
  );
  log.info(`${user} ${action}ed ${target.kind} ${target.id}${outcome.changed ? '' : ' (no change)'}`);
  await replyPrivately(
    request,
    respond,
    followChangeMessage({ target, title: resolved.title, action, changed: outcome.changed }),
  );
}

export const followCommand = (request: CommandRequest) => change(request, 'follow');
export const unfollowCommand = (request: CommandRequest) => change(request, 'unfollow');

export async function followingCommand(request: CommandRequest): Promise<void> {
  await replyPrivately(
    request,
    request.respond,
    followingMessage(request.deps.store.snapshot(), request.command.user_id),
  );
}
