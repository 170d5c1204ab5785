// The load generator of bench/slack.ts, in its own process so that the fake Slack's work in
// the parent never delays reading the bot's acks. It waits for the requests over IPC, sends
// them all at once and reports when each was sent and acked (epoch ms, comparable across
// processes via performance.timeOrigin).
import { FORM, sendToBot } from '../tests/helpers/slack-requests.ts';

interface Job {
  url: string;
  body: string;
}

const epochNow = () => performance.timeOrigin + performance.now();

process.on('message', async (message: { jobs: Job[] }) => {
  const results = await Promise.all(
    message.jobs.map(async (job) => {
      const sentAt = epochNow();
      const reply = await sendToBot(job.url, job.body, FORM);
      return { sentAt, ackMs: reply.ms, status: reply.status };
    }),
  );
  process.send!({ results }, () => process.exit(0));
});
// One request first, so undici's own start-up is not counted as the bot's ack time.
const warmUrl = process.argv[2];
if (warmUrl) await fetch(warmUrl).then((r) => r.text());
process.send!({ ready: true });
