/**
 * Long work, through runAction against the simulator (and small loopback servers) over real HTTP:
 * a paged read that fails for good or runs out of time after some pages keeps them (partial, with
 * meta.next_page_token), page_token resumes from it; a timeout is retried once, so a hung server
 * costs about twice the per-request timeout; progress events for pages, calls and retry waits
 * (none unless asked for); the MIMECAST_DEBUG=1 trace, one line per request, secrets redacted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import type { ProgressEvent } from '../../src/client/progress.js';
import type { HttpRequest, Transport } from '../../src/client/transport.js';
import { exitCodeFor, runAction, type ResultEnvelope, type RunOptions } from '../../src/runtime/run.js';
import { startSimulator } from '../../src/simulator/server.js';
import { useSimulator } from '../helpers/sim.js';

const LOGS = '/api/ttp/url/get-logs';
const quick: RunOptions['retry'] = { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 };
/** The last 25 hours: the simulator's 240 click logs, 10 pages of 24. */
/** One clock for the whole file: a reset re-seeds the logs at the same times, so two pulls compare row for row. */
const seededAt = new Date('2026-12-07T00:05:00Z');
const tenPages = () => ({
  start: new Date(seededAt.getTime() - 25 * 3600_000).toISOString(),
  end: new Date(seededAt.getTime() + 60_000).toISOString(),
  page_size: 24,
});

let stderr: string[];
let spy: ReturnType<typeof jest.spyOn>;
beforeEach(() => {
  stderr = [];
  spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  spy.mockRestore();
  delete process.env.MIMECAST_DEBUG;
});

