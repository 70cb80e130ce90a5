/**
 * A small forward proxy on 127.0.0.1 for the proxy tests: CONNECT tunnels (what the connector
 * uses for a remote https target) and absolute-form requests ("POST http://127.0.0.1:port/path",
 * what undici would send for an http:// target without a tunnel), both only to loopback targets.
 * The connector never proxies a loopback target, so the tests name a remote one, REMOTE_HOST (a
 * reserved .test name that resolves nowhere, in the test certificate's SAN), which this proxy
 * alone resolves, to 127.0.0.1. It records what it was asked and every byte a client sent
 * through a tunnel, and can require Basic credentials (407 otherwise).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  readonly url: string;
  readonly port: number;
  /** host:port of each CONNECT, in order (refused ones included). */
  readonly connects: string[];
  /** Absolute-form requests forwarded (method and URL). */
  readonly forwarded: string[];
  /** The Proxy-Authorization header of each request to the proxy (undefined when none). */
  readonly authorizations: (string | undefined)[];
  /** Everything clients sent through tunnels (TLS records for an https target). */
  tunnelBytes(): Buffer;
  /** Forgets everything recorded so far (between tests). */
  reset(): void;
  close(): Promise<void>;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;

/** The remote https host the proxy tests use: only this proxy resolves it (to 127.0.0.1). */
export const REMOTE_HOST = 'api.mimecast.test';
const resolveHost = (host: string): string => (host === REMOTE_HOST ? '127.0.0.1' : host);

export async function startProxy(opts: { credentials?: string } = {}): Promise<TestProxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const tunnelled: Buffer[] = [];
  const sockets = new Set<Socket>();
  const expected = opts.credentials ? `Basic ${Buffer.from(opts.credentials).toString('base64')}` : undefined;

  const authorized = (req: IncomingMessage): boolean => {
    const given = req.headers['proxy-authorization'];
    authorizations.push(given);
    return !expected || given === expected;
  };

  const server: Server = createServer((req, res) => {
    // Absolute-form: the request line carries the whole target URL.
    forwarded.push(`${req.method} ${req.url}`);
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    target.hostname = resolveHost(target.hostname);
    if (!LOOPBACK.test(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(target, { method: req.method, headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    connects.push(req.url ?? '');
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [name, port] = (req.url ?? '').split(':');
    const host = resolveHost(name);
    if (!LOOPBACK.test(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) {
        tunnelled.push(head);
        upstream.write(head);
      }
      client.on('data', (d: Buffer) => tunnelled.push(d));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    forwarded,
    authorizations,
    tunnelBytes: () => Buffer.concat(tunnelled),
    reset: () => {
      for (const list of [connects, forwarded, authorizations, tunnelled]) list.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
