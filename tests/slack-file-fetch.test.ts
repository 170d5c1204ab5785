// Fetching a shared file: the bytes come only with the bot's token, and the cap holds while
// reading even when files.info reports a smaller size than the file has.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSlackFile } from '../src/slack/imports/fetch-file.ts';
import { type FakeSlack, startFakeSlack } from './helpers/fake-slack.ts';
import { tempDir } from './helpers/seed.ts';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.stop());

const client = (token: string) =>
  new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });

describe('fetchSlackFile', () => {
  it('keeps the bytes and their sha256 under the file name', async () => {
    fake.shareUserFile('F0FETCH01', 'robbery.csv', Buffer.from('period,value\n2021-11,1\n'));
    const dir = tempDir('fetch-');
    const got = await fetchSlackFile(client('xoxb-test'), fetch, 'F0FETCH01', dir);
    expect(got).toMatchObject({
      ok: true,
      name: 'robbery.csv',
      bytes: 23,
      sha256: createHash('sha256').update('period,value\n2021-11,1\n').digest('hex'),
    });
    expect(fs.readFileSync(path.join(dir, 'robbery.csv'), 'utf8')).toBe('period,value\n2021-11,1\n');
  });

  it('stops reading at the cap when the file is larger than files.info said, and keeps nothing', async () => {
    fake.shareUserFile('F0FETCH02', 'big.csv', Buffer.alloc(200_000, 'x'), 10);
    const dir = tempDir('fetch-');
    const got = await fetchSlackFile(client('xoxb-test'), fetch, 'F0FETCH02', dir, 50_000);
    expect(got).toEqual({ ok: false, reason: 'it is over 0.0 MB; files that large are not read' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses the sign-in page Slack sends when the token may not read the file', async () => {
    fake.shareUserFile('F0FETCH03', 'a.csv', Buffer.from('period,value\n'));
    const got = await fetchSlackFile(client('xoxb-other'), fetch, 'F0FETCH03', tempDir('fetch-'));
    expect(got).toEqual({ ok: false, reason: expect.stringContaining('sign-in page') });
  });
});
