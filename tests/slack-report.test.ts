// `/measures report` over signed HTTP against the fake Slack: a progress message, the PDF built
// by the real CLI in a child process, the progress message deleted and the file uploaded with a
// two-line summary; one report per channel per 5 minutes; a DM where the bot is not a member.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { FakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot, startBotForFile } from './helpers/slack-app.ts';
import { sendSlashCommand } from './helpers/slack-commands.ts';
import { quarterOf } from '../src/report/quarter.ts';

let fake: FakeSlack;
let bot: RunningBot;
startBotForFile({}, (running) => ({ fake, bot } = running));

const BUILD_MS = 90_000;

/** Resolves with the command's response_url. */
const slash = (text: string, channel: string, user: string) => sendSlashCommand(fake, bot, text, { user, channel });

const quarter = quarterOf(DateTime.now().setZone('Europe/London').toISODate()!, 'Europe/London');

describe('/measures report', () => {
  it(
    'shows progress, builds the PDF off the main loop, deletes the progress message and uploads the file',
    { timeout: BUILD_MS + 10_000 },
    async () => {
      await slash('report', 'C0REPORT', 'U0OFFICER');
      const progress = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0REPORT');
      expect(progress.params.text).toContain(`Building the quarterly report for ${quarter.label}`);
      const progressTs = (progress.reply as { ts: string }).ts;

      // Asked while the report builds: answered in the channel before the report arrives.
      await slash('robbery', 'C0OTHER', 'U0OTHER');
      const answer = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0OTHER');

      const complete = await fake.waitFor(
        (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'C0REPORT',
        BUILD_MS,
      );
      expect(answer.at).toBeLessThan(complete.at);
      const deleted = fake.callsTo('chat.delete').find((c) => c.params.ts === progressTs)!;
      expect(deleted.params.channel).toBe('C0REPORT');
      expect(deleted.at).toBeLessThan(complete.at);
      // The progress message counted the charts as they were drawn, and none of that came after it went.
      const redraws = fake.callsTo('chat.update').filter((c) => c.params.ts === progressTs);
      expect(redraws.at(-1)?.params.text).toMatch(/charts (\d+)\/\1; laying out the pages$/);
      expect(redraws.every((c) => c.at < deleted.at)).toBe(true);
      expect(fake.messages.has(`C0REPORT:${progressTs}`)).toBe(false);

      const lines = String(complete.params.initial_comment).split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(`*National Police and Crime Measures*: ${quarter.label} (${quarter.months})`);
      expect(lines[1]).toMatch(/^\d+ measures? improved and \d+ measures? worsened this quarter\.$/);

      const reserved = fake.callsTo('files.getUploadURLExternal').at(-1)!;
      expect(reserved.params.filename).toBe(`${quarter.fileStem}.pdf`);
      const fileId = complete.params.files![0]!.id;
      const bytes = fake.fileBytes(fileId)!;
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(100_000);
    },
  );

  it('allows one report per channel every 5 minutes, saying privately when to ask again', async () => {
    const posts = fake.callsTo('chat.postMessage').length;
    const responseUrl = await slash('report', 'C0REPORT', 'U0SECOND');
    const reply = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(String(reply.params.text)).toMatch(
      /^A report was made for this channel in the last 5 minutes\. You can ask again at \d\d:\d\d \(in [1-5] minutes?\)\.$/,
    );
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
  });

  it('keeps the 5-minute rule across bot processes that share the store (replicas)', async () => {
    const replica = await startBot(fake, { storeFile: bot.storeFile, watch: true });
    try {
      const posts = fake.callsTo('chat.postMessage').length;
      const responseUrl = await sendSlashCommand(fake, replica, 'report', { user: 'U0THIRD', channel: 'C0REPORT' });
      const reply = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
      expect(String(reply.params.text)).toMatch(/^A report was made for this channel in the last 5 minutes\./);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
    } finally {
      await replica.stop();
    }
  });

  it(
    'apologises privately when the build fails, removes the progress message and lets the channel ask again',
    async () => {
      process.env.REPORT_FONT_DIR = '/nonexistent-fonts'; // the child inherits it and exits 1
      try {
        const responseUrl = await slash('report', 'C0FAIL', 'U0UNLUCKY');
        const reply = await fake.waitFor(
          (c) => c.method === 'response' && c.params.responseUrl === responseUrl,
          30_000,
        );
        // The reason, not the child's error: that names paths on the server, and is in the log.
        expect(reply.params.text).toBe(
          ':warning: Sorry, the report could not be made ' +
            '(building the PDF failed; the details are in the bot’s log). ' +
            'Please try again in a minute.',
        );
        expect(bot.logs.join('\n')).toContain('/nonexistent-fonts/DejaVuSans.ttf is missing');
        const progress = fake.callsTo('chat.postMessage').find((c) => c.params.channel === 'C0FAIL')!;
        expect(fake.deleted).toContain(`C0FAIL:${(progress.reply as { ts: string }).ts}`);
      } finally {
        delete process.env.REPORT_FONT_DIR;
      }
      const posts = fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0FAIL').length;
      await slash('report', 'C0FAIL', 'U0UNLUCKY');
      await fake.waitFor(
        () => fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C0FAIL').length > posts,
      );
      await fake.waitFor(
        (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'C0FAIL',
        BUILD_MS,
      );
    },
    BUILD_MS + 30_000,
  );

  it('sends the report by DM where the bot is not in the channel', { timeout: BUILD_MS + 10_000 }, async () => {
    fake.notMember.add('C0NOTIN');
    const responseUrl = await slash('report', 'C0NOTIN', 'U0ASKER');
    const note = await fake.waitFor((c) => c.method === 'response' && c.params.responseUrl === responseUrl);
    expect(note.params.text).toBe('I am not in this channel, so the report is coming to you as a direct message.');
    const progress = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'U0ASKER');
    const complete = await fake.waitFor(
      (c) => c.method === 'files.completeUploadExternal' && c.params.channel_id === 'D0ASKER',
      BUILD_MS,
    );
    expect(fake.deleted).toContain(`D0ASKER:${(progress.reply as { ts: string }).ts}`);
    expect(String(complete.params.initial_comment)).toContain(quarter.label);
    expect(fake.callsTo('files.completeUploadExternal').some((c) => c.params.channel_id === 'C0NOTIN')).toBe(false);
  });
});
