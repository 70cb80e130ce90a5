/**
 * Retry rules of the shared client: reads are retried after 5xx, socket errors and truncated
 * bodies; a write is never re-sent once it may have reached Mimecast; 429 is retried for every
 * action after the wait Mimecast asks for; retries are bounded.
 */
import { performance } from 'node:perf_hooks';
import { runAction, type RunOptions } from '../../src/runtime/run.js';
import { waitFromHeaders } from '../../src/client/pacing.js';
import { config, mimecast, setupNock } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };

const FOLDER = { id: 'grp-1', description: 'Blocked users', source: 'cloud' };
const groups = { meta: { status: 200, pagination: { pageSize: 100 } }, data: [{ source: 'cloud', folders: [FOLDER] }], fail: [] };
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const member = { id: GROUP_ID, emailAddress: 'a@example.com' };
const added = { meta: { status: 200 }, data: [{ id: 'm1', folderId: GROUP_ID, emailAddress: 'a@example.com', internal: true }], fail: [] };
const permit = { sender: 'bad@evil.example', to: 'user@example.com', action: 'block' };
const permitted = { meta: { status: 200 }, data: [{ id: 'ms1', sender: 'bad@evil.example', to: 'user@example.com', type: 'block' }], fail: [] };

const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('retries', () => {
  setupNock();

  it('retries a read after a 503 and succeeds', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(503, { fail: [{ code: 'service_unavailable', message: 'Try again' }] })
      .post('/api/directory/find-groups')
      .reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([FOLDER]);
    expect(r.meta.requests).toBe(3);
  });

  it('retries a read after a socket error mid-request', async () => {
    mimecast()
      .post('/api/ttp/url/get-logs')
      .replyWithError(socketError('ECONNRESET', 'socket hang up'))
      .post('/api/ttp/url/get-logs')
      .reply(200, { meta: { status: 200, pagination: {} }, data: [{ clickLogs: [{ url: 'https://x.example' }] }], fail: [] });
    const r = await runAction('get_ttp_url_logs', { start: '2024-10-12T00:00:00Z', end: '2024-10-12T18:30:00Z' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ url: 'https://x.example' }]);
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    { action: 'add_group_member', path: '/api/directory/add-group-member', input: { member_information: [member] }, body: { data: [member] }, status: 503 },
    {
      action: 'permit_or_block_sender',
      path: '/api/managedsender/permit-or-block-sender',
      input: { permit_block_information: [permit] },
      body: { data: [permit] },
      status: 502,
    },
  ])('sends the write $action exactly once after HTTP $status and says it was not re-sent', async ({ action, path, input, body, status }) => {
    mimecast().post(path, body).reply(status, '');
    const r = await runAction(action, input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: status, message: `POST ${path}: Mimecast answered HTTP ${status}` });
    expect(r.error!.hint).toMatch(/not re-sent because it may have reached Mimecast/);
    expect(r.meta.requests).toBe(2); // token + one call
    expect(r.data).toBeNull();
  });

  it('sends a write once when the connection drops mid-request (it may have been applied)', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [member] })
      .replyWithError(socketError('ECONNRESET', 'socket hang up'));
    const r = await runAction('add_group_member', { member_information: [member] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'transport_error', code: 'ECONNRESET' });
    expect(r.error!.message).toContain('POST /api/directory/add-group-member');
    expect(r.meta.requests).toBe(2);
  });

  it('retries a write whose connection was refused (it never reached Mimecast)', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [member] })
      .replyWithError(socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9443'))
      .post('/api/directory/add-group-member', { data: [member] })
      .reply(200, added);
    const r = await runAction('add_group_member', { member_information: [member] }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(added.data);
    expect(r.meta.requests).toBe(3);
  });

  it('sends a write once when its answer is a truncated JSON body', async () => {
    mimecast().post('/api/directory/add-group-member').reply(200, '{"meta":{"status":200},"data":[{"id":"m1",', { 'content-type': 'application/json' });
    const r = await runAction('add_group_member', { member_information: [member] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 200 });
    expect(r.error!.message).toMatch(/malformed JSON body .*truncated\?/);
    expect(r.meta.requests).toBe(2);
  });

  it('retries a 429 for a write too, after the X-RateLimit-Reset wait (milliseconds)', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [member] })
      .reply(429, '', { 'X-RateLimit-Reset': '150', 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' })
      .post('/api/directory/add-group-member', { data: [member] })
      .reply(200, added, { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '99', 'X-RateLimit-Reset': '60000' });
    const t = performance.now();
    const r = await runAction('add_group_member', { member_information: [member] }, config, opts);
    const elapsed = performance.now() - t;
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(r.meta.rate_limit).toEqual({ limit: 100, remaining: 99, reset_ms: 60000 });
  });

  it('waits what Retry-After (seconds) asks before retrying a 429', async () => {
    mimecast()
      .post('/api/managedsender/permit-or-block-sender')
      .reply(429, '', { 'Retry-After': '1' })
      .post('/api/managedsender/permit-or-block-sender')
      .reply(200, permitted);
    const t = performance.now();
    const r = await runAction('permit_or_block_sender', { permit_block_information: [permit] }, config, opts);
    const elapsed = performance.now() - t;
    expect(r.status).toBe('success');
    expect(r.data).toEqual(permitted.data);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  });

  it('fails as rate_limited without waiting when the 429 asks longer than maxWaitMs', async () => {
    mimecast().post('/api/directory/find-groups').reply(429, '', { 'X-RateLimit-Reset': '30000' });
    const t = performance.now();
    const r = await runAction('search_groups', {}, config, opts);
    const elapsed = performance.now() - t;
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'rate_limited',
      http_status: 429,
      message: 'Mimecast rate limit: it asks to wait 30 s, more than this action can wait',
    });
    expect(elapsed).toBeLessThan(1000);
    expect(r.meta.requests).toBe(2);
  });

  it('gives up on an always-503 read after retries + 1 attempts', async () => {
    mimecast().post('/api/directory/find-groups').times(3).reply(503, '');
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.meta.requests).toBe(1 + 3);
  });

  it('gives up on an always-429 write after retries + 1 attempts', async () => {
    mimecast().post('/api/directory/add-group-member').times(3).reply(429, '', { 'X-RateLimit-Reset': '5' });
    const r = await runAction('add_group_member', { member_information: [member] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'rate_limited', http_status: 429 });
    expect(r.meta.requests).toBe(1 + 3);
  });
});

describe('waitFromHeaders', () => {
  const now = Date.UTC(2024, 9, 12, 18, 30);
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': new Date(now + 3000).toUTCString() }, 3000],
    [{ 'x-ratelimit-reset': '150' }, 150],
    [{ 'x-ratelimit-reset': String(now / 1000 + 4) }, 4000],
    [{ 'x-ratelimit-reset': String(now + 5000) }, 5000],
    [{ 'retry-after': '1', 'x-ratelimit-reset': '9000' }, 1000],
    [{}, 1000],
  ])('%j → %i ms', (headers, ms) => {
    expect(waitFromHeaders(headers as Record<string, string>, now)).toBe(ms);
  });
});
