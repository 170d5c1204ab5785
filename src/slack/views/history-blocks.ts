// `/measures history <measure>`: the newest change-log entries, only for the asker.
import { DateTime } from 'luxon';
import { describeChange as describeEntry } from '../../measures/update/describe.ts';
import type { ChangeEntry, Store } from '../../store/index.ts';
import { type Block, escapeMrkdwn, fitBlocks, fitLines, mention, safeText, type SlackMessage } from './block-kit.ts';

export const HISTORY_LIMIT = 15;

/**
 * One line: when, who (a mention: an ephemeral message notifies nobody), and the change in the
 * same words as `measures history` (measures/update/describe.ts).
 */
export function describeChange(store: Store, entry: ChangeEntry, withSubject: boolean): string {
  const when = DateTime.fromISO(entry.at, { zone: 'utc' }).toFormat('d LLL yyyy HH:mm');
  return `• ${when} UTC · ${mention(entry.author)} · ${safeText(describeEntry(store, entry, { withSubject }), 300)}`;
}

/** `withSubject` names the measure on each line, for a priority's (or everything's) history. */
export function historyMessage(store: Store, title: string, entries: ChangeEntry[], withSubject = false): SlackMessage {
  const heading = `*Recent changes to ${escapeMrkdwn(title)}*`;
  if (entries.length === 0) {
    const text = `${heading}\nNo changes recorded yet.`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const shown = entries.slice(0, HISTORY_LIMIT).map((e) => describeChange(store, e, withSubject));
  const lines = fitLines(shown, 2700);
  if (entries.length > HISTORY_LIMIT && !lines.at(-1)?.startsWith('…and'))
    lines.push(`…and ${entries.length - HISTORY_LIMIT} more (\`measures history\` on the command line lists them all)`);
  const text = `${heading}\n${lines.join('\n')}`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  return { text, blocks: fitBlocks(blocks) };
}
