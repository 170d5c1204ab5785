// `/measures scorecard`: one image of the whole force (every measure's sparkline, trend and MSG
// rank) posted in the channel. Drawn by the chart workers like an answer's chart, and uploaded
// the same way (files.getUploadURLExternal and the bytes), then shared straight into the channel
// with files.completeUploadExternal: the file is the message, so there is no text to post first.
import { replyPrivately } from '../../post-answer.ts';
import { stageChartUpload } from '../../chart-upload.ts';
import { isCannotPostHere, slackErrorReason } from '../../slack-errors.ts';
import { mention } from '../../views/block-kit.ts';
import { plainMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './index.ts';

export const SCORECARD_REQUEST = { kind: 'scorecard', id: 'force' } as const;

const NOT_HERE =
  ':information_source: I can’t post in this conversation, so the scorecard is not here. ' +
  'Invite me with `/invite @Measures`, or open my Home tab, which shows the same scorecard to you.';

export async function scorecardCommand(request: CommandRequest): Promise<void> {
  const { command, deps, log, respond, client } = request;
  const store = deps.store.snapshot();
  const sorry = (why: string) => replyPrivately(request, respond, plainMessage(`:warning: ${why}`));
  let chart;
  try {
    chart = await deps.charts.render(SCORECARD_REQUEST, store);
  } catch (err) {
    log.error('the scorecard could not be drawn', err);
    await sorry('Sorry, the scorecard could not be drawn. Please try again in a minute.');
    return;
  }
  if (!chart) {
    await sorry('There is no scorecard to show: no figures are held for any measure yet.');
    return;
  }
  try {
    // The answers' client: the asker is waiting for this image as they would for an answer.
    const fileId = await stageChartUpload(client, chart, deps.fetch);
    await client.files.completeUploadExternal({
      files: [{ id: fileId, title: chart.title }],
      channel_id: command.channel_id,
      initial_comment: `Scorecard of every measure, asked by ${mention(command.user_id)}`,
    });
    log.info(`${command.user_id} posted the scorecard in ${command.channel_id} (file ${fileId})`);
  } catch (err) {
    const cannot = isCannotPostHere(err);
    if (cannot) {
      log.info(`cannot share the scorecard in ${command.channel_id} (${cannot})`);
      await replyPrivately(request, respond, plainMessage(NOT_HERE));
      return;
    }
    log.error(`sharing the scorecard in ${command.channel_id} failed`, err);
    await sorry(`Sorry, the scorecard could not be posted (${slackErrorReason(err)}). Please try again in a minute.`);
  }
}