describe('paged reads that stop part-way (simulator)', () => {
  // One clock for the whole suite: a reset re-seeds the logs at the same times, so two pulls compare row for row.
  const h = useSimulator({ now: () => seededAt });
  const pageTokens = () => h.sim.requests.filter((q) => q.path === LOGS).map((q) => (q.body as any).meta.pagination.pageToken);

  it('a 10-page pull whose page 3 fails for good: partial (exit 3), the rows of pages 1-2, and the token of page 3; page_token resumes there', async () => {
    const input = tenPages();
    const whole = await h.run('get_ttp_url_logs', input);
    expect(whole.status).toBe('success');
    expect(whole.data).toHaveLength(240);
    h.sim.reset();

    h.sim.fault({ kind: 'status', status: 503, path: LOGS, after: 2, times: 10 });
    const events: ProgressEvent[] = [];
    const r = await h.run('get_ttp_url_logs', input, { progress: (e) => events.push(e) });
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual(whole.data.slice(0, 48));
    expect(r.meta.pages).toBe(2);
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.failures).toEqual([
      {
        code: 'server_error',
        message: `POST ${LOGS}: Mimecast answered HTTP 503: Simulated server error (server_error) (page 3 was not fetched; the 48 rows of the pages before it are kept)`,
        retryable: true,
      },
    ]);
    // Page 3 was tried 1 + 4 retries times, each with the token Mimecast gave with page 2.
    const tokens = pageTokens();
    expect(tokens).toHaveLength(2 + 5);
    expect(tokens[0]).toBeUndefined();
    expect(new Set(tokens.slice(2))).toEqual(new Set([tokens[2]]));
    expect(r.meta.next_page_token).toBe(tokens[2]);
    expect(r.summary).toMatch(
      /^Retrieved 48 URL click logs .* \(2 pages; more pages are available\)\. \(stopped early: POST \/api\/ttp\/url\/get-logs: Mimecast answered HTTP 503/,
    );
    expect(r.summary).toMatch(/rerun with page_token set to meta\.next_page_token to continue\)$/);
    expect(events.filter((e) => e.kind === 'page').map((e) => e.message)).toEqual(['page 1/10: 24 entries so far', 'page 2/10: 48 entries so far']);
    expect(events.filter((e) => e.kind === 'wait').map((e) => e.message)).toEqual(
      [2, 3, 4, 5].map((n) =>
        expect.stringMatching(new RegExp(`^POST /api/ttp/url/get-logs: Mimecast answered HTTP 503.*; retrying in \\d+ ms \\(attempt ${n}\\)$`)),
      ),
    );

    h.sim.reset();
    const rest = await h.run('get_ttp_url_logs', { ...input, page_token: r.meta.next_page_token });
    expect(rest.status).toBe('success');
    expect(pageTokens()[0]).toBe(r.meta.next_page_token);
    expect(rest.data).toEqual(whole.data.slice(48));
    expect(rest.meta.pages).toBe(8);
    expect(rest.meta.next_page_token).toBeUndefined();
  });

  it('a pull that runs out of time on page 3: partial with the rows of pages 1-2, a timeout error and the token of page 3', async () => {
    h.sim.fault({ kind: 'slow', path: LOGS, after: 2, delayMs: 3_000 });
    const t = Date.now();
    const r = await h.run('get_ttp_url_logs', tenPages(), { deadlineMs: 1_500 });
    expect(Date.now() - t).toBeLessThan(2_900);
    expect(r.status).toBe('partial');
    expect(r.error?.type).toBe('timeout');
    expect(r.data).toHaveLength(48);
    expect(r.meta.next_page_token).toBe((h.sim.requests.filter((q) => q.path === LOGS)[2].body as any).meta.pagination.pageToken);
    expect(r.failures).toEqual([expect.objectContaining({ code: 'timeout', message: expect.stringMatching(/page 3 was not fetched/) })]);
  });

  it('a failure on the first page is a failure of the run (nothing to keep)', async () => {
    h.sim.fault({ kind: 'status', status: 503, path: LOGS, times: 10 });
    const r = await h.run('get_ttp_url_logs', tenPages());
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.meta.next_page_token).toBeUndefined();
  });

  it('the page limit stops a walk that has more: success, meta.next_page_token set, and page_token continues it', async () => {
    const r = await h.run('get_ttp_url_logs', { ...tenPages(), no_of_pages: 3 });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(72);
    expect(r.summary).toMatch(/\(3 pages; more pages are available\)\.$/);
    const next = r.meta.next_page_token;
    expect(typeof next).toBe('string');
    h.sim.reset();
    const more = await h.run('get_ttp_url_logs', { ...tenPages(), no_of_pages: 3, page_token: next });
    expect((h.sim.requests[1].body as any).meta.pagination).toEqual({ pageSize: 24, pageToken: next });
    expect(more.data).toHaveLength(72);
  });

  it('library use prints no progress unless a listener is given', async () => {
    const r = await h.run('get_ttp_url_logs', tenPages());
    expect(r.meta.pages).toBe(10);
    expect(stderr.join('')).toBe('');
  });
});

describe('progress of chunked writes and rate-limit waits (simulator)', () => {
  const h = useSimulator();

  it('a 350-item write in 4 calls says each call; the summary of a complete run is unchanged', async () => {
    const items = Array.from({ length: 350 }, (_, i) => ({ sender: `s${i}@evil.example`, to: 'user@example.com', action: 'block' }));
    const events: ProgressEvent[] = [];
    const r = await h.run('permit_or_block_sender', { permit_block_information: items }, { progress: (e) => events.push(e) });
    expect(r.status).toBe('success');
    expect(events.map((e) => e.message)).toEqual(['call 1/4: 100 items', 'call 2/4: 100 items', 'call 3/4: 100 items', 'call 4/4: 50 items']);
  });

  it('a write that stops part-way: its summary says how many calls and items were sent', async () => {
    const items = Array.from({ length: 350 }, (_, i) => ({ sender: `s${i}@evil.example`, to: 'user@example.com', action: 'block' }));
    h.sim.fault({ kind: 'status', status: 503, path: '/api/managedsender/permit-or-block-sender', after: 2 });
    const r = await h.run('permit_or_block_sender', { permit_block_information: items });
    expect(r.status).toBe('partial');
    // The third call was sent and answered 503: its 100 items were sent (and may have been applied); only the fourth call's 50 were not.
    expect(r.summary).toMatch(/\(stopped after call 3 of 4: 300 of 350 items sent, 50 not sent; 150 failures, see failures\)$/);
    expect(r.failures.filter((f) => f.code === 'not_sent')).toHaveLength(50);
  });

  it('a rate-limit wait is reported with its length', async () => {
    h.sim.fault({ kind: 'rate_limit', path: LOGS, resetMs: 300 });
    const events: ProgressEvent[] = [];
    const r = await h.run('get_ttp_url_logs', tenPages(), { progress: (e) => events.push(e), retry: { ...quick, minTimeout: 1 } });
    expect(r.status).toBe('success');
    const waits = events.filter((e) => e.kind === 'wait');
    expect(waits).toEqual([
      {
        kind: 'wait',
        reason: 'rate_limited',
        ms: 300,
        attempt: 2,
        message: `POST ${LOGS}: Mimecast rate limit reached (HTTP 429); waiting 300 ms as Mimecast asks (attempt 2)`,
      },
    ]);
  });
});

