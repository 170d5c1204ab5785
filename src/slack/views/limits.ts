// Block Kit limits (docs: 50 blocks a message, section text 3,000, header 150) and the
// undocumented aggregate limit: msg_blocks_too_long appeared at ~13.2k characters of text
// in bolt-js#2509, so a message is kept under 12,000. Builders budget their own lists; this
// is the last guard, so a surprising store can never make Slack refuse an answer. section(),
// header() and imageBlock() build the common blocks already within their limits.
import type { types } from '@slack/bolt';
import { safeText, truncateEscaped } from './mrkdwn.ts';

export type Block = types.KnownBlock;

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  altText: 2000,
  totalText: 12_000,
} as const;

/** One mrkdwn section of already-escaped text, cut to the section limit. */
export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateEscaped(text, LIMITS.sectionText) } };
}

/** A header of plain text (escaped), cut to the header limit. */
export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: safeText(text, LIMITS.headerText) } };
}

/** A file shared in the conversation, shown as an image; alt text and title are escaped and cut to fit. */
export function imageBlock(fileId: string, altText: string, title: string): Block {
  return { type: 'image', slack_file: { id: fileId }, alt_text: safeText(altText, LIMITS.altText), title: { type: 'plain_text', text: safeText(title, 200) } };
}

function textLength(block: Block): number {
  // The JSON length over-counts a little (keys, quotes), which errs on the safe side.
  return JSON.stringify(block).length;
}

function clampBlock(block: Block): Block {
  if (block.type === 'header') return { ...block, text: { ...block.text, text: truncateEscaped(block.text.text, LIMITS.headerText) } };
  if (block.type === 'section' && block.text) return { ...block, text: { ...block.text, text: truncateEscaped(block.text.text, LIMITS.sectionText) } };
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
  const budget = (n: Block[]) => n.length + tail.length + (dropped ? 1 : 0) <= LIMITS.blocks && size(n) + size(tail) <= LIMITS.totalText - 200;
  while (kept.length > 1 && !budget(kept)) {
    kept = kept.slice(0, -1);
    dropped += 1;
  }
  if (!dropped) return [...kept, ...tail];
  const note: Block = { type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${dropped} more part${dropped === 1 ? '' : 's'} of this answer did not fit in one Slack message.` }] };
  return [...kept, note, ...tail];
}
