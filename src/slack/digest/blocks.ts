// The digest as Slack messages: one channel message within Block Kit limits and, when the
// changes do not fit, the details as messages for the digest's thread. Pure.
//
// Limits (Slack's Block Kit docs; LIMITS in views/block-kit.ts): 50 blocks, section text 3,000,
// header 150, and an undocumented aggregate of ~13.2k characters (bolt-js#2509), so a message
// is kept under MESSAGE_BUDGET.
import { DateTime } from 'luxon';
import {
  type Block,
  context,
  escapeMrkdwn,
  fitLines,
  header,
  LIMITS,
  mention,
  section,
  type SlackMessage,
  truncateEscaped,
} from '../views/block-kit.ts';
import type { Digest, DigestChange } from '../../digest/build.ts';
import { ALL_STALE_LINE, byPriority, changeSentence, quietLine, shortTime, staleSentence } from '../../digest/lines.ts';

const SECTION_LIMIT = LIMITS.sectionText;
/** Characters of JSON per message: under the ~13.2k where Slack said msg_blocks_too_long. */
export const MESSAGE_BUDGET = 11_000;
/** Blocks kept free in the channel message: the chart's image block is added after posting. */
const RESERVED_BLOCKS = 1;

export interface DigestMessages {
  main: SlackMessage;
  /** Posted in the digest's thread, in order, paced. Empty when everything fits in main. */
  thread: SlackMessage[];
}

export interface DigestViewOptions {
  /** The slot this digest was due at, when it is posted late (the bot was not running). */
  lateFor?: DateTime;
  /** A preview (/measures digest): ephemeral, never threaded, so it is cut to fit instead. */
  preview?: boolean;
}

const size = (blocks: Block[]) => blocks.reduce((n, b) => n + JSON.stringify(b).length, 0);

/** Links come from chat.getPermalink (https only); anything else is not linked. */
function threadLink(c: DigestChange): string {
  return c.link && /^https:\/\/[^\s|<>]+$/.test(c.link) ? ` · <${c.link}|thread>` : '';
}

export function changeLine(c: DigestChange): string {
  return `• ${escapeMrkdwn(changeSentence(c))} — ${mention(c.by)}, ${escapeMrkdwn(shortTime(c.at))}${threadLink(c)}`;
}

function headerBlock(d: Digest): Block {
  const from = DateTime.fromISO(d.since, { setZone: true });
  const to = DateTime.fromISO(d.until, { setZone: true });
  const text = `Measures digest: ${from.toFormat('d LLL')} – ${to.toFormat('d LLL yyyy')}`;
  return header(text);
}

