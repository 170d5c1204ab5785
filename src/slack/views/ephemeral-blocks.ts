// Block Kit for replies only the asker sees: usage, the list, choices, definitions, history,
// and the fallbacks when the bot cannot post in the channel.
import type { Answer } from '../../measures/answer.ts';
import type { EntityRef } from '../../measures/resolve.ts';
import { formatAnswerText, USAGE_TEXT } from '../../measures/format-text.ts';
import { MAX_QUESTION_CHARS } from '../../measures/normalize.ts';
import { formatNumber } from '../../measures/wording.ts';
import { answerBlocks, answerFallbackText, type AnswerBlockOptions, type PostedAnswer } from './answer-blocks.ts';
import {
  type Block,
  context,
  escapeMrkdwn,
  fitBlocks,
  fitLines,
  LIMITS,
  safeText,
  section,
  type SlackMessage,
} from './block-kit.ts';

/** Buttons carry the chosen entity; a click posts its answer (listeners/actions). */
export const PICK_ACTION_PREFIX = 'measures_pick';
export const PICK_ACTION_PATTERN = /^measures_pick_\d+$/;

/**
 * Escaped: Slack reads `<question>` as a link or mention even inside backticks, so the
 * placeholders must go out as `&lt;question&gt;` to show as typed.
 */
export const SLASH_USAGE = escapeMrkdwn(
  [
    '`/measures <question>` posts the answer in this channel, with its chart and a thread for analysts.',
    '`/measures list` shows every priority and its measures; `/measures history <measure>` shows recent changes.',
    '`/measures update <measure> <update>` changes a measure (analysts); ' +
      "reply `help` in an answer's thread for the update syntax, or press the answer's Update button for a form.",
    '`/measures follow <measure>` DMs you when it changes; `unfollow`, `following` and `digest off|on` too.',
    '`/measures digest` previews the weekly digest; `/measures digest now` posts it (analysts).',
    '`/measures scorecard` posts one image of every measure; the bot’s Home tab shows the same to you.',
    "`/measures report` posts this quarter's report as a PDF (once per channel every 5 minutes).",
    'In a direct message to the bot, type the same words without `/measures`.',
  ].join('\n'),
);

export function helpMessage(): SlackMessage {
  const text = `${escapeMrkdwn(USAGE_TEXT)}\n${SLASH_USAGE}`;
  return { text, blocks: [section(text)] };
}

export function listMessage(answer: Extract<Answer, { kind: 'list' }>): SlackMessage {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'Priorities and measures' } }];
  for (const p of answer.priorities.slice(0, 40)) {
    const lines = p.measures.map((m) => `• ${escapeMrkdwn(m.title)}: ${escapeMrkdwn(m.trend)}`);
    blocks.push(section(`*${escapeMrkdwn(p.title)}*\n${fitLines(lines, 2800, 20).join('\n')}`));
  }
  if (answer.priorities.length > 40) blocks.push(section(`…and ${answer.priorities.length - 40} more priorities`));
  return { text: escapeMrkdwn(formatAnswerText(answer)).slice(0, 3000), blocks: fitBlocks(blocks) };
}

export function pickButtons(refs: EntityRef[]): Block {
  return {
    type: 'actions',
    block_id: 'measures_pick',
    elements: refs.slice(0, 5).map((ref, i) => ({
      type: 'button' as const,
      action_id: `${PICK_ACTION_PREFIX}_${i}`,
      text: { type: 'plain_text' as const, text: safeText(ref.title, LIMITS.buttonText) },
      value: JSON.stringify({ kind: ref.kind, id: ref.id }),
    })),
  };
}

const ASK_BRIEFLY = 'Ask in a few words, for example `/measures robbery`; `/measures list` shows every measure.';

/** A question longer than any question is read. */
export function tooLongMessage(tooLong: { chars: number; limit: number }): SlackMessage {
  const text =
    `That question is too long (${formatNumber(tooLong.chars)} characters); ` +
    `questions are read up to ${formatNumber(tooLong.limit)}. ${ASK_BRIEFLY}`;
  return { text, blocks: [section(text)] };
}

