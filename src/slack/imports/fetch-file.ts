// Fetches a file an analyst shared: files.info for its size and private URL, then the bytes
// with the bot's token (Authorization: Bearer), through the same fetch as the Web API client
// (the proxy, when one is set). A file over the cap is refused before any byte is fetched,
// and the bytes read are capped too: files.info's size is Slack's word, not a promise.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { webApi } from '@slack/bolt';

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export type FetchedFile =
  { ok: true; name: string; path: string; sha256: string; bytes: number } | { ok: false; reason: string };

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function fetchSlackFile(
  client: webApi.WebClient,
  fetchImpl: typeof fetch,
  fileId: string,
  dir: string,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<FetchedFile> {
  const info = await client.files.info({ file: fileId });
  const file = info.file;
  const name = safeName(file?.name ?? fileId);
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) return { ok: false, reason: 'Slack did not say where the file is' };
  if (typeof file.size === 'number' && file.size > maxBytes)
    return { ok: false, reason: `it is ${mb(file.size)}; files over ${mb(maxBytes)} are not read` };

  const res = await fetchImpl(url, { headers: { authorization: `Bearer ${client.token}` } });
  if (!res.ok || !res.body) return { ok: false, reason: `Slack answered ${res.status} when the file was fetched` };
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body.cancel();
    // What Slack sends instead of a file when the token may not read it.
    return { ok: false, reason: 'Slack sent a sign-in page instead of the file (does the app have files:read?)' };
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body.cancel();
    return { ok: false, reason: `it is ${mb(declared)}; files over ${mb(maxBytes)} are not read` };
  }
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  const hash = createHash('sha256');
  const out = fs.createWriteStream(target);
  let read = 0;
  let tooBig = false;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      read += chunk.byteLength;
      if (read > maxBytes) {
        tooBig = true;
        break; // leaving the loop cancels the download
      }
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  if (tooBig) {
    fs.rmSync(target, { force: true });
    return { ok: false, reason: `it is over ${mb(maxBytes)}; files that large are not read` };
  }
  return { ok: true, name, path: target, sha256: hash.digest('hex'), bytes: read };
}

/** The file's own name, without any path: it names the temp copy, and the refusals. */
function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\0/]/g, '_');
  return base === '' || base === '.' || base === '..' ? 'upload' : base.slice(0, 200);
}