/** Sections of whole lines, each within the section limit, under an optional bold title. */
function lineSections(title: string | null, lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current = title ? `*${escapeMrkdwn(title)}*` : '';
  for (const line of lines) {
    const piece = truncateEscaped(line, SECTION_LIMIT - 100);
    if (current && current.length + 1 + piece.length > SECTION_LIMIT) {
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) blocks.push(section(current));
  return blocks;
}

function headlineBlocks(d: Digest): Block[] {
  if (d.quiet) return [section(escapeMrkdwn(quietLine(d)))];
  if (d.headline.length === 0)
    return [
      section(
        `*Headline*\nNo figure moved; ${d.changes.length} update${d.changes.length === 1 ? '' : 's'} ` +
          'to actions and comments.',
      ),
    ];
  return [
    section(
      `*Headline*\n${fitLines(
        d.headline.map((h) => `• ${escapeMrkdwn(h)}`),
        SECTION_LIMIT - 20,
      ).join('\n')}`,
    ),
  ];
}

function staleBlocks(d: Digest): Block[] {
  if (d.allStale) return [context(escapeMrkdwn(ALL_STALE_LINE))];
  if (d.stale.length === 0) return [];
  const lines = fitLines(
    d.stale.map((s) => `• ${escapeMrkdwn(staleSentence(s))}`),
    SECTION_LIMIT - 40,
    20,
  );
  return [section(`*Out of date*\n${lines.join('\n')}`)];
}

const KIND_NOUNS: Record<DigestChange['kind'], [string, string]> = {
  trend: ['trend', 'trends'],
  msg: ['MSG position', 'MSG positions'],
  value: ['figure', 'figures'],
  peer: ['peer figure', 'peer figures'],
  'action-added': ['action added', 'actions added'],
  'action-done': ['action done', 'actions done'],
  comment: ['comment', 'comments'],
};

/** "3 trends, 12 figures, 1 comment". */
function countsSentence(changes: DigestChange[]): string {
  const counts = new Map<DigestChange['kind'], number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${KIND_NOUNS[kind][n === 1 ? 0 : 1]}`).join(', ');
}

function footer(d: Digest, detailsInThread: boolean): Block {
  const reply = 'Reply in this thread to update a measure, naming it on each line, e.g. `robbery trend: Stable`.';
  const details = detailsInThread ? `All ${d.changes.length} changes are listed in this thread. ` : '';
  return context(`${details}${reply} Changes since ${escapeMrkdwn(shortTime(d.since))} (${escapeMrkdwn(d.zone)}).`);
}

function lateBlocks(options: DigestViewOptions): Block[] {
  if (!options.lateFor) return [];
  return [
    context(
      ':hourglass: *Late:* this digest was due ' +
        `${escapeMrkdwn(options.lateFor.setLocale('en-GB').toFormat('ccc d LLL HH:mm ZZZZ'))}; ` +
        'the bot was not running then.',
    ),
  ];
}

/** Plain text for notifications and screen readers. */
function notification(d: Digest, options: DigestViewOptions): string {
  const late = options.lateFor ? ' (late)' : '';
  if (d.quiet) return `Measures digest${late}: ${quietLine(d)}`;
  const top = d.headline[0] ? ` ${d.headline[0]}` : '';
  return truncateEscaped(
    escapeMrkdwn(`Measures digest${late}: ${d.changes.length} change${d.changes.length === 1 ? '' : 's'}.${top}`),
    2900,
  );
}

function fits(blocks: Block[], reserved = RESERVED_BLOCKS): boolean {
  return blocks.length + reserved <= LIMITS.blocks && size(blocks) <= MESSAGE_BUDGET;
}

/** Splits blocks into messages that each fit. */
function packMessages(blocks: Block[], text: string): SlackMessage[] {
  const messages: SlackMessage[] = [];
  let current: Block[] = [];
  for (const block of blocks) {
    if (current.length > 0 && !fits([...current, block], 0)) {
      messages.push({ text, blocks: current });
      current = [];
    }
    current.push(block);
  }
  if (current.length > 0) messages.push({ text, blocks: current });
  return messages;
}

export function digestMessages(d: Digest, options: DigestViewOptions = {}): DigestMessages {
  const text = notification(d, options);
  const top = [headerBlock(d), ...lateBlocks(options), ...headlineBlocks(d)];
  const groups = byPriority(d.changes);
  const detail = groups.flatMap((g) => lineSections(g.priority, g.changes.map(changeLine)));

  const full = [...top, ...detail, ...staleBlocks(d), footer(d, false)];
  if (fits(full)) return { main: { text, blocks: full }, thread: [] };

  // Too long: the channel gets the headline and a count per priority; the thread gets every line.
  const summary = lineSections(
    'Changes by priority',
    groups.map((g) => `• ${escapeMrkdwn(g.priority)}: ${escapeMrkdwn(countsSentence(g.changes))}`),
  );
  let main = [...top, ...summary, ...staleBlocks(d), footer(d, !options.preview)];
  while (!fits(main) && main.length > 2) main = [...main.slice(0, -2), main.at(-1)!];
  if (options.preview) {
    main = [
      ...main.slice(0, -1),
      context(`Too long for one message: the posted digest lists all ${d.changes.length} changes in its thread.`),
    ];
    return { main: { text, blocks: main }, thread: [] };
  }
  return {
    main: { text, blocks: main },
    thread: packMessages(detail, `Measures digest details (${d.changes.length} changes)`),
  };
}

/** The main message with the chart shown before its footer (the last block). */
export function withChart(main: SlackMessage, chart: Block): SlackMessage {
  return { text: main.text, blocks: [...main.blocks.slice(0, -1), chart, main.blocks.at(-1)!] };
}
