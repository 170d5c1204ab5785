// `/measures history <measure>`: the newest change-log entries, only for the asker.
import { DateTime } from 'luxon';
import type { ChangeEntry } from '../../store/schema.ts';
import { type Block, fitBlocks } from './limits.ts';
import { escapeMrkdwn, fitLines, safeText } from './mrkdwn.ts';
import type { EphemeralMessage } from './ephemeral-blocks.ts';

export const HISTORY_LIMIT = 15;

/** Slack user IDs are shown as mentions (an ephemeral message notifies nobody); anything else as text. */
export function authorLabel(author: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(author) ? `<@${author}>` : escapeMrkdwn(author);
}

function valueLabel(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    for (const key of ['label', 'text', 'value']) if (typeof v[key] === 'string' || typeof v[key] === 'number') return String(v[key]);
  }
  return JSON.stringify(value);
}

export function describeChange(entry: ChangeEntry): string {
  const when = DateTime.fromISO(entry.at, { zone: 'utc' }).toFormat('d LLL yyyy HH:mm');
  const change = entry.undoes ? `undo of ${entry.field}` : `${entry.field}: ${valueLabel(entry.before)} → ${valueLabel(entry.after)}`;
  return `• ${when} UTC · ${authorLabel(entry.author)} · ${safeText(change, 300)}`;
}

export function historyMessage(title: string, entries: ChangeEntry[]): EphemeralMessage {
  const heading = `*Recent changes to ${escapeMrkdwn(title)}*`;
  if (entries.length === 0) {
    const text = `${heading}\nNo changes recorded yet.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = entries.slice(0, HISTORY_LIMIT).map(describeChange);
  const lines = fitLines(shown, 2700);
  if (entries.length > HISTORY_LIMIT && !lines.at(-1)?.startsWith('…and')) lines.push(`…and ${entries.length - HISTORY_LIMIT} more (\`measures history\` on the command line lists them all)`);
  const text = `${heading}\n${lines.join('\n')}`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  return { text, blocks: fitBlocks(blocks) };
}
