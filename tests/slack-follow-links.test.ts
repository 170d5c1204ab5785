// A follower DM edited after a restart keeps the links to the threads of the sets it already
// showed: the bot's memory of those links starts empty, so it asks Slack again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type RunningBot, startBot } from './helpers/slack-app.ts';
import { addFollow, tempStoreFile } from './helpers/store-temp.ts';
import { blocksText, postAnswerIn, replyInThread, settle } from './helpers/slack-threads.ts';

let fake: FakeSlack;
let storeFile: string;
const bots: RunningBot[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  storeFile = tempStoreFile((s) => {
    addFollow(s, 'U0FAN', 'robbery');
  });
});
afterAll(async () => {
  for (const b of bots) await b.stop();
  await fake?.stop();
});

async function start(): Promise<RunningBot> {
  const bot = await startBot(fake, { storeFile, watch: true, config: { analysts: ['U0ANALYST'] } });
  bots.push(bot);
  return bot;
}

const threadLinks = (text: string) =>
  [...text.matchAll(/<(https:\/\/fake\.slack\.com\/[^|>]+)\|view the thread>/g)].map((m) => m[1]);

it('keeps the earlier set’s thread link when it edits the DM after a restart', async () => {
  const first = await start();
  const answerTs = await postAnswerIn(fake, first, 'robbery', 'C0LINKS');
  await replyInThread(first, 'C0LINKS', answerTs, 'comment: first look');
  const sent = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'DU0FAN', 5000);
  const firstLinks = threadLinks(blocksText(sent));
  expect(firstLinks).toHaveLength(1);
  await settle(first);
  await bots.pop()!.stop();

  const second = await start();
  await replyInThread(second, 'C0LINKS', answerTs, 'comment: second look');
  const edited = await fake.waitFor((c) => c.method === 'chat.update' && c.params.channel === 'DU0FAN', 5000);
  const links = threadLinks(blocksText(edited));
  expect(links).toHaveLength(2);
  expect(links[0]).toBe(firstLinks[0]);
});
