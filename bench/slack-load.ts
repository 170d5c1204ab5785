// The load generator of bench/slack.ts, in its own process so that the fake Slack's work in
// the parent never delays reading the bot's acks. It waits for the requests over IPC, sends
// them all at once (each on a new connection, signed just before sending) and reports when
// each was sent and acked (epoch ms, comparable across processes via performance.timeOrigin).
// node:http rather than fetch: undici's own per-request cost (~70 ms at p50 for 40 at once on
// this machine, against a server that does nothing) would otherwise be counted as the bot's.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { signSlackRequest, TEST_SIGNING_SECRET } from '../tests/helpers/slack-requests.ts';

interface Job {
  url: string;
  body: string;
}

const epochNow = () => performance.timeOrigin + performance.now();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function post(url: string, body: string): Promise<{ status: number; ackMs: number; connectMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      ...signSlackRequest(TEST_SIGNING_SECRET, body),
    };
    let connectMs = NaN;
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ackMs: performance.now() - started, connectMs }));
    });
    req.on('socket', (socket) => socket.once('connect', () => (connectMs = performance.now() - started)));
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', async (message: { jobs?: Job[]; done?: boolean }) => {
  if (message.done || !message.jobs) {
    process.exit(0);
  }
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const results = await Promise.all(
    message.jobs.map(async (job) => {
      const sentAt = epochNow();
      const reply = await post(job.url, job.body);
      return { sentAt, ...reply };
    }),
  );
  loop.disable();
  process.send!({ results, loopDelayMaxMs: loop.max / 1e6 });
});

// One request first, so the client's own start-up is not counted as the bot's ack time.
const warmUrl = process.argv[2];
if (warmUrl) await fetch(warmUrl).then((r) => r.text());
process.send!({ ready: true });
