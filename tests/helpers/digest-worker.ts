// One "bot process" delivering one week's digest, for the two-process exactly-once test:
//   node --import tsx tests/helpers/digest-worker.ts <store file> <Slack API URL> <channel> <week>
// Prints the delivery result as JSON.
import { webApi } from '@slack/bolt';
import { openStore } from '../../src/store/open-store.ts';
import { deliverDigest } from '../../src/slack/digest/delivery.ts';
import { digestClient } from '../../src/slack/digest/runtime.ts';

const [file, apiUrl, channel, week] = process.argv.slice(2) as [string, string, string, string];
const store = await openStore(file, { notice: () => undefined });
const client = digestClient(new webApi.WebClient('xoxb-test', { slackApiUrl: apiUrl }));
const log = {
  info: (m: string) => process.stderr.write(`${m}\n`),
  warn: (m: string) => process.stderr.write(`${m}\n`),
  error: (m: string) => process.stderr.write(`${m}\n`),
};
const result = await deliverDigest(
  {
    store,
    client,
    log,
    zone: 'Europe/London',
    now: () => new Date(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    renderChart: null,
    retryDelaysMs: [200],
  },
  { channel, week },
);
await store.close();
process.stdout.write(JSON.stringify(result));
