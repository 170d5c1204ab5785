// The preview of a data file an analyst uploaded (an ImportPreview, the same object the CLI's
// --dry-run prints), with Apply and Cancel; and the bot's other words about uploads. Everything
// from the file or the store is escaped.
import { beforeAfter, periodList, type ImportPreview } from '../../import/preview.ts';
import {
  type Block,
  context,
  escapeMrkdwn,
  fitBlocks,
  fitLines,
  mention,
  section,
  safeText,
  type SlackMessage,
} from './block-kit.ts';

export const IMPORT_APPLY_ACTION = 'import_apply';
export const IMPORT_CANCEL_ACTION = 'import_cancel';
export const IMPORT_MEASURE_ACTION = 'import_measure';

/** Measures listed in one preview; a police.uk year feeds four or five. */
const MAX_MEASURES = 20;

const KIND_WORDS = {
  'police-uk': 'police.uk street data',
  ons: 'ONS force-area tables',
  series: 'series file',
} as const;

export function previewMessage(
  preview: ImportPreview,
  pendingId: string,
  options: { note?: string; expiresAt: string },
): SlackMessage {
  const files = safeText(preview.files.join(', '), 200);
  const blocks: Block[] = [];
  if (options.note) blocks.push(section(escapeMrkdwn(options.note)));
  if (preview.refusal) {
    const where =
      preview.refusal.line === null ? preview.refusal.file : `${preview.refusal.file}, line ${preview.refusal.line}`;
    const text =
      `*${files}* (${KIND_WORDS[preview.source]}) cannot be imported: ${safeText(where, 200)}: ` +
      `${safeText(preview.refusal.problem, 1500)}. Nothing was changed.`;
    return { text: `${preview.files.join(', ')} cannot be imported`, blocks: fitBlocks([...blocks, section(text)]) };
  }
  blocks.push(
    section(
      `*Preview of ${files}* (${KIND_WORDS[preview.source]}): ${preview.changes} ` +
        `${preview.changes === 1 ? 'change' : 'changes'}; nothing is saved until an analyst clicks Apply.`,
    ),
  );
  if (preview.measures.length === 0 && preview.onsEditions.length === 0)
    blocks.push(section('No figures would change: the store already holds them.'));
  for (const m of preview.measures.slice(0, MAX_MEASURES)) {
    const what = [
      m.seriesReplaced ? 'replaces the illustrative series with these figures' : null,
      m.added.length > 0 ? `adds ${periodList(m.added)}` : null,
      m.replaced.length > 0 ? `replaces ${periodList(m.replaced)}` : null,
    ].filter(Boolean);
    const lines = fitLines(
      [
        `*${escapeMrkdwn(m.title)}*: ${what.join('; ') || 'details only'}`,
        `Trend: ${escapeMrkdwn(beforeAfter(m.trend))}`,
        `MSG position: ${escapeMrkdwn(beforeAfter(m.msg))}`,
      ],
      1500,
    );
    blocks.push(section(lines.join('\n')));
  }
  if (preview.measures.length > MAX_MEASURES)
    blocks.push(context(`…and ${preview.measures.length - MAX_MEASURES} more measures`));
  if (preview.onsEditions.length > 0)
    blocks.push(section(`ONS editions: year ending ${escapeMrkdwn(preview.onsEditions.join(', '))}`));
  if (preview.changes > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'import_preview',
      elements: [
        {
          type: 'button',
          action_id: IMPORT_APPLY_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Apply' },
          value: pendingId,
        },
        {
          type: 'button',
          action_id: IMPORT_CANCEL_ACTION,
          text: { type: 'plain_text', text: 'Cancel' },
          value: pendingId,
        },
      ],
    });
  }
  blocks.push(
    context(
      `Analysts only. This preview expires ${escapeMrkdwn(options.expiresAt.slice(0, 16).replace('T', ' '))} UTC.`,
    ),
  );
  return { text: `Preview of ${preview.files.join(', ')}: ${preview.changes} changes`, blocks: fitBlocks(blocks) };
}

/** The preview message once it is settled: its words, no buttons, and what became of it. */
export function settledPreview(blocks: Block[], outcome: string): Block[] {
  return fitBlocks([...blocks.filter((b) => b.type !== 'actions' && b.type !== 'context'), context(outcome)]);
}

export function appliedText(user: string, files: string, changes: number, messageId: string): string {
  return (
    `Applied ${escapeMrkdwn(files)} for ${mention(user)}: ${changes} ${changes === 1 ? 'change' : 'changes'} ` +
    `(change ${escapeMrkdwn(messageId)}#1). Reply \`undo\` in this thread to revert the whole import.`
  );
}

export function measureQuestion(
  fileName: string,
  pendingId: string,
  measures: { id: string; title: string }[],
): SlackMessage {
  return {
    text: `Which measure is ${fileName} for?`,
    blocks: [
      section(`Which measure is *${safeText(fileName, 200)}* for? Name it and I will preview the import.`),
      {
        type: 'actions',
        block_id: `import_measure:${pendingId}`,
        elements: [
          {
            type: 'static_select',
            action_id: IMPORT_MEASURE_ACTION,
            placeholder: { type: 'plain_text', text: 'Choose a measure' },
            options: measures.slice(0, 100).map((m) => ({
              text: { type: 'plain_text', text: m.title.length > 75 ? `${m.title.slice(0, 74)}…` : m.title },
              value: `${pendingId} ${m.id}`,
            })),
          },
        ],
      },
    ],
  };
}
