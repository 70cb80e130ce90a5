/**
 * Exit 2 means nothing was sent. The call budget (max_calls) counts token requests too; a limit
 * reached after requests went out is partial (a read keeps its pages, with a resume token) or
 * failed with exit 1. Reads retry meta.status 5xx inside HTTP 200 as they retry an HTTP 5xx
 * (writes are never re-sent), and a 401's Mimecast code reaches error.code.
 */
import { parseProxyUrl } from '../../src/client/proxy.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock, TOKEN } from '../helpers/nock.js';

const FIND = '/api/directory/find-groups';
const page = (id: string, next?: string) => ({
  meta: { status: 200, pagination: { pageSize: 1, ...(next ? { next } : {}) } },
  data: [{ folders: [{ id }] }],
  fail: [],
});

describe('the call budget (max_calls)', () => {
  setupNock();

  it('counts the token request, and a paged read it stops is partial (exit 3) with a resume token, not success', async () => {
    mimecast()
      .post(FIND, (b) => !b.meta.pagination.pageToken)
      .reply(200, page('g1', 'tok-1'));
    // max_calls 2: the token request and the first page; the second page is not requested.
    const r = await runAction('search_groups', { page_size: 1 }, { ...config, max_calls: 2 }, fast);
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual([{ id: 'g1' }]);
    expect(r.meta).toMatchObject({ requests: 2, pages: 1, next_page_token: 'tok-1' });
    expect(r.error).toMatchObject({ type: 'rate_limited', field: 'max_calls', code: 'max_calls_reached' });
    expect(r.error?.message).toContain('(max_calls 2)');
  });

  it('a write stopped after its first requests went out is failed with exit 1, never 2 ("nothing was sent")', async () => {
    const original = {
      id: 'eNoPolicy1',
      policy: { description: 'd', fromPart: 'envelope_from', from: { type: 'everyone' }, to: { type: 'everyone' }, override: false },
    };
    mimecast()
      .post('/api/policy/blockedsenders/get-policy')
      .reply(200, { meta: { status: 200 }, data: [original], fail: [] });
    // The create-policy call is past the budget: nock has no answer for it, and it is never sent.
    const r = await runAction('nullify_blocked_sender_policy', { policy_id: 'eNoPolicy1' }, { ...config, max_calls: 2 }, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.meta.requests).toBe(2);
    expect(r.error).toMatchObject({ type: 'rate_limited', field: 'max_calls', code: 'max_calls_reached' });
  });

  it('a Generic POST retried after 429s until max_calls: failed with exit 1 (the requests reached Mimecast), not exit 2', async () => {
    // Every attempt is refused with a 429 (persist): the budget, not the answers, ends the run.
    mimecast().post('/api/directory/create-group').reply(429, '', { 'X-RateLimit-Reset': '5' }).persist();
    const input = { method: 'POST', endpoint: 'api/directory/create-group', payload: { data: [{ description: 'IR' }] } };
    const r = await runAction('generic_action', input, { ...config, max_calls: 3 }, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.meta.requests).toBe(3);
    expect(r.error).toMatchObject({ type: 'rate_limited', field: 'max_calls', code: 'max_calls_reached' });
    expect(r.error?.message).toBe(
      'POST /api/directory/create-group: this run has made 3 requests (token requests included), the most it may make (max_calls 3); stopped before the next',
    );
  });

  it('a list that needs all calls plus the token request is refused before anything is sent (exit 2)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `eNoHeld${i}`);
    // Two calls of 25 and a token request: three requests, more than max_calls 2; nothing is sent.
    const r = await runAction('release_held_message', { id: ids }, { ...config, max_calls: 2 }, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(2);
    expect(r.meta.requests).toBe(0);
    expect(r.error).toMatchObject({ type: 'input_error', field: 'max_calls' });
    expect(r.error?.message).toBe('30 items need 2 calls of at most 25 plus a token request, more than one run may make (max_calls 2); nothing was sent');
  });

  it('an input or config error of a run that had sent a request exits 1', () => {
    const error = { type: 'input_error' as const, message: 'x' };
    expect(exitCodeFor({ status: 'failed', error, meta: { requests: 0 } })).toBe(2);
    expect(exitCodeFor({ status: 'failed', error, meta: { requests: 3 } })).toBe(1);
  });
});

describe('limits that a timer or a URL cannot hold', () => {
  it('a deadline longer than a timer holds is an input_error naming deadlineMs; nothing is sent', async () => {
    const r = await runAction('search_groups', {}, config, { ...fast, deadlineMs: 2 ** 31 });
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(2);
    expect(r.error).toMatchObject({ type: 'input_error', field: 'deadlineMs' });
    expect(r.meta.requests).toBe(0);
  });

  it('a malformed percent-escape in a proxy password is a config_error naming the field, without the password', async () => {
    expect(() => parseProxyUrl('http://user:s3cr%zzet@proxy.example.com:3128', 'proxy')).toThrow(
      expect.objectContaining({ type: 'config_error', field: 'proxy' }),
    );
    const r = await runAction('search_groups', {}, { ...config, proxy: 'http://user:s3cr%E0%A4et@proxy.example.com:3128' }, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(2);
    expect(r.error).toMatchObject({ type: 'config_error', field: 'proxy' });
    expect(JSON.stringify(r)).not.toContain('s3cr');
  });
});

describe('failures inside HTTP 200 and 401 answers', () => {
  setupNock();
  const status500 = { meta: { status: 500 }, data: [], fail: [{ errors: [{ code: 'err_internal', message: 'Internal error', retryable: true }] }] };

  it('a read answered meta.status 500 inside HTTP 200 is retried, and succeeds', async () => {
    mimecast().post(FIND).reply(200, status500).post(FIND).reply(200, page('g1'));
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: 'g1' }]);
    expect(r.meta.requests).toBe(3);
  });

  it('a read that keeps answering meta.status 500 fails as api_error with the code, after its retries', async () => {
    mimecast().post(FIND).times(3).reply(200, status500);
    const r = await runAction('search_groups', {}, config, { ...fast, retry: { ...fast.retry, retries: 2 } });
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_internal' });
    expect(r.error?.message).toBe('POST /api/directory/find-groups: Mimecast reported status 500 inside HTTP 200: Internal error (err_internal)');
    expect(r.meta.requests).toBe(4);
  });

  it('a write answered meta.status 500 is never re-sent', async () => {
    mimecast().post('/api/gateway/hold-release').reply(200, status500);
    const r = await runAction('release_held_message', { id: ['eNoHeld1'] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.meta.requests).toBe(2);
  });

  it("a 401 to a fresh token carries Mimecast's code (err_xdk_invalid_signature) to error.code", async () => {
    const refused = {
      meta: { status: 401 },
      data: [],
      fail: [{ errors: [{ code: 'err_xdk_invalid_signature', message: 'Invalid signature', retryable: false }] }],
    };
    mimecast()
      .post(FIND)
      .reply(401, refused)
      .post('/oauth/token')
      .reply(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 })
      .post(FIND)
      .reply(401, refused);
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'auth_error', http_status: 401, code: 'err_xdk_invalid_signature' });
    expect(r.error?.message).toBe('Mimecast refused a freshly issued token (HTTP 401): Invalid signature (err_xdk_invalid_signature)');
  });
});
