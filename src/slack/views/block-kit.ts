// Block Kit for every message the bot sends (answers, private replies, history, updates and
// the digest): text safety, the limits, and the common blocks already within them.
//
// Text safety: Slack treats only &, < and > as control characters. Escaping them turns a
// typed or stored `<!channel>` into literal text, so nothing from a user or the store can
// become a mention, a link or a broadcast.
//
// Limits (Slack's docs: 50 blocks a message, section text 3,000, header 150) and the
// undocumented aggregate limit: msg_blocks_too_long appeared at ~13.2k characters of text in
// bolt-js#2509, so a message is kept under 12,000. Builders budget their own lists; fitBlocks
// is the last guard, so a surprising store can never make Slack refuse an answer.
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;

/** What chat.postMessage, chat.update and respond() take: notification text and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  buttonText: 75,
  altText: 2000,
  totalText: 12_000,
} as const;

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * An action line escaped for mrkdwn, except that a user picked as its owner (stored as
 * `<@U…>`) shows as a mention, as the update form promises. Only a user id after "owner:" is
 * let through: it names one person, and @channel, @here and links stay escaped.
 */
export function escapeActionLine(text: string): string {
  return escapeMrkdwn(text).replace(/(owner: [^()]*?)&lt;@([UW][A-Z0-9]{2,20})&gt;/g, '$1<@$2>');
}

/**
 * Cuts already-escaped text to at most `max` characters, ending with "…". Never cuts an
 * entity such as `&amp;` in half (a half entity would show as raw text).
 */
export function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && amp >= cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** `<@U…>` for a Slack user ID; anything else (e.g. "import") is shown as escaped text, never as markup. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/** Escape, then fit. */
export function safeText(text: string, max: number): string {
  return truncateEscaped(escapeMrkdwn(text), max);
}

/**
 * Lines that fit in `maxChars` (joined by newlines) and at most `maxItems`; when some are
 * left out the last line says "…and N more". Lines must already be escaped.
 */
export function fitLines(lines: string[], maxChars: number, maxItems = Number.POSITIVE_INFINITY): string[] {
  const kept: string[] = [];
  let used = 0;
  const moreLine = (n: number) => `…and ${n} more`;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const remaining = lines.length - i - 1;
    const reserve = remaining > 0 ? moreLine(remaining).length + 1 : 0;
    if (kept.length >= maxItems || used + line.length + 1 + reserve > maxChars) {
      // A single overlong first line is shortened rather than dropped.
      if (kept.length === 0) {
        const room = maxChars - (lines.length > 1 ? moreLine(lines.length - 1).length + 1 : 0);
        kept.push(truncateEscaped(line, Math.max(20, room)));
        if (lines.length > 1) kept.push(moreLine(lines.length - 1));
        return kept;
      }
      kept.push(moreLine(lines.length - i));
      return kept;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

/** A mrkdwn text object of already-escaped text. */
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/** One mrkdwn section of already-escaped text, cut to the section limit. */
export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(text, LIMITS.sectionText) } };
}

/** A header of plain text (escaped), cut to the header limit. */
export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: safeText(text, LIMITS.headerText) } };
}

/** A context line (or up to ten side by side) of already-escaped mrkdwn, each cut to fit. */
export function context(lines: string | string[]): Block {
  const elements = (typeof lines === 'string' ? [lines] : lines).slice(0, LIMITS.contextElements);
  return { type: 'context', elements: elements.map((l) => mrkdwn(truncateEscaped(l, LIMITS.contextText))) };
}

/** A file shared in the conversation, shown as an image; alt text and title are escaped and cut to fit. */
export function imageBlock(fileId: string, altText: string, title: string): Block {
  return {
    type: 'image',
    slack_file: { id: fileId },
    alt_text: safeText(altText, LIMITS.altText),
    title: { type: 'plain_text', text: safeText(title, 200) },
  };
}

function textLength(block: Block): number {
  // The JSON length over-counts a little (keys, quotes), which errs on the safe side.
  return JSON.stringify(block).length;
}

function clampBlock(block: Block): Block {
  if (block.type === 'header')
    return { ...block, text: { ...block.text, text: truncateEscaped(block.text.text, LIMITS.headerText) } };
  if (block.type === 'section' && block.text)
    return { ...block, text: { ...block.text, text: truncateEscaped(block.text.text, LIMITS.sectionText) } };
  if (block.type === 'context') return { ...block, elements: block.elements.slice(0, LIMITS.contextElements) };
  return block;
}

/**
 * Clamps every block and keeps the message within the block count and total size, dropping
 * blocks from the end (before a trailing context line, which carries as-of and source) and
 * saying how many were left out.
 */
export function fitBlocks(blocks: Block[]): Block[] {
  const clamped = blocks.map(clampBlock);
  const last = clamped.at(-1);
  const tail = last?.type === 'context' ? [last] : [];
  const body = tail.length ? clamped.slice(0, -1) : clamped;
  const size = (list: Block[]) => list.reduce((n, b) => n + textLength(b), 0);
  let kept = body;
  let dropped = 0;
  const budget = (n: Block[]) =>
    n.length + tail.length + (dropped ? 1 : 0) <= LIMITS.blocks && size(n) + size(tail) <= LIMITS.totalText - 200;
  while (kept.length > 1 && !budget(kept)) {
    kept = kept.slice(0, -1);
    dropped += 1;
  }
  if (!dropped) return [...kept, ...tail];
  const note: Block = {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `…and ${dropped} more part${dropped === 1 ? '' : 's'} of this answer did not fit in one Slack message.`,
      },
    ],
  };
  return [...kept, note, ...tail];
}
