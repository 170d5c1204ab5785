// `/measures update <measure> <update text>`: the thread update, outside a thread. Analysts
// only; applied through the same code path (source "slash"); the confirmation or refusal is
// for the author only, and the newest answer about the measure in this channel is redrawn.
import { MAX_QUESTION_CHARS } from '../../../measures/normalize.ts';
import { resolveUpdateTarget } from '../../../measures/update-target.ts';
import { formatNumber } from '../../../measures/wording.ts';
import { applyUpdate, isUpdateMessage, type UpdateTarget } from '../../../measures/update/index.ts';
import type { Store } from '../../../store/index.ts';
import { replyPrivately } from '../../post-answer.ts';
import { escapeMrkdwn, type SlackMessage, truncateEscaped } from '../../views/block-kit.ts';
import {
  STORE_UNAVAILABLE_TEXT,
  confirmationText,
  notAnalystText,
  refusalText,
  updateHelpText,
} from '../../views/update-messages.ts';
import { refreshAfterUpdate } from '../messages/refresh-after-update.ts';
import type { CommandRequest } from './index.ts';

/** Escaped: Slack reads `<measure>` as a link or mention even inside backticks. */
export const UPDATE_USAGE = escapeMrkdwn(
  [
    '`/measures update <measure> <update>`, e.g. `/measures update robbery trend: Moderate reduction`.',
    'Put a name with keywords in it in quotes: `/measures update "action fraud" trend: Stable`.',
  ].join('\n'),
);

const plain = (text: string): SlackMessage => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(text, 2900) } }],
});

type Split = { ok: true; target: UpdateTarget; title: string; text: string } | { ok: false; why: string };

/** A measure or priority by id or exact title, then as officers would name it. */
function resolveTarget(
  store: Store,
  name: string,
): { ok: true; target: UpdateTarget; title: string } | { ok: false; why: string } {
  const r = resolveUpdateTarget(store, name);
  if (r.ok) return r;
  if (r.reason === 'not-found' && r.tooLong)
    return {
      ok: false,
      why:
        `That name is too long (${formatNumber(r.tooLong.chars)} characters). ` +
        `Name the measure in a few words, e.g. \`robbery\`.`,
    };
  const quoted = `“${escapeMrkdwn(name)}”`;
  switch (r.reason) {
    case 'ambiguous':
      return {
        ok: false,
        why: `${quoted} could be: ${r.candidates.map((c) => escapeMrkdwn(c.title)).join('; ')}. Use a fuller name.`,
      };
    case 'not-found': {
      const near = r.candidates.length
        ? ` Did you mean: ${r.candidates.map((c) => escapeMrkdwn(c.title)).join('; ')}?`
        : '';
      return { ok: false, why: `No measure or priority matches ${quoted}.${near}` };
    }
    default:
      return { ok: false, why: `${quoted} is not a measure or priority.` };
  }
}

/**
 * Splits "<name> <update>" where the name may itself hold spaces (and even keywords, as in
 * "Action Fraud Offences"): a quoted name, else a first line followed by update lines, else
 * the first place a keyword starts an update after which the name resolves.
 */
export function splitUpdateArgs(store: Store, args: string): Split {
  const quoted = /^\s*["“]([^"”]+)["”]\s*([\s\S]*)$/.exec(args);
  if (quoted) return withTarget(store, quoted[1]!, quoted[2]!);
  const lineBreak = /\r?\n/.exec(args);
  if (lineBreak && lineBreak.index <= MAX_QUESTION_CHARS) {
    const firstLine = args.slice(0, lineBreak.index);
    const more = args.slice(lineBreak.index + lineBreak[0].length);
    if (!isUpdateMessage(firstLine) && startsAsUpdate(more, 'priority')) return withTarget(store, firstLine, more);
  }

  const starts = /\s(?=(?:trend|msg|value|peer|action|comment|undo)\b)/gi;
  let first: Split | null = null;
  for (let m = starts.exec(args); m; m = starts.exec(args)) {
    // A name is a question's length at most; looking further would only cost time.
    if (m.index > MAX_QUESTION_CHARS) break;
    const name = args.slice(0, m.index).trim();
    const rest = args.slice(m.index + 1);
    if (!name || !startsAsUpdate(rest)) continue;
    const split = withTarget(store, name, rest);
    if (split.ok) return split;
    first ??= split;
  }
  return first ?? { ok: false, why: `Name the measure, then the update.\n${UPDATE_USAGE}` };
}

/**
 * isUpdateMessage on the opening of `text` only: it reads just the first line, and a name
 * and a keyword come early in that, so a megabyte-long update costs no more to recognise.
 */
function startsAsUpdate(text: string, form?: 'priority'): boolean {
  return isUpdateMessage(text.trimStart().slice(0, UPDATE_OPENING_CHARS), form);
}
const UPDATE_OPENING_CHARS = MAX_QUESTION_CHARS + 500;

function withTarget(store: Store, name: string, text: string): Split {
  const resolved = resolveTarget(store, name);
  if (!resolved.ok) return resolved;
  if (!text.trim())
    return { ok: false, why: `What should change for ${escapeMrkdwn(resolved.title)}? ${UPDATE_USAGE}` };
  return { ...resolved, text };
}

export async function updateCommand(request: CommandRequest): Promise<void> {
  const { command, deps, log, client, respond } = request;
  const args = request.args.trim();
  if (!args || /^help\b/i.test(args)) {
    await replyPrivately(request, respond, plain(`${UPDATE_USAGE}\n${updateHelpText('measure')}`));
    return;
  }
  const check = await deps.analysts.check(command.user_id, client);
  if (!check.analyst) {
    log.info(`/measures update from ${command.user_id} refused: ${check.reason}`);
    await replyPrivately(request, respond, plain(notAnalystText(check)));
    return;
  }
  const split = splitUpdateArgs(deps.store.snapshot(), args);
  if (!split.ok) {
    await replyPrivately(request, respond, plain(`Not saved. ${split.why}`));
    return;
  }
  const at = deps.now();
  let result;
  try {
    result = await applyUpdate(deps.store, {
      target: split.target,
      text: split.text,
      author: command.user_id,
      source: { kind: 'slash', channel: command.channel_id },
      // Slack does not retry slash commands; trigger_id is unique per invocation.
      messageId: `slack:slash:${command.channel_id}:${command.trigger_id}`,
      now: at,
    });
  } catch (err) {
    log.error('/measures update could not be saved', err);
    await replyPrivately(request, respond, plain(STORE_UNAVAILABLE_TEXT));
    return;
  }
  if (!result.ok) {
    await replyPrivately(
      request,
      respond,
      plain(`${escapeMrkdwn(split.title)}: ${refusalText(result, 'Type `/measures update help` for the syntax.')}`),
    );
    return;
  }
  log.info(
    `/measures update of ${split.target.kind === 'digest' ? 'digest' : split.target.id} by ${command.user_id}: ` +
      `${result.status} ${result.summary.join('; ')}`,
  );
  await replyPrivately(
    request,
    respond,
    plain(`*${escapeMrkdwn(split.title)}*\n${confirmationText(result, command.user_id)}`),
  );
  if (result.status === 'applied') {
    await refreshAfterUpdate(
      { client, deps, log },
      { channel: command.channel_id, entries: result.entries, author: command.user_id, at },
    );
  }
}
