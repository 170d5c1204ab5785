// A fake Slack Web API on 127.0.0.1 for tests and the bench. It answers what the bot calls
// (auth.test, chat.*, the three steps of files.uploadV2, files.delete, response_url), records every call,
// and can be told to fail a method, answer 429 once, or keep a new file "processing" a while.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface SlackText {
  type: string;
  text: string;
}

/** A block as Slack received it, with the fields tests read; the rest is compared as JSON. */
export interface SlackBlock {
  type: string;
  /** header and section blocks */
  text?: SlackText;
  /** context blocks (mrkdwn text) and actions blocks (buttons with a label) */
  elements?: { type: string; text?: string | SlackText; value?: string; action_id?: string }[];
  /** image blocks */
  slack_file?: { id: string };
  alt_text?: string;
  [field: string]: unknown;
}

/** An image block as the bot sends it: a file uploaded to Slack, and its alt text. */
export type ImageBlock = SlackBlock & { slack_file: { id: string }; alt_text: string };

/**
 * A call's fields as the fake received them: form fields are strings, and blocks, attachments,
 * files and metadata are parsed from JSON. Typed as the bot sends them; a test fake trusts its
 * one client rather than validating it.
 */
export interface SlackParams {
  channel?: string;
  channel_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  message_ts?: string;
  user?: string;
  usergroup?: string;
  blocks?: SlackBlock[];
  files?: { id: string; title?: string }[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** views.publish: the Home tab. */
  user_id?: string;
  view?: { type: string; blocks: SlackBlock[] };
  filename?: string;
  length?: string | number;
  alt_text?: string;
  response_type?: string;
  /** The absolute URL a response was posted to ("response" calls only). */
  responseUrl?: string;
  /** The file an upload was for ("upload" calls only). */
  fileId?: string;
  [field: string]: unknown;
}

export interface RecordedCall {
  /** Web API method ("chat.postMessage"), or "upload" / "response" for the absolute URLs. */
  method: string;
  params: SlackParams;
  /** Raw bytes of an upload (the file part of the multipart body). */
  file?: Buffer;
  /** What the fake answered. */
  status: number;
  reply: unknown;
  at: number;
  headers: http.IncomingHttpHeaders;
  /** The caller's port: tells which connection (e.g. a proxy's) the call came on. */
  remotePort: number | undefined;
}

export interface Failure {
  /** A Slack error code answered as {ok:false, error}. */
  error?: string;
  /** An HTTP status instead (e.g. 500, or 429 with retryAfter). */
  status?: number;
  retryAfter?: number;
  /** How many calls fail; default 1. */
  times?: number;
  /** Only calls whose params match. */
  when?: (params: SlackParams) => boolean;
  /** The call takes effect anyway (e.g. a post whose answer timed out): for exactly-once tests. */
  applied?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: SlackBlock[];
  thread_ts?: string;
  updates: number;
  /** chat.postMessage / chat.update metadata ({event_type, event_payload}). */
  metadata?: SlackParams['metadata'];
}

/** A modal as the bot sends it to views.open / views.update. */
export interface FakeView {
  type: string;
  callback_id?: string;
  private_metadata?: string;
  title: SlackText;
  submit?: SlackText;
  close?: SlackText;
  blocks: SlackBlock[];
}

const JSON_FIELDS = ['blocks', 'attachments', 'files', 'metadata', 'view'];

function parseBody(contentType: string | undefined, raw: Buffer): SlackParams {
  const text = raw.toString('utf8');
  if (!text) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(text) as SlackParams;
  const params: SlackParams = { ...parseQuery(text) };
  for (const field of JSON_FIELDS) {
    if (typeof params[field] === 'string') {
      try {
        params[field] = JSON.parse(params[field]);
      } catch {
        // leave as sent
      }
    }
  }
  return params;
}

/** The first file part of a multipart body (web-api sends one part named "body"). */
function multipartFile(contentType: string | undefined, raw: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!boundary) return raw;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(delimiter);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
  return raw.subarray(headerEnd + 4, end === -1 ? raw.length : end);
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Channels the bot is not a member of: posting answers not_in_channel. */
  readonly notMember = new Set<string>();
  /** Conversations the bot cannot see (private channels, DMs): channel_not_found. */
  readonly notFound = new Set<string>();
  /** A file shows in blocks only this long after completeUploadExternal (invalid_blocks before). */
  fileReadyAfterMs = 0;
  /** Added to every answer, to simulate Slack's latency. */
  latencyMs = 0;
  /** Users conversations.open refuses, with Slack's error (e.g. user_disabled, cannot_dm_bot). */
  readonly refusedUsers = new Map<string, string>();
  /** User group ID → member user IDs, for usergroups.users.list (unknown IDs: no_such_subteam). */
  readonly usergroups = new Map<string, string[]>();
  /** User ID → the Home tab last published for them (views.publish). */
  readonly homeViews = new Map<string, NonNullable<SlackParams['view']>>();
  /** When set (ms since the epoch), new message ts follow this clock, e.g. a test's injected one. */
  clock: (() => number) | null = null;
  /** apps.connections.open answers with this URL (fake-socket-mode.ts sets it); unset, unknown_method. */
  socketModeUrl: (() => string) | null = null;
  /** Modals opened (views.open) and redrawn (views.update), by view id, as last shown. */
  readonly views = new Map<string, FakeView & { id: string; hash: string }>();
  /** `${channel}:${ts}` of every message chat.delete removed, in order. */
  readonly deleted: string[] = [];
  private failures = new Map<string, Failure[]>();
  private files = new Map<string, { completedAt: number | null; title?: string; bytes?: Buffer; deleted?: boolean }>();
  private server: http.Server;
  private seq = 0;
  private listeners: Array<() => void> = [];
  base = '';
  /** Files people shared (files.info and url_private): id → name, bytes, and a size Slack reports. */
  readonly userFiles = new Map<string, { name: string; bytes: Buffer; size: number }>();

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const send = () => this.handle(req, res, raw);
        if (this.latencyMs > 0) setTimeout(send, this.latencyMs);
        else send();
      });
    });
    // Kept alive like Slack's (its answers announce no short timeout). 1 s here made every
    // Web API call open a new connection: undici drops a connection whose announced keep-alive
    // is within 2 s of running out. stop() closes them, so they never hold the test process open.
    this.server.keepAliveTimeout = 5000;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** For SLACK_API_URL / clientOptions.slackApiUrl. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A fresh response_url for one slash command or click. */
  responseUrl(): string {
    return `${this.base}/response/${++this.seq}`;
  }

  fail(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push({ times: 1, ...failure });
    this.failures.set(method, list);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(
          new Error(
            `fake Slack: no matching call within ${timeoutMs} ms; saw ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        const hit = this.calls.find(predicate);
        if (!hit) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(hit);
      };
      this.listeners.push(check);
    });
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const l of [...this.listeners]) l();
  }

  private takeFailure(method: string, params: SlackParams): Failure | undefined {
    const list = this.failures.get(method);
    const failure = list?.find((f) => (f.times ?? 1) > 0 && (!f.when || f.when(params)));
    if (failure) failure.times = (failure.times ?? 1) - 1;
    return failure;
  }

  /** A file a person shares; `size` is what files.info reports (default the bytes' length). */
  shareUserFile(id: string, name: string, bytes: Buffer, size = bytes.length): { id: string; name: string } {
    this.userFiles.set(id, { name, bytes, size });
    return { id, name };
  }

  /** url_private: the bytes for the bot's token, a sign-in page (as Slack sends) for anyone else. */
  private serveUserFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const id = url.pathname.split('/')[2] ?? '';
    const file = this.userFiles.get(id);
    const authorized = req.headers.authorization === 'Bearer xoxb-test';
    this.record({
      method: 'file.download',
      params: { fileId: id },
      status: 200,
      reply: null,
      at: performance.now(),
      headers: req.headers,
      remotePort: req.socket.remotePort,
    });
    if (!file || !authorized) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Sign in to Slack</html>');
      return;
    }
    // A file whose reported size is not its own goes out chunked, without a length: only a cap
    // on the bytes read can stop it.
    const honest = file.size === file.bytes.length;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(honest ? { 'content-length': String(file.bytes.length) } : {}),
    });
    res.end(file.bytes);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', this.base);
    if (url.pathname.startsWith('/files-pri/')) return this.serveUserFile(req, res, url);
    const contentType = req.headers['content-type'];
    let method: string;
    let params: SlackParams = {};
    let file: Buffer | undefined;
    if (url.pathname.startsWith('/api/')) {
      method = url.pathname.slice('/api/'.length);
      params = parseBody(contentType, raw);
    } else if (url.pathname.startsWith('/upload/')) {
      method = 'upload';
      params = { fileId: url.pathname.slice('/upload/'.length) };
      file = multipartFile(contentType, raw);
    } else if (url.pathname.startsWith('/response/')) {
      method = 'response';
      params = parseBody(contentType, raw);
      params.responseUrl = `${this.base}${url.pathname}`;
    } else {
      method = `unknown ${url.pathname}`;
    }
    const failure = this.takeFailure(method, params);
    let status = 200;
    let reply: unknown;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (failure?.status) {
      status = failure.status;
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      reply = { ok: false, error: status === 429 ? 'ratelimited' : 'fake_http_error' };
    } else if (failure?.error) {
      reply = { ok: false, error: failure.error };
    } else {
      reply = this.answer(method, params, file);
    }
    if (failure?.applied && (failure.status || failure.error)) this.answer(method, params, file);
    this.record({
      method,
      params,
      file,
      status,
      reply,
      at: performance.now(),
      headers: req.headers,
      remotePort: req.socket.remotePort,
    });
    res.writeHead(status, headers);
    res.end(JSON.stringify(reply));
  }

  private checkChannel(channel: string | undefined): string | null {
    if (!channel) return 'channel_not_found';
    if (this.notFound.has(channel)) return 'channel_not_found';
    if (this.notMember.has(channel)) return 'not_in_channel';
    return null;
  }

  /** invalid_blocks while an image block names a file that is not processed yet (or unknown). */
  private checkImages(blocks: unknown): string | null {
    if (!Array.isArray(blocks)) return null;
    for (const b of blocks as Array<{ type?: string; slack_file?: { id?: string } }>) {
      if (b.type !== 'image' || !b.slack_file?.id) continue;
      const f = this.files.get(b.slack_file.id);
      if (!f || f.deleted || f.completedAt === null || performance.now() - f.completedAt < this.fileReadyAfterMs)
        return 'invalid_blocks';
    }
    return null;
  }

  private answer(method: string, params: SlackParams, file?: Buffer): unknown {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'measures',
          team_id: 'T0FAKE',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        // As Slack: a user ID posts in the app's DM with that user, whose ID is the answer's channel.
        if (/^[UW]/.test(params.channel ?? '')) params = { ...params, channel: `D${params.channel!.slice(1)}` };
        const problem = this.checkChannel(params.channel) ?? this.checkImages(params.blocks);
        if (problem) return { ok: false, error: problem };
        const seconds = this.clock ? Math.floor(this.clock() / 1000) : 1_700_000_000 + this.seq + 1;
        const ts = `${seconds}.${String(++this.seq).padStart(6, '0')}`;
        this.messages.set(`${params.channel}:${ts}`, {
          channel: params.channel!, // checkChannel refused a call without one
          ts,
          text: params.text ?? '',
          blocks: params.blocks ?? [],
          thread_ts: params.thread_ts,
          updates: 0,
          metadata: params.metadata,
        });
        return { ok: true, channel: params.channel, ts, message: { text: params.text, ts } };
      }
      case 'chat.update': {
        const msg = this.messages.get(`${params.channel}:${params.ts}`);
        if (!msg) return { ok: false, error: 'message_not_found' };
        const problem = this.checkImages(params.blocks);
        if (problem) return { ok: false, error: problem };
        msg.text = params.text ?? msg.text;
        msg.blocks = params.blocks ?? msg.blocks;
        msg.metadata = params.metadata ?? msg.metadata;
        msg.updates += 1;
        return { ok: true, channel: params.channel, ts: params.ts, text: msg.text };
      }
      case 'conversations.open': {
        // One DM channel per user, as Slack: "D" and the user's ID.
        const user = String(params.users ?? '');
        if (!user || user.includes(',')) return { ok: false, error: 'user_not_found' };
        const refused = this.refusedUsers.get(user);
        if (refused) return { ok: false, error: refused };
        return { ok: true, channel: { id: `D${user}` } };
      }
      case 'chat.delete': {
        const key = `${params.channel}:${params.ts}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        this.messages.delete(key);
        this.deleted.push(key);
        return { ok: true, channel: params.channel, ts: params.ts };
      }
      case 'chat.postEphemeral':
        return this.checkChannel(params.channel)
          ? { ok: false, error: this.checkChannel(params.channel) }
          : { ok: true, message_ts: `${Date.now() / 1000}` };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: params.channel,
          permalink: `https://fake.slack.com/archives/${params.channel}/p${String(params.message_ts).replace('.', '')}`,
        };
      case 'files.getUploadURLExternal': {
        const id = `F0FAKE${String(++this.seq).padStart(6, '0')}`;
        this.files.set(id, { completedAt: null });
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case 'upload': {
        const f = this.files.get(params.fileId!);
        if (f) f.bytes = file;
        return 'OK';
      }
      case 'files.completeUploadExternal': {
        const problem = params.channel_id ? this.checkChannel(params.channel_id) : null;
        if (problem) return { ok: false, error: problem };
        const list = (params.files ?? []) as Array<{ id: string; title?: string }>;
        for (const item of list) {
          const f = this.files.get(item.id);
          if (f) {
            f.completedAt = performance.now();
            f.title = item.title;
          }
        }
        return { ok: true, files: list.map((item) => ({ id: item.id, title: item.title, name: item.title })) };
      }
      case 'files.delete': {
        // As Slack: a file already deleted, or never uploaded, is file_not_found.
        const f = this.files.get(String(params.file));
        if (!f || f.deleted) return { ok: false, error: 'file_not_found' };
        f.deleted = true;
        return { ok: true };
      }
      case 'conversations.history': {
        // Top-level messages, newest first; metadata only with include_all_metadata, as in Slack.
        const problem = this.checkChannel(params.channel);
        if (problem) return { ok: false, error: problem };
        const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
        const oldest = Number(params.oldest ?? 0);
        const all = [...this.messages.values()]
          .filter(
            (m) => m.channel === params.channel && (!m.thread_ts || m.thread_ts === m.ts) && Number(m.ts) > oldest,
          )
          .sort((a, b) => Number(b.ts) - Number(a.ts));
        const start = Number(params.cursor ?? 0);
        const limit = Number(params.limit ?? 100);
        const page = all.slice(start, start + limit).map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          bot_id: 'B0BOT',
          ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
        }));
        const more = start + limit < all.length;
        return {
          ok: true,
          messages: page,
          has_more: more,
          response_metadata: { next_cursor: more ? String(start + limit) : '' },
        };
      }
      case 'files.info': {
        const f = this.userFiles.get(String(params.file));
        if (!f) return { ok: false, error: 'file_not_found' };
        const url = `${this.base}/files-pri/${String(params.file)}/${encodeURIComponent(f.name)}`;
        return {
          ok: true,
          file: { id: params.file, name: f.name, size: f.size, url_private: url, url_private_download: url },
        };
      }
      case 'usergroups.users.list': {
        // How the bot learns who the members of ANALYST_USERGROUP are.
        const users = this.usergroups.get(params.usergroup!);
        return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
      }
      case 'views.open':
      case 'views.update':
        return this.openView(method, params);
      case 'apps.connections.open':
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl() } : { ok: false, error: 'unknown_method' };
      case 'views.publish': {
        // The view arrives as a JSON form field; keep it parsed, so tests read its blocks.
        if (typeof params.view === 'string') params.view = JSON.parse(params.view) as SlackParams['view'];
        if (!params.user_id || !params.view) return { ok: false, error: 'invalid_arguments' };
        this.homeViews.set(params.user_id, params.view);
        return { ok: true, view: { id: `V0FAKE${++this.seq}`, ...params.view } };
      }
      case 'response':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * Modals: views.open needs a trigger_id, views.update a view_id (and a matching hash when one
   * is given). Slack's limits on a modal are checked, so a view it would refuse fails here too.
   */
  private openView(method: string, params: SlackParams): unknown {
    const view = (typeof params.view === 'string' ? JSON.parse(params.view) : params.view) as FakeView | undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    if (method === 'views.open' && !params.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
    const tooLong = (t: { text: string } | undefined) => t !== undefined && [...t.text].length > 24;
    if (view.blocks.length > 100 || tooLong(view.title) || tooLong(view.submit) || tooLong(view.close))
      return { ok: false, error: 'invalid_arguments' };
    if ((view.private_metadata ?? '').length > 3000) return { ok: false, error: 'invalid_arguments' };
    let id: string;
    if (method === 'views.update') {
      id = String(params.view_id);
      const held = this.views.get(id);
      if (!held) return { ok: false, error: 'not_found' };
      if (params.hash !== undefined && params.hash !== held.hash) return { ok: false, error: 'hash_conflict' };
    } else id = `V0FAKE${String(++this.seq).padStart(6, '0')}`;
    const stored = { ...view, id, hash: `h${++this.seq}` };
    this.views.set(id, stored);
    return { ok: true, view: stored };
  }

  /** The bytes uploaded for a file id. */
  fileBytes(fileId: string): Buffer | undefined {
    return this.files.get(fileId)?.bytes;
  }
}

export async function startFakeSlack(): Promise<FakeSlack> {
  return new FakeSlack().start();
}
