// A loopback TCP proxy in front of PostgreSQL that can lose a COMMIT the way a network does:
// 'before' drops the connection as the COMMIT is sent (it never arrives, so PostgreSQL rolls
// back), 'after' lets it arrive and drops the connection as the reply comes back (committed,
// but the client cannot know).
import net from 'node:net';

export type CutMode = 'before' | 'after';

export interface CuttingProxy {
  port: number;
  /** Cuts the connection that sends the next COMMIT. */
  cutNextCommit(mode: CutMode): void;
  /** How many commits were cut so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

const COMMIT = Buffer.from('commit\0');

export function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  let mode: CutMode | null = null;
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let cutOnReply = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => {
      if (mode && d.includes(COMMIT)) {
        const m = mode;
        mode = null;
        cuts += 1;
        if (m === 'before') return cut();
        cutOnReply = true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => (cutOnReply ? cut() : client.write(d)));
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => {
        sockets.delete(s);
        cut();
      });
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        cutNextCommit: (m) => (mode = m),
        get cuts() {
          return cuts;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}
