// The follower DM: crossing alerts first (they are why it is worth reading), then each change
// set's changes with better or worse by polarity, who made them, when, and the thread. A DM
// edited within ten minutes shows every set it covers, newest last. Pure.
import type { ChangeSetView } from '../../digest/follower-changes.ts';
import { changeSentence, shortTime } from '../../digest/lines.ts';
import { isoInZone } from '../../digest/build.ts';
import {
  type Block,
  context,
  escapeMrkdwn,
  fitBlocks,
  fitLines,
  mention,
  section,
  type SlackMessage,
} from '../views/block-kit.ts';

export interface DmSet {
  view: ChangeSetView;
  /** chat.getPermalink of where the set was made; null when it was not made in a thread (CLI, import). */
  link: string | null;
}

const SETS_SHOWN = 10;

function linkText(link: string | null): string {
  return link && /^https:\/\/[^\s|<>]+$/.test(link) ? ` · <${link}|view the thread>` : '';
}

function changeLine(c: ChangeSetView['changes'][number]): string {
  const judged = c.movement ? ` (*${c.movement.direction}*)` : '';
  return `• ${escapeMrkdwn(changeSentence(c))}${judged}`;
}

export function followerDm(sets: DmSet[], zone: string): SlackMessage {
  const shown = sets.slice(-SETS_SHOWN);
  const crossings = shown.flatMap((s) => s.view.crossings);
  const blocks: Block[] = [];
  if (crossings.length > 0) {
    const lines = crossings.map(
      (c) => `:rotating_light: *${escapeMrkdwn(c.measure)}* ${escapeMrkdwn(c.text)} (*${c.direction}*)`,
    );
    blocks.push(section(`*Crossing alert*\n${fitLines(lines, 2800).join('\n')}`));
  }
  for (const { view, link } of shown) {
    blocks.push(section(fitLines(view.changes.map(changeLine), 2800, 20).join('\n')));
    blocks.push(
      context(`By ${mention(view.author)}, ${escapeMrkdwn(shortTime(isoInZone(view.at, zone)))}${linkText(link)}`),
    );
  }
  blocks.push(
    context(
      "You follow these measures. `/measures following` lists them; `/measures unfollow …` stops a measure's DMs.",
    ),
  );
  const count = shown.reduce((n, s) => n + s.view.changes.length, 0);
  const lead = crossings[0]
    ? `Crossing alert: ${crossings[0].measure} ${crossings[0].text}`
    : `${count} change${count === 1 ? '' : 's'} to measures you follow`;
  return { text: escapeMrkdwn(lead).slice(0, 300), blocks: fitBlocks(blocks) };
}