/** A /measures so large it was answered without being read (request-guard.ts). */
export function oversizedCommandMessage(bytes: number): SlackMessage {
  const text =
    `That was too long for \`/measures\` (${formatNumber(bytes / 1_000_000)} MB), so it was not read. ` +
    `Questions are read up to ${formatNumber(MAX_QUESTION_CHARS)} characters. ${ASK_BRIEFLY}`;
  return { text, blocks: [section(text)] };
}

export function choiceMessage(answer: Extract<Answer, { kind: 'ambiguous' | 'not-found' }>): SlackMessage {
  if (answer.kind === 'not-found' && answer.tooLong) return tooLongMessage(answer.tooLong);
  const query = safeText(answer.query, 200);
  const intro =
    answer.kind === 'ambiguous'
      ? `“${query}” could mean more than one thing. Which one?`
      : `Nothing matches “${query}”.` +
        (answer.candidateRefs.length ? ' Did you mean one of these?' : ' Try `/measures list` to see every measure.');
  const blocks: Block[] = [section(intro)];
  if (answer.candidateRefs.length) blocks.push(pickButtons(answer.candidateRefs));
  return { text: escapeMrkdwn(formatAnswerText(answer)), blocks };
}

export function glossaryMessage(answer: Extract<Answer, { kind: 'glossary' }>): SlackMessage {
  const g = answer.glossary;
  const blocks: Block[] = [section(`*${escapeMrkdwn(g.term)}*: ${escapeMrkdwn(g.definition)}`)];
  if (g.relatedRefs.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Related — click to post the answer in this channel:' }],
    });
    blocks.push(pickButtons(g.relatedRefs.filter((r) => r.kind !== 'glossary')));
  }
  return {
    text: escapeMrkdwn(formatAnswerText(answer)),
    blocks: fitBlocks(blocks.filter((b) => b.type !== 'actions' || b.elements.length > 0)),
  };
}

/**
 * The full answer as text, for where the bot cannot post (not a member, private channel, DM).
 * Block Kit sections are limited to 3,000 characters, so long answers are split across them.
 */
export function textAnswerMessage(answer: Answer, hint: string): SlackMessage {
  const full = escapeMrkdwn(formatAnswerText(answer));
  const chunks: string[] = [];
  let rest = full;
  while (rest.length > 0 && chunks.length < 8) {
    let cut = rest.length <= 2900 ? rest.length : rest.lastIndexOf('\n', 2900);
    if (cut <= 0) cut = 2900;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  const blocks: Block[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] },
    ...chunks.map((c) => section(c)),
  ];
  return { text: `${hint}\n\n${full}`, blocks: fitBlocks(blocks) };
}

export function notInChannelHint(channelKind: 'not_in_channel' | 'channel_not_found'): string {
  return channelKind === 'not_in_channel'
    ? ':information_source: I’m not a member of this channel, so here is the answer just for you. ' +
        'Invite me with `/invite @Measures` to post answers with charts here.'
    : ':information_source: I can’t post in this conversation (a private channel or a DM I’m not part of), ' +
        'so here is the answer just for you. Invite me with `/invite @Measures` to post answers with charts here.';
}

export function apologyMessage(reason: string, answer?: Answer): SlackMessage {
  const head = `:warning: Sorry, I couldn’t post the answer in the channel (${safeText(reason, 200)}).`;
  if (!answer) return { text: head, blocks: [section(head)] };
  return textAnswerMessage(answer, `${head} Here it is just for you.`);
}

/** Already-escaped mrkdwn as one section. */
export function plainMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * A measure or priority answer for the asker only (the bot cannot post where it was asked): the
 * same glanceable blocks as in a channel, without the chart (an ephemeral message cannot show the
 * channel's file), and with the same buttons, whose replies are private too.
 */
export function privateAnswerMessage(
  answer: PostedAnswer,
  hint: string,
  report: AnswerBlockOptions['report'],
): SlackMessage {
  const blocks: Block[] = [context(hint), ...answerBlocks(answer, { chart: { state: 'omitted' }, report })];
  return { text: `${hint}\n\n${answerFallbackText(answer)}`, blocks: fitBlocks(blocks) };
}
