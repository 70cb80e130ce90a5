/**
 * The risky paths, through runAction against real loopback servers: per-request timeouts on a
 * read (retried) and on a write (sent once, never re-sent), a self-signed certificate (verify
 * true fails before anything is sent; verify false works and warns), a token refresh lock held
 * by a live process (given up on after the lock wait), and a token cache file that is not
 * owner-only (ignored with a warning); also a token request that times out on a write and a TLS
 * handshake that never completes (both retried: nothing of the write was sent). Short timings come
 * from RunOptions (requestTimeoutMs, tokenLock), so no test waits the real 15 s timeout or 10 s
 * lock wait. undici runs its headers/body/connect timers on a ~0.5 s tick, so each timeout here
 * still takes about 1 s whatever requestTimeoutMs below that is given.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { tokenCachePath } from '../../src/client/cache-paths.js';
import { encryptToken } from '../../src/client/token-crypto.js';
import { parseConfig } from '../../src/runtime/config.js';
import { exitCodeFor, runAction, type ResultEnvelope, type RunOptions } from '../../src/runtime/run.js';

// Each runAction opens its own connection (token store, sockets) and closes it: no state is shared
// between tests. Real servers, no nock (importing test/helpers/nock.ts would pull nock into this file).
const made: string[] = [];
const tmpDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-risky-'));
  made.push(dir);
  return dir;
};

const SECRET = 'risky-canary-secret-5e81d0c4a7';
const TOKEN = 'risky-canary-token-Jq8Lr2Vx0Wm5Nc3Kp7Zt';
const FIND = '/api/directory/find-groups';
const ADD = '/api/directory/add-group-member';
const GROUP_ID = 'eNoGroupRisky1';
const addInput = { member_information: [{ id: GROUP_ID, emailAddress: 'timeout.write@example.com' }] };

const tokenBody = JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 });
const groupsBody = JSON.stringify({
  meta: { status: 200, pagination: { pageSize: 1, totalCount: 1 } },
  data: [{ source: 'cloud', folders: [{ id: 'eNoG1', description: 'Risky', source: 'cloud', parentId: 'eNoRoot', userCount: 1, folderCount: 0 }] }],
  fail: [],
});

/** What a test server does with one /api/* request (the token endpoint answers unless holdTokens says not). */
type Behaviour = 'answer' | 'no_headers' | 'stall_body';

interface Received {
  method: string;
  path: string;
  authorization?: string;
}

/** One loopback server (http or https) that records every request it receives. */
class TestServer {
  received: Received[] = [];
  behaviour: Behaviour = 'answer';
  /** How many token requests are accepted and never answered before the next is. */
  holdTokens = 0;
  private readonly held = new Set<ServerResponse>();
  base = '';

  constructor(readonly server: Server) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  async listen(scheme: 'http' | 'https'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  to(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  reset(): void {
    this.release();
    this.received = [];
    this.behaviour = 'answer';
    this.holdTokens = 0;
  }

  /** Ends the connections left hanging by the stalling behaviours. */
  release(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.received.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => {
      if (req.url === '/oauth/token' && this.holdTokens > 0) {
        this.holdTokens--;
        this.held.add(res);
        return;
      }
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(tokenBody);
        return;
      }
      if (this.behaviour === 'no_headers') {
        this.held.add(res); // accepted and read, never answered
        return;
      }
      if (this.behaviour === 'stall_body') {
        this.held.add(res); // headers and the start of the body, then nothing
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(groupsBody.length) });
        res.write(groupsBody.slice(0, 20));
        return;
      }
      const body =
        req.url === ADD
          ? JSON.stringify({ meta: { status: 200 }, data: [{ id: 'eNoMember1', emailAddress: addInput.member_information[0].emailAddress }], fail: [] })
          : groupsBody;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  }
}

const configFor = (base: string, over: Record<string, unknown> = {}) => ({ base_url: base, client_id: 'risky-client-id', client_secret: SECRET, ...over });

/** Fast retries, a generous action deadline: what ends a call here is the per-request timeout. */
const quick: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 }, deadlineMs: 20_000 };
const REQUEST_TIMEOUT_MS = 300;

