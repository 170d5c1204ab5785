// A dedicated connection that LISTENs for other replicas' commits, so the in-memory copy is
// usually refreshed before the next request asks. It reconnects with backoff for as long as the
// store is open, and its state doubles as the replica's view of whether the database is there.
import pg from 'pg';

export interface Listener {
  readonly connected: boolean;
  close(): Promise<void>;
}

export interface ListenerEvents {
  onNotify(payload: string): void;
  /** After every (re)connect: notifications sent meanwhile were lost. */
  onConnect(): void;
  onHealth?: (healthy: boolean) => void;
}

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5000;

export function startListener(url: string, channel: string, events: ListenerEvents): Listener {
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let wait = BACKOFF_MIN_MS;
  let timer: NodeJS.Timeout | null = null;
  let healthy: boolean | null = null;

  const setHealth = (now: boolean) => {
    if (healthy === now) return;
    healthy = now;
    events.onHealth?.(now);
  };

  const retry = () => {
    connected = false;
    if (closed || timer) return;
    setHealth(false);
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, wait);
    timer.unref();
    wait = Math.min(wait * 2, BACKOFF_MAX_MS);
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, keepAlive: true });
    client = c;
    c.on('error', () => undefined); // 'end' follows and schedules the reconnect
    c.on('end', () => {
      if (client === c) retry();
    });
    c.on('notification', (n) => {
      if (n.channel === channel) events.onNotify(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch {
      await c.end().catch(() => undefined);
      if (client === c) retry();
      return;
    }
    if (closed) return void (await c.end().catch(() => undefined));
    connected = true;
    wait = BACKOFF_MIN_MS;
    setHealth(true);
    events.onConnect();
  };

  void connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
