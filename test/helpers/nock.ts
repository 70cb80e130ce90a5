/**
 * nock helpers. nock 15 intercepts undici through our own Agent; tests use a loopback base URL
 * and disable real network connections, so nothing leaves the process.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import type { RunOptions } from '../../src/runtime/run.js';

// nock turns interception on when it is imported, and it patches Node's core modules, which every
// test file in a jest worker shares (each file gets its own nock instance). A file that imports
// this helper only for tmpDir() or fixture() must not leave its instance intercepting: the next
// file's instance would then answer after it with "no match" (HTTP 501). So interception is off
// until setupNock() turns it on for a suite, and off again after it.
nock.restore();

export const BASE = 'https://127.0.0.1:9443';
export const CLIENT_ID = 'test-client-id';
/** A canary: any test can assert it never shows up in output. */
export const CLIENT_SECRET = 'canary-secret-7f3a9c1e5b';
export const TOKEN = 'canary-token-RPjLow4SKlsPLycjML3dqvIxzi7B';

export const config = { base_url: BASE, client_id: CLIENT_ID, client_secret: CLIENT_SECRET };

/** Fast retries, in-memory tokens: for unit tests. */
// No journal: these suites pin the requests of the action itself, and a journalled delete first reads
// its before-image (test/journal/ covers that, against the simulator).
export const fast: RunOptions = { tokenCache: 'memory', retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 }, journal: false };

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(process.cwd(), 'src/simulator/fixtures', name), 'utf8')) as T;
}

/** The scope for one test, with the token endpoint answering once. */
export function mimecast(opts: { token?: boolean } = {}): nock.Scope {
  const scope = nock(BASE);
  if (opts.token !== false) {
    scope
      .post('/oauth/token', (body) => body.grant_type === 'client_credentials' && body.client_id === CLIENT_ID && body.client_secret === CLIENT_SECRET)
      .reply(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 1799, scope: '' });
  }
  return scope;
}

export function tmpDir(prefix = 'mc-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A socket as Node keeps it: its libuv handle (null once closed). */
type SocketWithHandle = Socket & { _handle: { close(): void } | null };

/**
 * nock 15 answers through @mswjs/interceptors, which gives every socket it answers on a
 * `_destroy` of its own that never closes the socket's handle (a TCP handle, under a TLS one for
 * https://): each mocked connection left one behind, open and never connected, and a jest worker
 * piled them up file after file (hundreds). Node's own destroy closes the handle and drops it,
 * so a destroyed socket that still holds one is such a leftover: its handle is closed here.
 */
export function releaseMockedSockets(): number {
  let released = 0;
  for (const h of (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles()) {
    const socket = h as SocketWithHandle;
    if (!(h instanceof Socket) || !socket.destroyed || !socket._handle) continue;
    socket._handle.close();
    socket._handle = null;
    released++;
  }
  return released;
}

/** Call from beforeEach/afterEach in every nock-based suite. */
export function setupNock(): void {
  beforeAll(() => {
    // Each suite turns nock on and off again: a suite that also talks to the simulator over
    // real loopback sockets must not inherit interception from the previous suite.
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    releaseMockedSockets();
    expect(pending).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
    releaseMockedSockets();
  });
}

/** The headers a dry run shows for an /api/* call (the token is a placeholder: none is fetched). */
export const dryRunHeaders = { authorization: 'Bearer <token>', accept: 'application/json', 'content-type': 'application/json' };

/** The headers every /api/* call must carry. */
export const apiHeaders = {
  reqheaders: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' },
};
