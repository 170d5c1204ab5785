// The bot's Home tab: the force scorecard. The measures the user follows first, then every
// priority with its measures, one section each (trend, MSG position by band, latest figure and
// its age, out of date), each with a button that sends that measure's answer to the user.
// A Home tab holds at most 100 blocks: all 19 measures twice (followed and in place) and the
// headings come to about 50.
import type { types } from '@slack/bolt';
import type { RankBand, Scorecard, ScorecardMeasure } from '../../measures/scorecard.ts';
import { scorecardMeasures } from '../../measures/scorecard.ts';
import { ordinal } from '../../measures/wording.ts';
import { type Block, context, escapeMrkdwn, header, LIMITS, truncateEscaped } from './block-kit.ts';

export const HOME_BLOCKS_MAX = 100;
/** Every answer button's action_id starts with this; Slack wants them unique, so an index follows. */
export const HOME_ANSWER_ACTION_PREFIX = 'home_answer';
export const HOME_ANSWER_ACTION = new RegExp(`^${HOME_ANSWER_ACTION_PREFIX}_\\d+$`);

/** Colour and words, never colour alone. */
const BAND_MARK: Record<RankBand, string> = {
  best: ':large_green_circle: best three',
  middle: ':white_circle: middle',
  worst: ':red_circle: worst three',
};

export interface HomeViewInput {
  card: Scorecard;
  /** Measure ids the user follows, in the report's order. */
  followed: string[];
  forceName: string;
  /** The report's period, e.g. "Quarter ending November 2021". */
  reportPeriod: string;
}

export type HomeView = types.HomeView;

function msgWords(m: ScorecardMeasure): string {
  if (!m.msg) return 'no MSG position';
  return `${ordinal(m.msg.rank)} of ${m.msg.of} in MSG, ${BAND_MARK[m.msg.band]}`;
}

/** One measure: its title, then trend · MSG · latest · age, and the flags. Store text escaped. */
export function measureLine(m: ScorecardMeasure): string {
  const facts = [escapeMrkdwn(m.trend), msgWords(m), escapeMrkdwn(m.latest)];
  if (m.age) facts.push(m.age);
  if (m.stale) facts.push(':warning: out of date');
  if (m.illustrative) facts.push('_illustrative_');
  return `*${escapeMrkdwn(m.title)}*\n${facts.join(' · ')}`;
}

function measureSection(m: ScorecardMeasure, index: number): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateEscaped(measureLine(m), LIMITS.sectionText) },
    accessory: {
      type: 'button',
      action_id: `${HOME_ANSWER_ACTION_PREFIX}_${index}`,
      text: { type: 'plain_text', text: 'Send me the answer' },
      value: m.id,
    },
  };
}

export function homeView(input: HomeViewInput): HomeView {
  const { card, followed } = input;
  let buttons = 0;
  const sectionFor = (m: ScorecardMeasure) => measureSection(m, buttons++);
  const all = scorecardMeasures(card);
  const mine = followed.flatMap((id) => all.filter((m) => m.id === id));
  const blocks: Block[] = [
    header(`${input.forceName}: national crime measures`),
    context([
      `Report: ${escapeMrkdwn(input.reportPeriod)}, kept up to date by analysts. ` +
        'Each measure: trend · MSG position (1st is best, whatever the measure) · latest figure and its age.',
    ]),
  ];
  if (mine.length > 0) blocks.push(header('Measures you follow'), ...mine.map(sectionFor), { type: 'divider' });
  else blocks.push(context(['You follow no measures yet. The measures you follow will be listed here first.']));
  for (const priority of card.priorities) {
    blocks.push(header(priority.title), ...priority.measures.map(sectionFor));
  }
  blocks.push(
    context([
      'MSG: the most similar group of forces. :large_green_circle: ranks 1–3, :red_circle: the last three ranks. ' +
        '*Send me the answer* posts the full answer, with its chart, in your messages with the bot.',
    ]),
  );
  return { type: 'home', blocks: blocks.slice(0, HOME_BLOCKS_MAX) };
}
