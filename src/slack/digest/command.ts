// `/measures digest` previews the digest for the asker; `/measures digest now` lets an analyst
// post it at once, under the same exactly-once key as the scheduled post (this ISO week).
import { DateTime } from 'luxon';
import { buildDigest } from '../../digest/build.ts';
import { isoWeekOf, weekKey } from '../../digest/schedule.ts';
import { DEFAULT_TIMEZONE } from '../../digest/settings.ts';
import { defaultSince } from '../../digest/window.ts';
import { replyPrivately } from '../post-answer.ts';
import type { CommandRequest } from '../listeners/commands/index.ts';
import { slackErrorReason } from '../slack-errors.ts';
import { type Block, context, escapeMrkdwn, LIMITS } from '../views/block-kit.ts';
import { plainMessage } from '../views/ephemeral-blocks.ts';
import { digestMessages } from './blocks.ts';
import { deliverDigest } from './delivery.ts';
import { resolveLinks } from './slack-io.ts';
import { setPersonalDigest } from '../followers/personal-digest.ts';

export const DIGEST_USAGE =
  "`/measures digest` previews this week's digest for you; " +
  '`/measures digest now` posts it in the digest channel (analysts; once a week); ' +
  '`/measures digest off` / `on` stops or restarts your own weekly DM of what you follow.';

export async function digestCommand(request: CommandRequest): Promise<void> {
  const args = request.args.trim().toLowerCase();
  if (args === '') return preview(request);
  if (args === 'now') return postNow(request);
  if (args === 'off' || args === 'on') return personalSetting(request, args === 'on');
  await replyPrivately(request, request.respond, plainMessage(DIGEST_USAGE));
}

async function preview(request: CommandRequest): Promise<void> {
  const { deps, client, log } = request;
  const zone = deps.digest?.settings.zone ?? DEFAULT_TIMEZONE;
  const now = deps.now();
  const store = deps.store.snapshot();
  let digest = buildDigest(store, { since: defaultSince(store, now), until: now, zone });
  digest = await resolveLinks(client, digest, (m) => log.warn(m));
  const { main } = digestMessages(digest, { preview: true });
  const blocks: Block[] = [
    ...main.blocks,
    context('_Preview: only you can see this. Nothing is posted or marked sent._'),
  ];
  await replyPrivately(request, request.respond, { text: main.text, blocks: blocks.slice(-LIMITS.blocks) });
}

async function personalSetting(request: CommandRequest, on: boolean): Promise<void> {
  const user = request.command.user_id;
  const changed = await request.deps.store.mutate((draft) => setPersonalDigest(draft, user, on));
  request.log.info(`${user} turned their weekly digest DM ${on ? 'on' : 'off'}${changed ? '' : ' (no change)'}`);
  const text = on
    ? 'Your weekly digest DM is on: each week you get the changes to the measures you follow.'
    : 'Your weekly digest DM is off. Follower DMs about each change still come; `/measures digest on` restarts it.';
  await replyPrivately(request, request.respond, plainMessage(text));
}

async function postNow(request: CommandRequest): Promise<void> {
  const { deps, client, command, log } = request;
  const runtime = deps.digest;
  const channel = runtime?.settings.channel;
  if (!runtime || !channel) {
    await replyPrivately(
      request,
      request.respond,
      plainMessage('The weekly digest is off: `DIGEST_CHANNEL` is not set for this bot.'),
    );
    return;
  }
  let allowed = false;
  try {
    // The same analysts who may update measures, with the same cached group lookup.
    allowed = (await deps.analysts.check(command.user_id, client)).analyst;
  } catch (err) {
    log.error('checking the analyst group failed', err);
  }
  if (!allowed) {
    await replyPrivately(
      request,
      request.respond,
      plainMessage('Only analysts can post the digest. `/measures digest` shows you a preview.'),
    );
    return;
  }
  const now = runtime.delivery.now();
  const week = weekKey(isoWeekOf(DateTime.fromJSDate(now), runtime.settings.zone));
  log.info(`${command.user_id} asked to post the digest for ${week} now`);
  const result = await deliverDigest({ ...runtime.delivery, store: deps.store }, { channel, week });
  const where = `<#${escapeMrkdwn(channel)}>`;
  const link = async (ts: string | null) => {
    if (!ts) return '';
    try {
      const res = await client.chat.getPermalink({ channel, message_ts: ts });
      return res.permalink ? ` <${res.permalink}|Open it>.` : '';
    } catch (err) {
      log.warn(`permalink for the digest failed: ${slackErrorReason(err)}`);
      return '';
    }
  };
  switch (result.outcome) {
    case 'posted':
      await replyPrivately(
        request,
        request.respond,
        plainMessage(`Posted this week's digest (${week}) in ${where}.${await link(result.ts)}`),
      );
      return;
    case 'already-sent':
      await replyPrivately(
        request,
        request.respond,
        plainMessage(
          `This week's digest (${week}) is already in ${where}; it is posted once a week.${await link(result.ts)}`,
        ),
      );
      return;
    case 'in-flight':
      await replyPrivately(
        request,
        request.respond,
        plainMessage(`This week's digest (${week}) is being posted to ${where} right now.`),
      );
      return;
    case 'failed':
      await replyPrivately(
        request,
        request.respond,
        plainMessage(`The digest could not be posted to ${where}: ${escapeMrkdwn(result.reason)}.`),
      );
      return;
  }
}
