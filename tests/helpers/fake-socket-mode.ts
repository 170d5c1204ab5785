// A fake Slack Socket Mode server on 127.0.0.1: the WebSocket end of apps.connections.open.
// No WebSocket server package is installed (@slack/socket-mode 3 connects with undici's
// WebSocket client, and `ws` is absent), so this speaks the little of RFC 6455 the client
// uses: the upgrade, unfragmented or fragmented text frames, ping/pong and close. Each new
// connection is greeted with `hello` (unless held), and every frame the bot sends is recorded.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FakeSlack } from './fake-slack.ts';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** What the bot sends: acks ({envelope_id, payload}); anything unparsable is kept as its text. */
export type SentMessage = { envelope_id?: string; payload?: unknown; [key: string]: unknown } | string;

export interface ReceivedFrame {
  /** Which connection (0-based, in the order the bot opened them). */
  connection: number;
  message: SentMessage;
  at: number;
}

export class FakeConnection {
  open = true;
  helloAt: number | null = null;
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];

  constructor(
    readonly index: number,
    private readonly socket: Socket,
    private readonly onText: (text: string) => void,
    private readonly onClosed: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('close', () => this.closed());
    socket.on('error', () => this.closed());
  }

  send(message: unknown): void {
    if (this.open) this.socket.write(frame(OP.text, Buffer.from(JSON.stringify(message))));
  }

  hello(): void {
    this.helloAt = performance.now();
    this.send({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake-socket-mode', approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0MEASURES' },
    });
  }

  /** Drops the TCP connection without a close frame, as a network failure would. */
  destroy(): void {
    this.socket.destroy();
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.onClosed();
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const parsed = parseFrame(this.buffer);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.length);
      this.handle(parsed.fin, parsed.opcode, parsed.payload);
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP.ping) {
      this.socket.write(frame(OP.pong, payload));
    } else if (opcode === OP.close) {
      // Echo the close (same status code), then end the TCP connection, as the server side does.
      if (this.open) this.socket.end(frame(OP.close, payload.subarray(0, 2)));
      this.closed();
    } else if (opcode === OP.text || opcode === OP.continuation) {
      this.fragments.push(payload);
      if (!fin) return;
      const text = Buffer.concat(this.fragments).toString('utf8');
      this.fragments = [];
      this.onText(text);
    }
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.alloc(2) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (length < 126) head[1] = length;
  else if (length < 65_536) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** One client frame from the front of `buf` (clients always mask), or null until it has all arrived. */
function parseFrame(buf: Buffer): { fin: boolean; opcode: number; payload: Buffer; length: number } | null {
  if (buf.length < 2) return null;
  const fin = (buf[0]! & 0x80) !== 0;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let length = buf[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? buf.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i += 1) payload[i]! ^= mask[i % 4]!;
  return { fin, opcode, payload, length: offset + length };
}

export class FakeSocketMode {
  readonly connections: FakeConnection[] = [];
  /** Every text frame the bot sent (acks carry envelope_id). */
  readonly received: ReceivedFrame[] = [];
  /** Greet each new connection with hello at once; false holds it until `hello()`. */
  autoHello = true;
  base = '';
  private server: http.Server;
  private listeners: Array<() => void> = [];
  private seq = 0;

  constructor() {
    this.server = http.createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket: Socket) => this.accept(req, socket));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A fresh URL, as apps.connections.open hands out a new one each time. */
  url(): string {
    return `${this.base}/link/?ticket=${++this.seq}`;
  }

  /** Makes `fake` answer apps.connections.open with a URL of this server. */
  attachTo(fake: FakeSlack): this {
    fake.socketModeUrl = () => this.url();
    return this;
  }

  /** The newest connection still open. */
  get current(): FakeConnection | undefined {
    return this.connections.filter((c) => c.open).at(-1);
  }

  /** Sends an envelope on the newest open connection; resolves with its envelope_id. */
  send(envelope: Record<string, unknown>): string {
    const connection = this.current;
    if (!connection) throw new Error('fake Socket Mode: the bot has no open connection');
    const envelopeId = (envelope.envelope_id as string | undefined) ?? `env-${++this.seq}`;
    connection.send({ ...envelope, envelope_id: envelopeId });
    return envelopeId;
  }

  /** Slack's request to reconnect, on the newest open connection. */
  disconnect(reason = 'refresh_requested'): void {
    this.current?.send({ type: 'disconnect', reason, debug_info: { host: 'fake-socket-mode' } });
  }

  /** Sends the held hello on the newest open connection. */
  hello(): void {
    this.current?.hello();
  }

  /** Resolves once the bot has opened `count` connections in all. */
  waitForConnections(count: number, timeoutMs = 10_000): Promise<FakeConnection> {
    return this.waitUntil(() => this.connections[count - 1], `${count} connection(s)`, timeoutMs);
  }

  /** Resolves with the frame that acknowledges `envelopeId`. */
  waitForAck(envelopeId: string, timeoutMs = 5000): Promise<ReceivedFrame> {
    return this.waitUntil(
      () => this.received.find((f) => typeof f.message === 'object' && f.message.envelope_id === envelopeId),
      `an ack of ${envelopeId}`,
      timeoutMs,
    );
  }

  private waitUntil<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = probe();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`fake Socket Mode: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        const hit = probe();
        if (!hit) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(hit);
      };
      this.listeners.push(check);
    });
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  private accept(req: http.IncomingMessage, socket: Socket): void {
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.setNoDelay(true);
    const index = this.connections.length;
    const connection = new FakeConnection(
      index,
      socket,
      (text) => {
        let message: SentMessage;
        try {
          message = JSON.parse(text) as SentMessage;
        } catch {
          message = text;
        }
        this.received.push({ connection: index, message, at: performance.now() });
        this.changed();
      },
      () => this.changed(),
    );
    this.connections.push(connection);
    if (this.autoHello) connection.hello();
    this.changed();
  }
}

export async function startFakeSocketMode(fake: FakeSlack): Promise<FakeSocketMode> {
  return (await new FakeSocketMode().start()).attachTo(fake);
}

/** A slash command as Socket Mode delivers it: the form fields as a JSON payload. */
export function slashCommandEnvelope(fields: Record<string, string>): Record<string, unknown> {
  return {
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: {
      token: 'legacy-unused',
      team_id: 'T0FAKE',
      team_domain: 'fake',
      channel_name: 'general',
      user_name: 'asker',
      user_id: 'U0ASKER',
      command: '/measures',
      api_app_id: 'A0MEASURES',
      is_enterprise_install: 'false',
      trigger_id: `${Date.now()}.1.abc`,
      ...fields,
    },
  };
}

/** An Events API callback as Socket Mode delivers it. */
export function eventsApiEnvelope(eventId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: 0,
    retry_reason: '',
    payload: {
      token: 'legacy-unused',
      team_id: 'T0FAKE',
      api_app_id: 'A0MEASURES',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
      event,
    },
  };
}