let stderr: string[];
let spy: ReturnType<typeof jest.spyOn>;
beforeEach(() => {
  stderr = [];
  spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => spy.mockRestore());
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Neither the client secret nor the bearer token shows up in the result or on stderr. */
function expectNoSecrets(r: ResultEnvelope): void {
  const out = JSON.stringify(r) + stderr.join('');
  expect(out).not.toContain(SECRET);
  expect(out).not.toContain(TOKEN);
}

describe('per-request timeouts (requestTimeoutMs)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await new TestServer(createServer()).listen('http');
  });
  afterEach(() => srv.reset());
  afterAll(() => srv.close());

  const cases: [string, Behaviour][] = [
    ['accepts the request and never sends headers', 'no_headers'],
    ['sends headers, then stalls the body', 'stall_body'],
  ];

  it.each(cases)('a read against a server that %s is retried, then fails as timeout', async (_what, behaviour) => {
    srv.behaviour = behaviour;
    const t = Date.now();
    const r = await runAction('search_groups', {}, configFor(srv.base), {
      ...quick,
      retry: { ...quick.retry, retries: 1 },
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    const elapsed = Date.now() - t;
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(r.error?.hint).not.toMatch(/not re-sent/);
    expect(r.data).toBeNull();
    expect(exitCodeFor(r)).toBe(1);
    // The first attempt and the retry each waited for the per-request timeout, not the deadline.
    expect(srv.to(FIND)).toHaveLength(2);
    expect(srv.to('/oauth/token')).toHaveLength(1);
    expect(r.meta.requests).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(2 * REQUEST_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(10_000);
    expectNoSecrets(r);
  });

  it.each(cases)('a write against a server that %s is sent exactly once and fails as timeout, saying it was not re-sent', async (_what, behaviour) => {
    srv.behaviour = behaviour;
    const r = await runAction('add_group_member', addInput, configFor(srv.base), { ...quick, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(r.error?.hint).toMatch(/not re-sent because it may have reached Mimecast/);
    expect(exitCodeFor(r)).toBe(1);
    expect(srv.to(ADD)).toHaveLength(1);
    expect(r.meta.requests).toBe(2); // the token and the one write
    expect(r.meta.duration_ms).toBeLessThan(10_000);
    expectNoSecrets(r);
  });

  it('a write whose token request gets no answer is retried (nothing of the write was sent yet), then sent once', async () => {
    srv.holdTokens = 1;
    const r = await runAction('add_group_member', addInput, configFor(srv.base), { ...quick, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    expect(r.status).toBe('success');
    expect(r.data).toEqual([expect.objectContaining({ emailAddress: addInput.member_information[0].emailAddress })]);
    expect(srv.received.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /oauth/token', 'POST /oauth/token', `POST ${ADD}`]);
    expect(r.meta.requests).toBe(3);
    expectNoSecrets(r);
  });

  it('a server that answers within the timeout is not affected by it', async () => {
    const r = await runAction('search_groups', {}, configFor(srv.base), { ...quick, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    expect(r.status).toBe('success');
    expect(srv.to(FIND)).toHaveLength(1);
  });
});

describe('TLS with a self-signed certificate', () => {
  const tls = join(process.cwd(), 'test/fixtures/tls');
  let srv: TestServer;
  beforeAll(async () => {
    const server = createHttpsServer({ key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) });
    srv = await new TestServer(server).listen('https');
  });
  afterEach(() => srv.reset());
  afterAll(() => srv.close());

  it('verify: true fails as transport_error naming TLS certificate verification, and sends nothing (not even the token request)', async () => {
    const r = await runAction('search_groups', {}, configFor(srv.base, { verify: true }), quick);
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('transport_error');
    expect(r.error?.message).toMatch(/TLS certificate verification/);
    expect(exitCodeFor(r)).toBe(1);
    expect(srv.received).toEqual([]);
    expect(r.meta.requests).toBe(1); // one token attempt, refused at the handshake and not retried
    expectNoSecrets(r);
  });

  it('verify: false succeeds against the same server and warns on stderr', async () => {
    const r = await runAction('search_groups', {}, configFor(srv.base, { verify: false }), quick);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([expect.objectContaining({ id: 'eNoG1' })]);
    expect(srv.received.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /oauth/token', `POST ${FIND}`]);
    expect(stderr.join('')).toMatch(/warning: TLS certificate verification is off \(verify=false\)/);
    expectNoSecrets(r);
  });
});

describe('a TLS handshake that never completes (connect timeout)', () => {
  let server: NetServer;
  let connections = 0;
  const sockets = new Set<Socket>();
  let base: string;
  beforeAll(async () => {
    // Accepts TCP connections and never answers the ClientHello.
    server = createNetServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a write is retried, because nothing was sent, and fails as timeout without claiming it may have reached Mimecast', async () => {
    // A cached token, so the first connection is the write's own.
    const cacheDir = join(tmpDir(), 'cache');
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const config = configFor(base);
    writeFileSync(
      tokenCachePath(parseConfig(config), cacheDir),
      encryptToken(parseConfig(config), { access_token: TOKEN, expires_at: Date.now() + 1_700_000 }),
      { mode: 0o600 },
    );
    const r = await runAction('add_group_member', addInput, config, {
      ...quick,
      retry: { ...quick.retry, retries: 1 },
      tokenCache: 'file',
      cacheDir,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(r.error?.hint ?? '').not.toMatch(/not re-sent/);
    expect(exitCodeFor(r)).toBe(1);
    expect(connections).toBe(2); // the first attempt and one retry
    expect(r.meta.requests).toBe(2);
    expectNoSecrets(r);
  });
});

describe('token cache file', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await new TestServer(createServer()).listen('http');
  });
  afterEach(() => srv.reset());
  afterAll(() => srv.close());

  const setup = () => {
    const cacheDir = join(tmpDir(), 'cache');
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const config = configFor(srv.base);
    const file = tokenCachePath(parseConfig(config), cacheDir);
    return { config, file, lock: `${file}.lock`, cacheDir };
  };

  it('a refresh lock held by a live process is waited on for at most the lock wait, then the run fetches its own token', async () => {
    const { config, lock, cacheDir } = setup();
    writeFileSync(lock, String(process.pid), { mode: 0o600 }); // this process is alive, and the lock is fresh
    const waitMs = 400;
    const t = Date.now();
    const r = await runAction('search_groups', {}, config, { ...quick, tokenCache: 'file', cacheDir, tokenLock: { waitMs, pollMs: 20, staleMs: 60_000 } });
    const elapsed = Date.now() - t;
    expect(r.status).toBe('success');
    expect(srv.to('/oauth/token')).toHaveLength(1);
    expect(srv.to(FIND)).toEqual([expect.objectContaining({ authorization: `Bearer ${TOKEN}` })]);
    expect(r.meta.requests).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(waitMs - 50);
    expect(elapsed).toBeLessThan(5_000);
    // The other process still holds its lock: a run that gave up waiting must not take it away.
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    expectNoSecrets(r);
  });

  it('a cache file that is not owner-only (0644) is ignored with a warning, and a new token is fetched', async () => {
    const { config, file, cacheDir } = setup();
    const planted = 'planted-token-from-a-readable-file-4b1e';
    writeFileSync(file, encryptToken(parseConfig(config), { access_token: planted, expires_at: Date.now() + 1_700_000 }));
    chmodSync(file, 0o644);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const r = await runAction('search_groups', {}, config, { ...quick, tokenCache: 'file', cacheDir });
    expect(r.status).toBe('success');
    expect(srv.to('/oauth/token')).toHaveLength(1);
    expect(srv.to(FIND)).toEqual([expect.objectContaining({ authorization: `Bearer ${TOKEN}` })]);
    expect(stderr.join('')).toMatch(/warning: ignoring the token cache .* not owner-only/);
    expect(stderr.join('')).not.toContain(planted);
    // The new token replaced it, owner-only this time.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expectNoSecrets(r);
  });
});
