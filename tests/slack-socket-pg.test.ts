// Socket Mode replicas on PostgreSQL: Slack hands each event to any of the app's connections,
// so a replica that cannot reach the database closes its connection (the others take the
// events) and opens it again once the database is back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { type FakeSocketMode, slashCommandEnvelope, startFakeSocketMode } from './helpers/fake-socket-mode.ts';
import { startPostgres, type PostgresCluster } from './helpers/postgres.ts';
import { type SocketBot, startSocketBot } from './helpers/socket-bot.ts';

let cluster: PostgresCluster;
let fake: FakeSlack;
let socket: FakeSocketMode;
let bot: SocketBot | undefined;

beforeAll(async () => {
  [cluster, fake] = await Promise.all([startPostgres(), startFakeSlack()]);
  socket = await startFakeSocketMode(fake);
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await socket?.stop();
  await fake?.stop();
  await cluster?.stop();
}, 30_000);

it('closes its Socket Mode connection while the database is down and reconnects once it is back', async () => {
  bot = await startSocketBot(fake, { store: await cluster.createDatabase() });
  await bot.started;
  const first = await socket.waitForConnections(1);
  await expect.poll(() => bot!.health(), { timeout: 10_000 }).toBe(200);

  await cluster.kill();
  await expect.poll(() => first.open, { timeout: 10_000, interval: 100 }).toBe(false);
  expect(socket.current).toBeUndefined();
  expect(await bot.health()).toBe(503);
  expect(bot.logs.join('\n')).toMatch(
    /the store cannot be reached: closing the Socket Mode connection until it is back/,
  );
  // Still closed a while later: the bot does not reconnect by itself while the store is down.
  await new Promise((r) => setTimeout(r, 2500));
  expect(socket.current).toBeUndefined();

  await cluster.restart();
  await socket.waitForConnections(2, 15_000);
  await expect.poll(() => bot!.health(), { timeout: 10_000 }).toBe(200);
  const id = socket.send(
    slashCommandEnvelope({ text: 'robbery', channel_id: 'C0BACK', response_url: fake.responseUrl() }),
  );
  await socket.waitForAck(id, 3000);
  await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params.channel === 'C0BACK', 10_000);
}, 60_000);
