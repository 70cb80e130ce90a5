/**
 * OAuth token handling of the shared client: memory and file caches, refresh margin,
 * single flight, 401 refresh-and-replay, token endpoint failures, the form POST itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nock from 'nock';
import { decryptToken } from '../../src/client/token-crypto.js';
import { parseConfig } from '../../src/runtime/config.js';
import { createConnector, exitCodeFor, runAction } from '../../src/runtime/run.js';
import { BASE, CLIENT_ID, CLIENT_SECRET, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const TOKEN2 = 'second-token-Zq8WvT1nB6yHc3';
const FOLDER = { id: 'grp-1', description: 'Blocked users', source: 'cloud', parentId: 'root', userCount: 1, folderCount: 0 };
const groups = { meta: { status: 200, pagination: { pageSize: 100, totalCount: 1 } }, data: [{ source: 'cloud', folders: [FOLDER] }], fail: [] };
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq_JQajHG';
const added = { meta: { status: 200 }, data: [{ id: 'm1', folderId: GROUP_ID, emailAddress: 'a@example.com', internal: true }], fail: [] };

const tokenReply = (access_token: string, expires_in = 1799) => ({ access_token, token_type: 'Bearer', expires_in, scope: '' });

describe('token', () => {
  setupNock();

  it('fetches one token for several runs on one connector (memory cache)', async () => {
    mimecast().post('/api/directory/find-groups').times(3).matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    const connector = createConnector(config, fast);
    const a = await connector.run('search_groups', {}, fast);
    const b = await connector.run('search_groups', {}, fast);
    const c = await connector.run('search_groups', {}, fast);
    await connector.close();
    expect([a.status, b.status, c.status]).toEqual(['success', 'success', 'success']);
    expect(a.data).toEqual([FOLDER]);
    expect([a.meta.requests, b.meta.requests, c.meta.requests]).toEqual([2, 1, 1]);
  });

  it('sends the token request as a form POST with grant_type, client_id and client_secret only', async () => {
    let form: unknown;
    nock(BASE)
      .post('/oauth/token', (body) => {
        form = body;
        return true;
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .matchHeader('accept', 'application/json')
      .reply(200, tokenReply(TOKEN))
      .post('/api/directory/find-groups')
      .reply(200, groups);
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
    expect(form).toEqual({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  });

  describe('file cache', () => {
    it('reuses the token across processes: the second run makes no token request', async () => {
      const cacheDir = join(tmpDir(), 'cache');
      const opts = { ...fast, tokenCache: 'file' as const, cacheDir };
      mimecast().post('/api/directory/find-groups').reply(200, groups);
      const first = await runAction('search_groups', {}, config, opts);
      expect(first.meta.requests).toBe(2);

      // A new process: a run of its own has only the file cache.
      nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
      const second = await runAction('search_groups', {}, config, opts);
      expect(second.status).toBe('success');
      expect(second.meta.requests).toBe(1);
    });

    it('is one owner-only file (0600) in an owner-only directory (0700) holding neither the token nor the secret', async () => {
      const cacheDir = join(tmpDir(), 'nested', 'cache');
      mimecast().post('/api/directory/find-groups').reply(200, groups);
      const r = await runAction('search_groups', {}, config, { ...fast, tokenCache: 'file', cacheDir });
      expect(r.status).toBe('success');
      const files = readdirSync(cacheDir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^token-[0-9a-f]{32}\.json$/);
      const file = join(cacheDir, files[0]);
      expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
      // It is the token, encrypted under the client secret.
      expect(decryptToken(parseConfig(config), text)?.access_token).toBe(TOKEN);
      expect(decryptToken(parseConfig({ ...config, client_secret: 'another-secret-123456' }), text)).toBeNull();
    });

    it('ignores a cache file encrypted under another client secret and fetches a new token', async () => {
      const cacheDir = join(tmpDir(), 'cache');
      const opts = { ...fast, tokenCache: 'file' as const, cacheDir };
      mimecast().post('/api/directory/find-groups').reply(200, groups);
      expect((await runAction('search_groups', {}, config, opts)).meta.requests).toBe(2);

      const rotated = { ...config, client_secret: 'rotated-secret-4d2e8b6a90' };
      nock(BASE)
        .post('/oauth/token', (b) => b.client_secret === rotated.client_secret)
        .reply(200, tokenReply(TOKEN2))
        .post('/api/directory/find-groups')
        .matchHeader('authorization', `Bearer ${TOKEN2}`)
        .reply(200, groups);
      const r = await runAction('search_groups', {}, rotated, opts);
      expect(r.status).toBe('success');
      expect(r.meta.requests).toBe(2);

      // The file now holds the new token, readable under the new secret only.
      nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN2}`).reply(200, groups);
      expect((await runAction('search_groups', {}, rotated, opts)).meta.requests).toBe(1);
    });
  });

  it('refreshes the token when fewer than 120 s of its life remain', async () => {
    const t0 = Date.UTC(2024, 9, 12, 18, 30);
    let clock = t0;
    const opts = { ...fast, now: () => clock };
    const connector = createConnector(config, opts);
    const run = () => connector.run('search_groups', {}, opts);
    mimecast().post('/api/directory/find-groups').times(2).matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    expect((await run()).meta.requests).toBe(2);

    clock = t0 + 1799_000 - 121_000; // 121 s left: still used
    expect((await run()).meta.requests).toBe(1);

    clock = t0 + 1799_000 - 119_000; // 119 s left: refreshed
    nock(BASE)
      .post('/oauth/token')
      .reply(200, tokenReply(TOKEN2))
      .post('/api/directory/find-groups')
      .matchHeader('authorization', `Bearer ${TOKEN2}`)
      .reply(200, groups);
    const r = await run();
    await connector.close();
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(2);
  });

  it('never serves a token fetched with one secret to a configuration with another secret (same process)', async () => {
    mimecast().post('/api/directory/find-groups').reply(200, groups);
    expect((await runAction('search_groups', {}, config, fast)).status).toBe('success');
    const wrong = { ...config, client_secret: 'wrong-secret-0b9c8d7e6f' };
    nock(BASE)
      .post('/oauth/token', (b) => b.client_secret === wrong.client_secret)
      .reply(401, { error: 'invalid_client' });
    const r = await runAction('search_groups', {}, wrong, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'auth_error', http_status: 401 });
    expect(r.meta.requests).toBe(1);
  });

  it('waits what a 429 from /oauth/token asks before fetching the token again', async () => {
    nock(BASE)
      .post('/oauth/token')
      .reply(429, '', { 'X-RateLimit-Reset': '250' }) // shorter than the 1 s fallback: the header is what was waited for
      .post('/oauth/token')
      .reply(200, tokenReply(TOKEN))
      .post('/api/directory/find-groups')
      .reply(200, groups);
    const t = performance.now();
    const r = await runAction('search_groups', {}, config, fast);
    const elapsed = performance.now() - t;
    expect(r.status).toBe('success');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1000);
    expect(r.meta.requests).toBe(3);
  });

  it('shares one in-flight token request between concurrent calls (single flight)', async () => {
    let tokenRequests = 0;
    nock(BASE)
      .post('/oauth/token')
      .delay(50)
      .reply(() => {
        tokenRequests++;
        return [200, tokenReply(TOKEN)];
      })
      .post('/api/directory/find-groups')
      .times(2)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, groups);
    const connector = createConnector(config, fast);
    const [a, b] = await Promise.all([connector.run('search_groups', {}, fast), connector.run('search_groups', {}, fast)]);
    await connector.close();
    expect([a.status, b.status]).toEqual(['success', 'success']);
    expect(tokenRequests).toBe(1);
    expect(a.meta.requests + b.meta.requests).toBe(3);
  });

  it('on a 401 fetches one new token and replays the call exactly once (a write too)', async () => {
    const body = { data: [{ id: GROUP_ID, emailAddress: 'a@example.com' }] };
    mimecast()
      .post('/api/directory/add-group-member', body)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(401, { fail: [{ code: 'token_expired', message: 'Token expired' }] })
      .post('/oauth/token')
      .reply(200, tokenReply(TOKEN2))
      .post('/api/directory/add-group-member', body)
      .matchHeader('authorization', `Bearer ${TOKEN2}`)
      .reply(200, added);
    const r = await runAction('add_group_member', { member_information: [{ id: GROUP_ID, emailAddress: 'a@example.com' }] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(added.data);
    expect(r.meta.requests).toBe(4);
  });

  it('fails with auth_error when Mimecast also refuses the fresh token (no third attempt)', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(401)
      .post('/oauth/token')
      .reply(200, tokenReply(TOKEN2))
      .post('/api/directory/find-groups')
      .matchHeader('authorization', `Bearer ${TOKEN2}`)
      .reply(401);
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'auth_error', http_status: 401, message: 'Mimecast refused a freshly issued token (HTTP 401)' });
    expect(r.meta.requests).toBe(4);
    expect(exitCodeFor(r)).toBe(1);
  });

  it.each([401, 400])('a %i from /oauth/token is an auth_error, never retried (exactly one token request)', async (status) => {
    nock(BASE).post('/oauth/token').reply(status, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'auth_error',
      http_status: status,
      code: 'invalid_client',
      message: `Mimecast refused the client credentials (HTTP ${status} from /oauth/token)`,
    });
    expect(r.error!.hint).toMatch(/client_id and client_secret/);
    expect(r.meta.requests).toBe(1);
    expect(exitCodeFor(r)).toBe(1);
  });

  it('refuses a token response without an access_token or of another token type', async () => {
    nock(BASE).post('/oauth/token').reply(200, { token_type: 'Bearer', expires_in: 1799 });
    const a = await runAction('search_groups', {}, config, fast);
    expect(a.error).toMatchObject({ type: 'auth_error', message: 'Mimecast token endpoint returned no access_token' });
    nock(BASE).post('/oauth/token').reply(200, { access_token: TOKEN2, token_type: 'MAC', expires_in: 1799 });
    const b = await runAction('search_groups', {}, config, fast);
    expect(b.error).toMatchObject({ type: 'auth_error', message: 'Mimecast token endpoint returned an unsupported token type "MAC"' });
    expect([a.meta.requests, b.meta.requests]).toEqual([1, 1]);
  });

  // Every token is masked wherever it shows: a `"` or `status` would break or rename the output.
  it.each([
    ['a quote', '"'],
    ['an envelope key', 'status'],
    ['15 characters', 'a1b2c3d4e5f6g7h'],
    ['a space', 'token with a space 0123'],
    ['a quote inside', 'token"quote-0123456789'],
    ['padding in the middle', 'abc=defghijklmnopqrstu'],
    ['a non-ASCII letter', 'tökenwithumlaut0123456'],
  ])('refuses an access_token that is not a bearer token (%s): auth_error, nothing cached, nothing sent with it', async (_what, hostile) => {
    const cacheDir = join(tmpDir(), 'cache');
    const opts = { ...fast, tokenCache: 'file' as const, cacheDir };
    nock(BASE).post('/oauth/token').reply(200, tokenReply(hostile));
    const r = await runAction('search_groups', {}, config, opts);
    expect(r).toEqual({
      status: 'failed',
      action: 'search_groups',
      summary: 'Failed: Mimecast token endpoint returned an access_token that is not a bearer token',
      data: null,
      failures: [],
      error: {
        type: 'auth_error',
        message: 'Mimecast token endpoint returned an access_token that is not a bearer token',
        hint: "A bearer token is at least 16 characters of letters, digits and - . _ ~ + / (then = padding); check that the base URL is Mimecast's API host.",
      },
      meta: { requests: 1, duration_ms: expect.any(Number) },
    });
    // Nothing cached: the next run asks for a token again (and uses the good one).
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('token-'))).toEqual([]);
    mimecast().post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    const next = await runAction('search_groups', {}, config, opts);
    expect(next.status).toBe('success');
    expect(next.meta.requests).toBe(2);
  });

  it('accepts a bearer token of exactly 16 b64token characters with padding', async () => {
    const token = 'Ab9-._~+/Zz0_Q==';
    nock(BASE)
      .post('/oauth/token')
      .reply(200, tokenReply(token))
      .post('/api/directory/find-groups')
      .matchHeader('authorization', `Bearer ${token}`)
      .reply(200, groups);
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
  });

  it('retries a token request that hit a 503 (nothing of the action was sent yet)', async () => {
    nock(BASE)
      .post('/oauth/token')
      .reply(503, 'Service Unavailable')
      .post('/oauth/token')
      .reply(200, tokenReply(TOKEN))
      .post('/api/directory/add-group-member')
      .reply(200, added);
    const r = await runAction('add_group_member', { member_information: [{ id: GROUP_ID, emailAddress: 'a@example.com' }] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
  });
});
