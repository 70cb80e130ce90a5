/**
 * Against a real loopback HTTP server, for what nock cannot simulate faithfully: a download whose
 * connection drops mid-body (a read is retried, a write is never re-sent: the request reached
 * Mimecast) and a call that outlives the action's deadline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { boundClient, type TestSession } from '../helpers/client.js';

// A real server, no nock (importing test/helpers/nock.ts would activate it).
const tmpDir = (): string => mkdtempSync(join(tmpdir(), 'mc-cutoff-'));

const FULL = Buffer.alloc(5000, 7);
let server: Server;
let calls: string[] = [];
let cutFirst = true;
const slow = new Set<ServerResponse>();

function handler(req: IncomingMessage, res: ServerResponse): void {
  calls.push(`${req.method} ${req.url}`);
  req.resume();
  req.on('end', () => {
    if (req.url === '/oauth/token') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: 'loopback-token-123456', token_type: 'Bearer', expires_in: 1799 }));
      return;
    }
    if (req.url === '/api/directory/find-groups') {
      slow.add(res); // never answered: the action's deadline must end the wait
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(FULL.length),
      'content-disposition': 'attachment; filename="f.bin"',
    });
    if (cutFirst) {
      cutFirst = false;
      res.write(FULL.subarray(0, 1000), () => res.socket?.destroy());
    } else {
      res.end(FULL);
    }
  });
}

describe('loopback server', () => {
  let base: string;
  beforeAll(async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    calls = [];
    cutFirst = true;
  });
  afterAll(async () => {
    for (const res of slow) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sessions: TestSession[] = [];
  const client = (route: string, read_only: boolean) => {
    const s = boundClient(
      { base_url: base, client_id: 'id', client_secret: 'loopback-secret-abcdef' },
      { routes: [route], read_only },
      { retry: { retries: 2, minTimeout: 1, maxTimeout: 5 } },
    );
    sessions.push(s);
    return s.client;
  };
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.connection.close();
  });

  it('retries a read-only download and leaves only the complete file', async () => {
    const dir = tmpDir();
    const file = await client('POST /api/archive/get-file', true).download('/api/archive/get-file', { id: 'x' }, { outputDir: dir, fallbackName: 'x.bin' });
    expect(file).toMatchObject({ file_name: 'f.bin', size: FULL.length });
    expect(calls).toEqual(['POST /oauth/token', 'POST /api/archive/get-file', 'POST /api/archive/get-file']);
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('does not re-send a write download and leaves no partial file', async () => {
    const dir = tmpDir();
    const err = await client('POST /api/some/write-then-file', false)
      .download('/api/some/write-then-file', { id: 'x' }, { outputDir: dir, fallbackName: 'x.bin' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'transport_error' });
    expect((err as Error).message).toMatch(/^the file download was cut off/);
    expect(calls).toEqual(['POST /oauth/token', 'POST /api/some/write-then-file']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('ends a call that outlives the action deadline with a timeout error (exit class 1)', async () => {
    const t = Date.now();
    const r = await runAction(
      'search_groups',
      {},
      { base_url: base, client_id: 'id', client_secret: 'loopback-secret-abcdef' },
      { tokenCache: 'memory', deadlineMs: 400 },
    );
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(r.error?.hint).toMatch(/^Raise the deadline/);
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(calls).toEqual(['POST /oauth/token', 'POST /api/directory/find-groups']);
    expect(exitCodeFor(r)).toBe(1);
  });
});
