/**
 * Quota pacing: a spent quota holds the next call until the window resets (instead of sending it
 * into a 429); a wait past the deadline fails fast as rate_limited; a burst into an unknown quota
 * sends one probe first; pacing never re-sends a write.
 */
import { jest } from '@jest/globals';
import { QuotaPacer, rateLimitInfo, UNMETERED_MS } from '../../src/client/pacing.js';
import type { HttpRequest, HttpResponse, Transport } from '../../src/client/transport.js';
import { createConnector } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

const spent = (resetMs: number) => ({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetMs) });
const left = (n: number, resetMs = 500) => ({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': String(n), 'x-ratelimit-reset': String(resetMs) });

describe('QuotaPacer (fake timers)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds a call while the quota is spent and lets it go when the window resets', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/a', Date.now() + 60_000);
    pacer.observe('/api/a', rateLimitInfo(spent(2_000)));
    let started = false;
    const next = pacer.acquire('/api/a', Date.now() + 60_000).then(() => (started = true));
    await jest.advanceTimersByTimeAsync(1_999);
    expect(started).toBe(false);
    await jest.advanceTimersByTimeAsync(2);
    await next;
    expect(started).toBe(true);
  });

  it('lets as many calls go as the answer says are left, then holds the rest', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/a', Date.now() + 60_000);
    pacer.observe('/api/a', rateLimitInfo(left(3, 1_000)));
    const started: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => pacer.acquire('/api/a', Date.now() + 60_000).then(() => started.push(i)));
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1, 2]);
    // The window resets: one of the two held calls probes the new window, the other waits for its answer.
    await jest.advanceTimersByTimeAsync(1_001);
    expect(started).toHaveLength(4);
    pacer.observe('/api/a', rateLimitInfo(left(99)));
    await Promise.all(all);
    expect(started).toHaveLength(5);
  });

  it('fails fast as rate_limited when the reset lies past the deadline, with the wait in the hint', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/a', Date.now() + 60_000);
    pacer.observe('/api/a', rateLimitInfo(spent(30_000)));
    await expect(pacer.acquire('/api/a', Date.now() + 5_000)).rejects.toMatchObject({
      type: 'rate_limited',
      hint: 'Wait 30 s before running it again, or give it more time (--deadline).',
    });
  });

  it('sends one probe into an unknown quota; the others wait for its answer', async () => {
    const pacer = new QuotaPacer();
    const started: number[] = [];
    const all = [0, 1, 2].map((i) => pacer.acquire('/api/b', Date.now() + 60_000).then(() => started.push(i)));
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    pacer.observe('/api/b', rateLimitInfo(left(50)));
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2]);
  });

  it('callers that waited for a probe leave no timer behind once it answered', async () => {
    const pacer = new QuotaPacer();
    const all = [0, 1, 2].map(() => pacer.acquire('/api/b', Date.now() + 60_000));
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(2); // the two callers waiting for the probe
    pacer.observe('/api/b', rateLimitInfo(left(50)));
    await Promise.all(all);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('an endpoint that answers without rate-limit headers is not paced, and is probed again after a while', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/c', Date.now() + 60_000);
    const started: number[] = [];
    const held = [0, 1, 2].map((i) => pacer.acquire('/api/c', Date.now() + 60_000).then(() => started.push(i)));
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([]); // waiting for the probe's answer
    pacer.observe('/api/c', undefined); // a success without rate-limit headers
    await Promise.all(held);
    expect(started).toEqual([0, 1, 2]);
    expect([0, 1, 2, 3, 4].map(() => pacer.tryTake('/api/c'))).toEqual([true, true, true, true, true]);
    await jest.advanceTimersByTimeAsync(UNMETERED_MS);
    expect(pacer.tryTake('/api/c')).toBe(false); // the next call probes again
  });

  it('an answer without headers does not lift a window that other answers said is spent', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/d', Date.now() + 60_000);
    pacer.observe('/api/d', rateLimitInfo(spent(5_000)));
    pacer.observe('/api/d', undefined);
    expect(pacer.tryTake('/api/d')).toBe(false);
    await expect(pacer.acquire('/api/d', Date.now() + 1_000)).rejects.toMatchObject({ type: 'rate_limited' });
  });

  it('keeps endpoints apart: a spent quota on one does not hold another', async () => {
    const pacer = new QuotaPacer();
    await pacer.acquire('/api/a', Date.now() + 60_000);
    pacer.observe('/api/a', rateLimitInfo(spent(10_000)));
    await pacer.acquire('/api/other', Date.now() + 60_000);
  });
});

describe('pacing on a connector (nock)', () => {
  setupNock();

  it('a write after an answer that spent the quota is held, then sent once: no 429, nothing re-sent', async () => {
    const body = { data: [{ id: 'g', emailAddress: 'a@example.com' }] };
    const scope = mimecast()
      .post('/api/directory/add-group-member', body)
      .reply(200, { meta: { status: 200 }, data: [{ id: 'm1', folderId: 'g', emailAddress: 'a@example.com' }], fail: [] }, spent(300))
      .post('/api/directory/add-group-member', body)
      .reply(200, { meta: { status: 200 }, data: [{ id: 'm1', folderId: 'g', emailAddress: 'a@example.com' }], fail: [] }, left(99));
    const connector = createConnector(config, fast);
    const input = { member_information: [{ id: 'g', emailAddress: 'a@example.com' }] };
    const first = await connector.run('add_group_member', input, fast);
    const t0 = Date.now();
    const second = await connector.run('add_group_member', input, fast);
    await connector.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect([first.status, second.status]).toEqual(['success', 'success']);
    expect(second.meta.requests).toBe(1);
    expect(second.meta.rate_limit).toEqual({ limit: 100, remaining: 99, reset_ms: 500 });
    expect(scope.isDone()).toBe(true);
  });

  it('a wait past the deadline fails fast as rate_limited, sending nothing', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, { meta: { status: 200 }, data: [{ folders: [] }], fail: [] }, spent(60_000));
    const connector = createConnector(config, fast);
    await connector.run('search_groups', {}, fast);
    const t0 = Date.now();
    const r = await connector.run('search_groups', {}, { ...fast, deadlineMs: 2_000 });
    await connector.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'rate_limited' });
    expect(r.error?.hint).toContain('Wait 60 s');
    expect(r.meta.requests).toBe(0);
  });
});

describe('pacing an endpoint without rate-limit headers', () => {
  it('a burst is not made one call at a time: after the first answer the others are in flight together', async () => {
    let inFlight = 0;
    let most = 0;
    const transport: Transport = {
      async send(req: HttpRequest): Promise<HttpResponse> {
        const token = req.url.endsWith('/oauth/token');
        if (!token) most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        if (!token) inFlight--;
        const json = token
          ? { access_token: 'pacing-test-token-0123456789', token_type: 'Bearer', expires_in: 1799 }
          : { meta: { status: 200 }, data: [{ folders: [] }], fail: [] };
        return { status: 200, headers: { 'content-type': 'application/json' }, json, text: JSON.stringify(json), contentType: 'application/json' };
      },
      async open() {
        throw new Error('not used');
      },
      async close() {},
    };
    const connector = createConnector(config, { tokenCache: 'memory', transport });
    const results = await Promise.all(Array.from({ length: 10 }, () => connector.run('search_groups', {})));
    await connector.close();
    expect(results.every((r) => r.status === 'success')).toBe(true);
    expect(most).toBe(9); // the probe alone, then the nine others at once
  });
});