describe('a spent quota (pacing)', () => {
  it('the hold before the next page is reported as a wait with its length', async () => {
    const sim = await startSimulator({ rateLimit: 2, rateWindowMs: 700 });
    try {
      const events: ProgressEvent[] = [];
      const r = await runAction(
        'get_ttp_url_logs',
        { ...tenPages(), no_of_pages: 3 },
        { base_url: sim.url, ...sim.credentials },
        {
          tokenCache: 'memory',
          retry: quick,
          progress: (e) => events.push(e),
        },
      );
      expect(r.status).toBe('success');
      expect(r.meta.pages).toBe(3);
      const waits = events.filter((e) => e.kind === 'wait');
      expect(waits).toEqual([
        expect.objectContaining({
          reason: 'rate_limited',
          message: expect.stringMatching(/^POST \/api\/ttp\/url\/get-logs: the Mimecast quota of this endpoint is spent; waiting \d+ ms for it to reset$/),
        }),
      ]);
      expect(waits[0].ms).toBeGreaterThan(0);
      expect(waits[0].ms).toBeLessThanOrEqual(700);
    } finally {
      await sim.close();
    }
  });
});

/** A loopback server that records each request and answers as told (or never). */
class Hung {
  server: Server;
  received: string[] = [];
  answerTokens = false;
  private held: ServerResponse[] = [];
  base = '';
  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.received.push(req.url ?? '');
      req.resume();
      if (this.answerTokens && req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'hung-canary-token-Pz4Kd9', expires_in: 1799 }));
        return;
      }
      this.held.push(res); // accepted, never answered
    });
  }
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  async close(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('a server that never answers: a timeout is retried once', () => {
  let srv: Hung;
  beforeEach(async () => {
    srv = await new Hung().listen();
  });
  afterEach(() => srv.close());

  const REQUEST_TIMEOUT_MS = 300;
  // Four retries allowed, a deadline far away: only the timeout rule's "once" ends it after two attempts.
  const opts = (): RunOptions => ({ tokenCache: 'memory', retry: { ...quick, retries: 4 }, requestTimeoutMs: REQUEST_TIMEOUT_MS, deadlineMs: 30_000 });

  it('the token request: two attempts, then a timeout error (about twice the timeout, not five times)', async () => {
    const t = Date.now();
    const r = await runAction('search_groups', {}, { base_url: srv.base, client_id: 'id', client_secret: 'hung-client-secret' }, opts());
    const elapsed = Date.now() - t;
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(srv.received).toEqual(['/oauth/token', '/oauth/token']);
    expect(r.meta.requests).toBe(2);
    // undici checks its timers about every 0.5 s: each attempt takes 0.3-1 s here.
    expect(elapsed).toBeGreaterThanOrEqual(2 * REQUEST_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(3_500);
  });

  it('a read: the token, then the call twice, then a timeout error', async () => {
    srv.answerTokens = true;
    const r = await runAction('search_groups', {}, { base_url: srv.base, client_id: 'id', client_secret: 'hung-client-secret' }, opts());
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('timeout');
    expect(srv.received).toEqual(['/oauth/token', '/api/directory/find-groups', '/api/directory/find-groups']);
    expect(r.meta.requests).toBe(3);
  });
});

describe('MIMECAST_DEBUG=1', () => {
  const h = useSimulator();

  it('writes one trace line per request (token included): method, path, status, duration, attempt; no secret', async () => {
    process.env.MIMECAST_DEBUG = '1';
    h.sim.fault({ kind: 'status', status: 503, path: LOGS });
    const r = await h.run('get_ttp_url_logs', { ...tenPages(), no_of_pages: 2 });
    expect(r.status).toBe('success');
    const trace = stderr
      .join('')
      .split('\n')
      .filter((l) => / in \d+ ms/.test(l));
    expect(trace).toEqual([
      expect.stringMatching(/^debug: POST \/oauth\/token 200 in \d+ ms \(request id [0-9a-f-]{36}\)$/),
      expect.stringMatching(/^debug: POST \/api\/ttp\/url\/get-logs 503 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\)$/),
      expect.stringMatching(/^debug: POST \/api\/ttp\/url\/get-logs 200 in \d+ ms \(attempt 2, request id [0-9a-f-]{36}\)$/),
      expect.stringMatching(/^debug: POST \/api\/ttp\/url\/get-logs 200 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\)$/),
    ]);
    const all = stderr.join('') + JSON.stringify(r);
    expect(all).not.toContain(h.sim.credentials.client_secret);
    for (const q of h.sim.requests) if (q.headers.authorization) expect(all).not.toContain(String(q.headers.authorization).slice(7));
  });

  it("names Mimecast's request id, and a request that failed on the wire", async () => {
    process.env.MIMECAST_DEBUG = '1';
    let calls = 0;
    const srv = createServer((req, res) => {
      req.resume();
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'trace-canary-token-Qm3Xb8', expires_in: 1799 }));
        return;
      }
      if (calls++ === 0) {
        req.socket.destroy();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-7c1e' })
        .end(JSON.stringify({ meta: { status: 200 }, data: [{ folders: [] }], fail: [] }));
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      const r = await runAction(
        'search_groups',
        {},
        { base_url: base, client_id: 'id', client_secret: 'trace-client-secret' },
        { tokenCache: 'memory', retry: quick },
      );
      expect(r.status).toBe('success');
      const text = stderr.join('');
      expect(text).toMatch(/^debug: POST \/api\/directory\/find-groups failed: .* in \d+ ms \(attempt 1\)$/m);
      expect(text).toMatch(/^debug: POST \/api\/directory\/find-groups 200 in \d+ ms \(attempt 2, request id req-7c1e\)$/m);
      expect(text).not.toContain('trace-canary-token-Qm3Xb8');
      expect(text).not.toContain('trace-client-secret');
    } finally {
      srv.closeAllConnections();
      await new Promise((resolve) => srv.close(resolve));
    }
  });

  it('an internal error prints its stack (debug only)', async () => {
    const broken: Transport = {
      send: async (_req: HttpRequest) => {
        throw new TypeError('a connector bug');
      },
      open: async () => {
        throw new TypeError('a connector bug');
      },
      close: async () => undefined,
    };
    const config = { base_url: 'https://127.0.0.1:1', client_id: 'id', client_secret: 'internal-client-secret' };
    const quiet: ResultEnvelope = await runAction('search_groups', {}, config, { tokenCache: 'memory', transport: broken });
    expect(quiet.error?.type).toBe('internal_error');
    expect(stderr.join('')).toBe('');
    process.env.MIMECAST_DEBUG = '1';
    const r = await runAction('search_groups', {}, config, { tokenCache: 'memory', transport: broken });
    expect(r.error).toMatchObject({ type: 'internal_error', message: 'Unexpected error: a connector bug' });
    expect(stderr.join('')).toMatch(/^debug: internal error: TypeError: a connector bug\ndebug:\s+at .*long-work\.test\.ts/m);
  });
});
