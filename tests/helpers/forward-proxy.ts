// A forward proxy on 127.0.0.1 that records what passes through it: CONNECT tunnels (what undici's
// ProxyAgent opens, for http:// targets too) and plain absolute-URL requests. It remembers the
// local port of every connection it opens onward, so a test can tell, call by call, whether the
// fake Slack was reached through the proxy (the call's remote port is one of them) or directly.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** "host:port" of each CONNECT, and the absolute URL of each forwarded request, in order. */
  readonly seen: string[];
  /** Proxy-Authorization headers received (a proxy URL with user:password sends one). */
  readonly authorizations: string[];
  /** The local ports of the proxy's onward connections. */
  readonly upstreamPorts: Set<number>;
  stop(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const authorizations: string[] = [];
  const upstreamPorts = new Set<number>();
  const sockets = new Set<net.Socket>();
  const noteAuth = (req: http.IncomingMessage) => {
    const auth = req.headers['proxy-authorization'];
    if (auth) authorizations.push(auth);
  };
  const server = http.createServer((req, res) => {
    noteAuth(req);
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const onward = http.request(target, { method: req.method, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    onward.on('socket', (s) => s.on('connect', () => upstreamPorts.add(s.localPort!)));
    onward.on('error', () => res.destroy());
    req.pipe(onward);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    noteAuth(req);
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const onward = net.connect(Number(port), host, () => {
      upstreamPorts.add(onward.localPort!);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      onward.write(head);
      onward.pipe(client);
      client.pipe(onward);
    });
    for (const s of [client, onward]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        onward.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    authorizations,
    upstreamPorts,
    async stop() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
