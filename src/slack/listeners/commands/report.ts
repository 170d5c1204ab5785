// `/measures report`: the quarterly report PDF, posted in the channel (or, where the bot is not
// a member, sent to the asker by DM). One message shows progress while a child process builds
// the PDF off the bot's event loop; it is deleted when the file is uploaded with a two-line
// summary. Anyone may ask (it holds only what they can already ask for), once per channel
// every 5 minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { DEFAULT_TIMEZONE } from '../../../digest/settings.ts';
import { quarterOf } from '../../../report/quarter.ts';
import type { SlackDeps } from '../../app.ts';
import { replyPrivately } from '../../post-answer.ts';
import { buildReportInChild, type BuiltReport, ReportBuildError } from '../../report/build-in-child.ts';
import { createChannelLimit, REPORT_INTERVAL_MS } from '../../report/channel-limit.ts';
import { isCannotPostHere, isSlackError, slackErrorReason } from '../../slack-errors.ts';
import { escapeMrkdwn } from '../../views/block-kit.ts';
import { plainMessage } from '../../views/ephemeral-blocks.ts';
import type { CommandRequest } from './index.ts';

/** The comment under the file: the quarter, then how many measures moved which way. */
export function reportSummaryText(
  title: string,
  built: Pick<BuiltReport, 'quarter' | 'improved' | 'worsened'>,
): string {
  const n = (k: number) => `${k} measure${k === 1 ? '' : 's'}`;
  return (
    `*${escapeMrkdwn(title)}*: ${escapeMrkdwn(built.quarter)}\n` +
    `${n(built.improved)} improved and ${n(built.worsened)} worsened this quarter.`
  );
}

/** Slack's own reasons are fit to show; anything else may name files on the server, so it stays in the log. */
function failureReason(err: unknown): string {
  if (isSlackError(err)) return slackErrorReason(err);
  return err instanceof ReportBuildError
    ? 'building the PDF failed; the details are in the bot’s log'
    : 'an internal error; the details are in the bot’s log';
}

/** How often, at most, the progress message is redrawn: often enough to look alive, rarely enough for Slack. */
const PROGRESS_EVERY_MS = 1000;

/**
 * Redraws the progress message as the charts are drawn ("charts 12/19"), then "laying out the
 * pages" once they are all done; on the background client, and never more than once a second.
 */
function progressShower(
  deps: SlackDeps,
  log: CommandRequest['log'],
  message: { channel: string; ts: string; text: string },
) {
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const show = (text: string) => {
    pending = pending
      .then(() => deps.redrawClient.chat.update({ channel: message.channel, ts: message.ts, text }))
      .catch((err: Error) => log.warn(`could not show the report's progress: ${err.message}`));
  };
  return {
    progress(done: number, total: number) {
      const finished = done === total;
      if (!finished && performance.now() - last < PROGRESS_EVERY_MS) return;
      last = performance.now();
      show(`${message.text} charts ${done}/${total}${finished ? '; laying out the pages' : ''}`);
    },
    /** Waits for a redraw in flight, so that none lands after the message is deleted. */
    settled: () => pending,
  };
}

export async function reportCommand(request: CommandRequest): Promise<void> {
  const { command, deps, client, log, respond } = request;
  const now = deps.now();
  // The asks live in the store, so the limit holds nothing of its own.
  const limit = createChannelLimit(deps.store, REPORT_INTERVAL_MS);
  const again = await limit.take(command.channel_id, now);
  const zone = deps.digest?.settings.zone ?? DEFAULT_TIMEZONE;
  if (again) {
    const at = DateTime.fromJSDate(again).setZone(zone).toFormat('HH:mm');
    const minutes = Math.max(1, Math.ceil((again.getTime() - now.getTime()) / 60_000));
    await replyPrivately(
      request,
      respond,
      plainMessage(
        `A report was made for this channel in the last 5 minutes. You can ask again at ${at} ` +
          `(in ${minutes} minute${minutes === 1 ? '' : 's'}).`,
      ),
    );
    return;
  }

  const quarter = quarterOf(DateTime.fromJSDate(now).setZone(zone).toISODate()!, zone);
  const store = deps.store.snapshot();
  const progressText =
    `:hourglass_flowing_sand: Building the quarterly report for ${quarter.label} ` +
    `(asked by <@${escapeMrkdwn(command.user_id)}>)…`;
  let posted;
  try {
    posted = await client.chat.postMessage({ channel: command.channel_id, text: progressText });
  } catch (err) {
    if (!isCannotPostHere(err)) {
      await limit.release(command.channel_id).catch(() => undefined);
      throw err;
    }
    // Not a member here: the asker gets it in the app's DM (chat:write posts there by user ID).
    posted = await client.chat.postMessage({ channel: command.user_id, text: progressText });
    await replyPrivately(
      request,
      respond,
      plainMessage('I am not in this channel, so the report is coming to you as a direct message.'),
    );
  }
  const target = posted.channel ?? command.user_id;
  const progressTs = posted.ts!;
  log.info(`${command.user_id} asked for the ${quarter.label} report; building it for ${target}`);

  // Tracked, not awaited: the build takes seconds and must not hold one of the answers' slots.
  void deps.work.track(
    (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'measures-report-'));
      try {
        const out = path.join(dir, `${quarter.fileStem}.pdf`);
        const started = performance.now();
        const shown = progressShower(deps, log, { channel: target, ts: progressTs, text: progressText });
        const built = await buildReportInChild({
          storePath: deps.storeLocation,
          asOf: DateTime.fromJSDate(now).setZone(zone).toISODate()!,
          out,
          onProgress: shown.progress,
        });
        log.info(`report built in ${Math.round(performance.now() - started)} ms (${built.pages} pages)`);
        await shown.settled();
        await client.chat.delete({ channel: target, ts: progressTs });
        await deps.redrawClient.files.uploadV2({
          channel_id: target,
          file: fs.readFileSync(out),
          filename: path.basename(out),
          title: `${store.report.title}: ${quarter.label}`,
          initial_comment: reportSummaryText(store.report.title, built),
        });
        log.info(`report for ${quarter.label} uploaded to ${target}`);
      } catch (err) {
        await limit
          .release(command.channel_id)
          .catch((e: Error) => log.warn(`report limit not released: ${e.message}`));
        log.error('the quarterly report failed', err);
        await client.chat.delete({ channel: target, ts: progressTs }).catch(() => undefined);
        await replyPrivately(
          request,
          respond,
          plainMessage(
            `:warning: Sorry, the report could not be made (${escapeMrkdwn(failureReason(err))}). ` +
              'Please try again in a minute.',
          ),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    })(),
  );
}
