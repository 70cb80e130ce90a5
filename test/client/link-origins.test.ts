/**
 * File links on another origin, over real loopback servers: a "Mimecast" server whose get-file
 * answers with a link to a file host on another port. The file host's rate-limit headers say
 * nothing of Mimecast's quota (the pacer keys paths on the base URL's origin and ignores any other
 * origin's headers, however its link's path reads), and a plain http:// link is fetched only when
 * the base URL itself is loopback: a remote https tenant's http://127.0.0.1 link is refused.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { createConnector, runAction, type RunOptions } from '../../src/runtime/run.js';

const FIND = '/api/directory/find-groups';
const CONTENT = Buffer.from('%PDF-1.7\nfrom the file host\n');
const SECRET = 'link-origins-secret-0123456789';
const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 1, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };

const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

let mimecast: { server: Server; url: string };
let files: { server: Server; url: string };
const toMimecast: string[] = [];
const toFiles: string[] = [];
let dir = '';

beforeAll(async () => {
  files = await listen((req, res) => {
    toFiles.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    // A file host's own quota headers, with a spent window of 10 minutes.
    res
      .writeHead(200, {
        'content-type': 'application/pdf',
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '600000',
      })
      .end(CONTENT);
  });
  mimecast = await listen((req, res) => {
    toMimecast.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const json = (body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.url === '/oauth/token') return json({ access_token: 'link-origins-token-0123456789', expires_in: 1799 });
      // The link's path reads like a Mimecast endpoint's: only its origin tells them apart.
      if (req.url === '/api/gateway/message/get-file')
        return json({ meta: { status: 200 }, data: [{ urls: [`${files.url}${FIND}?X-Amz-Signature=sig`] }], fail: [] });
      return json(
        { meta: { status: 200 }, data: [{ folders: [] }], fail: [] },
        { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '98', 'x-ratelimit-reset': '500' },
      );
    });
  });
});
beforeEach(() => {
  toMimecast.length = 0;
  toFiles.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'mc-links-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
afterAll(async () => {
  for (const s of [mimecast.server, files.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

it("a file host's spent quota headers do not hold the next Mimecast call on the same connector, nor show in meta.rate_limit", async () => {
  const connector = createConnector({ base_url: mimecast.url, client_id: 'id', client_secret: SECRET }, { tokenCache: 'memory' });
  try {
    const file = await connector.run('get_file', { file_or_attachment_id: 'att-1' }, { ...opts, outputDir: dir });
    expect(file.status).toBe('success');
    expect(file.data).toMatchObject({ size: CONTENT.length, sha256: createHash('sha256').update(CONTENT).digest('hex') });
    expect(readFileSync((file.data as { path: string }).path).equals(CONTENT)).toBe(true);
    expect(toFiles).toEqual([`GET ${FIND}?X-Amz-Signature=sig -`]); // no token to the file host

    const groups = await connector.run('search_groups', {}, opts);
    expect(groups.status).toBe('success');
    expect(groups.meta.rate_limit).toEqual({ limit: 100, remaining: 98, reset_ms: 500 });
    expect(toMimecast).toEqual(['POST /oauth/token', 'POST /api/gateway/message/get-file', `POST ${FIND}`]);
    expect(file.meta.rate_limit).toBeUndefined();
  } finally {
    await connector.close();
  }
});

it('a plain http link is fetched when the base URL is loopback (the local server above)', async () => {
  const r = await runAction('get_file', { id: 'att-2' }, { base_url: mimecast.url, client_id: 'id', client_secret: SECRET }, { ...opts, outputDir: dir });
  expect(r.status).toBe('success');
  expect(toFiles).toHaveLength(1);
});

describe('a remote https base URL', () => {
  const REMOTE = 'https://api.services.mimecast.com';
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });

  it('answering with a plain http:// loopback link: refused, and nothing reaches the loopback host', async () => {
    const scope = nock(REMOTE)
      .post('/oauth/token')
      .reply(200, { access_token: 'remote-token-0123456789abcdef', expires_in: 1799 })
      .post('/api/gateway/message/get-file')
      .reply(200, { meta: { status: 200 }, data: [{ urls: [`${files.url}/evidence.pdf`] }], fail: [] });
    const r = await runAction('get_file', { id: 'att-3' }, { base_url: REMOTE, client_id: 'id', client_secret: SECRET }, { ...opts, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: 'Mimecast answered with a file link that is not https (http:); it was not fetched' });
    expect(toFiles).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
