// The words the bot says about analyst updates, in threads and to /measures update. Every
// piece of text from a user or the store is escaped; the author's <@U…> mention is the only
// markup added. Kept to one or two lines: a thread is a conversation, not a report.
import { DateTime } from 'luxon';
import { UPDATE_SYNTAX, type UpdateResult } from '../../measures/update/index.ts';
import type { AnalystCheck } from '../analysts.ts';
import { escapeMrkdwn, mention, truncateEscaped } from './block-kit.ts';

/** Section / message text limit with room to spare. */
const MAX_TEXT = 2900;

type Applied = Extract<UpdateResult, { status: 'applied' | 'duplicate' }>;

/**
 * "Trend: Stable → Moderate reduction, by <@U…>" for one change; for several, a count on the
 * first line and the changes on the second, separated by " · ".
 */
export function confirmationText(result: Applied, author: string): string {
  const lines = result.summary.map(escapeMrkdwn);
  if (lines.length === 0) return `Saved, by ${mention(author)} (nothing needed changing).`;
  if (lines.length === 1) return truncateEscaped(`${lines[0]}, by ${mention(author)}`, MAX_TEXT);
  const verb = result.status === 'applied' && result.undid ? 'Undone' : 'Saved';
  return truncateEscaped(`${verb}: ${lines.length} changes, by ${mention(author)}\n${lines.join(' · ')}`, MAX_TEXT);
}

/** 'Line 2 ("trend: Great"): … Nothing was changed.', escaped, with a pointer to help. */
export function refusalText(
  result: Extract<UpdateResult, { status: 'refused' }>,
  hint = 'Reply `help` for the update syntax.',
): string {
  return truncateEscaped(`Not saved. ${escapeMrkdwn(result.message)}\n${hint}`, MAX_TEXT);
}

export function notAnalystText(check: Exclude<AnalystCheck, { analyst: true }>): string {
  switch (check.reason) {
    case 'not-configured':
      return (
        'Only analysts can update measures, and no analysts are set up for this bot yet ' +
        '(ANALYSTS or ANALYST_USERGROUP). Nothing was changed.'
      );
    case 'unknown':
      return (
        `I could not check whether you are an analyst just now (${escapeMrkdwn(check.detail)}). ` +
        'Nothing was changed; please try again in a minute.'
      );
    case 'not-analyst':
      return 'Only analysts can update measures. Nothing was changed.';
  }
}

/**
 * Brief update syntax for a thread of this kind. Priority and digest threads name the measure
 * first; under a priority, `names` are short names of its measures that the parser accepts.
 */
export function updateHelpText(form: 'measure' | 'priority' | 'digest', names: string[] = []): string {
  const first = escapeMrkdwn(names[0] ?? 'robbery');
  const example = form === 'measure' ? '`trend: Moderate reduction`' : `\`${first} trend: Moderate reduction\``;
  const named =
    form === 'measure'
      ? ''
      : `\nStart each line with the measure’s name${names.length ? ` (${names.map(escapeMrkdwn).join(', ')})` : ''}.`;
  return [
    `*Updating from this thread* (analysts only). Reply with one or more lines, e.g. ${example}:`,
    UPDATE_SYNTAX.map((s) => `• \`${escapeMrkdwn(s)}\``).join('\n'),
    `Values are in the measure’s unit. All lines apply or none do.${named}`,
  ].join('\n');
}

/** The store refused the write (e.g. the file became invalid). The detail, with server paths, is for the log. */
export const STORE_UNAVAILABLE_TEXT =
  'Not saved: the measures store cannot be written just now, so nothing was changed. ' +
  'The details are in the bot’s log; please try again later or tell whoever runs the bot.';

/** The answer's foot after an update: "Updated 25 Nov 2026 14:03 by <@U…>" (UK time). */
export function updatedFooter(at: Date, author: string): string {
  const when = DateTime.fromJSDate(at).setZone('Europe/London').toFormat('d LLL yyyy HH:mm');
  return `Updated ${when} by ${mention(author)}`;
}

/** An edited or deleted message: the store keeps what was applied; say how to take it back. */
export function editNoticeText(what: 'edited' | 'deleted', applied: string[] | null): string {
  const did = what === 'edited' ? 'Editing' : 'Deleting';
  if (applied && applied.length) {
    const summary = truncateEscaped(applied.map(escapeMrkdwn).join(' · '), 1500);
    return (
      `${did} a message does not change measures: the update it made still stands (${summary}). ` +
      `To take it back, reply \`undo\` (it reverts your latest update here); ` +
      'then post any correction as a new reply.'
    );
  }
  return (
    `${did} a message does not change measures, and nothing was changed. ` +
    'To update, post the update as a new reply.'
  );
}
