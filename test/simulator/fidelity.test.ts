/**
 * Simulator fidelity: over real HTTP, the simulator answers with the shapes of the real captures
 * in src/simulator/fixtures (envelope, pagination, fail[] entries, token), and behaves like the
 * Mimecast gateway on authentication, methods, unknown routes and rate-limit headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { http, ROOT, type RawResponse } from '../helpers/cli.js';

const fixture = (name: string): any => JSON.parse(readFileSync(join(ROOT, 'src/simulator/fixtures', name), 'utf8'));

/** The type skeleton of a JSON value: object keys (sorted) and value types; arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v === null) return 'null';
  if (typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  return typeof v;
}

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
beforeEach(() => sim.reset());
afterAll(async () => {
  await sim?.close();
});

const form = (o: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });

async function token(): Promise<string> {
  const r = await http('POST', `${sim.url}/oauth/token`, form({ grant_type: 'client_credentials', ...sim.credentials }));
  expect(r.status).toBe(200);
  return r.json.access_token as string;
}

async function api(path: string, body: unknown, opts: { token?: string | null; method?: string } = {}): Promise<RawResponse> {
  const t = opts.token === undefined ? await token() : opts.token;
  return http(opts.method ?? 'POST', `${sim.url}${path}`, {
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const gatewayFailShape = shape(fixture('gateway-403-app-forbidden.json'));

describe('OAuth token endpoint', () => {
  it('answers like the oauth-token fixture', async () => {
    const r = await http('POST', `${sim.url}/oauth/token`, form({ grant_type: 'client_credentials', ...sim.credentials }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    const real = fixture('oauth-token.json');
    expect(shape(r.json)).toEqual(shape(real));
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: real.expires_in, scope: '' });
    expect(r.json.access_token).not.toBe(real.access_token);
  });

  it('refuses bad credentials with 401 in the gateway fail shape; other grants with 400; GET with 405', async () => {
    const bad = await http(
      'POST',
      `${sim.url}/oauth/token`,
      form({ grant_type: 'client_credentials', client_id: sim.credentials.client_id, client_secret: 'wrong' }),
    );
    expect(bad.status).toBe(401);
    expect(shape(bad.json)).toEqual(gatewayFailShape);
    expect(bad.json.fail[0].code).toBe('InvalidClientIdentifier');
    expect(bad.text).not.toContain('wrong');
    const unknown = await http(
      'POST',
      `${sim.url}/oauth/token`,
      form({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: sim.credentials.client_secret }),
    );
    expect(unknown.status).toBe(401);
    const grant = await http('POST', `${sim.url}/oauth/token`, form({ grant_type: 'password', ...sim.credentials }));
    expect(grant.status).toBe(400);
    const get = await http('GET', `${sim.url}/oauth/token`);
    expect(get.status).toBe(405);
    expect(sim.stats.token_requests).toBe(4);
  });
});

describe('gateway behaviour', () => {
  it('a call without a token, or with an unknown one, is 401 in the gateway fail shape', async () => {
    const none = await api('/api/account/get-account', {}, { token: null });
    expect(none.status).toBe(401);
    expect(shape(none.json)).toEqual(gatewayFailShape);
    const bogus = await api('/api/account/get-account', {}, { token: 'not-a-token-issued-here' });
    expect(bogus.status).toBe(401);
    expect(shape(bogus.json)).toEqual(gatewayFailShape);
  });

  it('a token past its expires_in is 401 token_expired; a revoked one 401 unauthorized; a fresh one works', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const timed = await startSimulator({ now: () => new Date(clock), tokenTtlSec: 60 });
    try {
      const call = (t: string) =>
        http('POST', `${timed.url}/api/account/get-account`, { headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` }, body: '{}' });
      const issue = async () =>
        (await http('POST', `${timed.url}/oauth/token`, form({ grant_type: 'client_credentials', ...timed.credentials }))).json as {
          access_token: string;
          expires_in: number;
        };
      const first = await issue();
      expect(first.expires_in).toBe(60);
      expect((await call(first.access_token)).status).toBe(200);
      clock += 61_000;
      const expired = await call(first.access_token);
      expect(expired.status).toBe(401);
      expect(shape(expired.json)).toEqual(gatewayFailShape);
      expect(expired.json.fail[0].code).toBe('token_expired');
      const second = await issue();
      expect((await call(second.access_token)).status).toBe(200);
      timed.expireTokens();
      const revoked = await call(second.access_token);
      expect(revoked.status).toBe(401);
      expect(revoked.json.fail[0].code).toBe('unauthorized');
    } finally {
      await timed.close();
    }
  });

  it('GET on an /api/* route is 405; an unknown route is 404', async () => {
    const t = await token();
    const get = await api('/api/account/get-account', undefined, { token: t, method: 'GET' });
    expect(get.status).toBe(405);
    expect(shape(get.json)).toEqual(gatewayFailShape);
    const missing = await api('/api/no/such-route', { data: [] }, { token: t });
    expect(missing.status).toBe(404);
    expect(shape(missing.json)).toEqual(gatewayFailShape);
  });

  it('a body that is not JSON, or not the envelope, is 400', async () => {
    const t = await token();
    const notJson = await http('POST', `${sim.url}/api/directory/find-groups`, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      body: '{"data":[',
    });
    expect(notJson.status).toBe(400);
    const notEnvelope = await api('/api/directory/add-group-member', { data: { id: 'x' } }, { token: t });
    expect(notEnvelope.status).toBe(400);
    expect(notEnvelope.json.fail[0].errors[0].code).toBe('err_validation_bad_request');
  });

  it('every answer carries numeric rate-limit headers; remaining counts down', async () => {
    const t = await token();
    const a = await api('/api/account/get-account', {}, { token: t });
    const b = await api('/api/account/get-account', {}, { token: t });
    for (const r of [a, b]) {
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(Number.isFinite(Number(r.headers[h]))).toBe(true);
    }
    expect(Number(b.headers['x-ratelimit-remaining'])).toBe(Number(a.headers['x-ratelimit-remaining']) - 1);
    expect(Number(a.headers['x-ratelimit-limit'])).toBeGreaterThan(Number(a.headers['x-ratelimit-remaining']));
  });

  it('a rate_limit fault is a 429 with X-RateLimit-Reset in ms and remaining 0, and is counted', async () => {
    const t = await token();
    sim.fault({ kind: 'rate_limit', resetMs: 4321 });
    const r = await api('/api/account/get-account', {}, { token: t });
    expect(r.status).toBe(429);
    expect(r.headers['x-ratelimit-reset']).toBe('4321');
    expect(r.headers['x-ratelimit-remaining']).toBe('0');
    expect(shape(r.json)).toEqual(gatewayFailShape);
    expect(sim.stats).toEqual({ token_requests: 1, api_requests: 1 });
    const next = await api('/api/account/get-account', {}, { token: t });
    expect(next.status).toBe(200);
  });
});

describe('/api/* answers have the shapes of the real captures', () => {
  it('get-account returns the fixture account in the fixture envelope', async () => {
    const real = fixture('api-account-get-account.json');
    const r = await api('/api/account/get-account', { data: [] });
    expect(r.status).toBe(200);
    expect(r.json).toEqual(real);
    const empty = await api('/api/account/get-account', {});
    expect(empty.json).toEqual(real);
  });

  it('find-groups is shaped like the fixture: meta.status, meta.pagination {pageSize,totalCount}, data[0].folders[], fail[]', async () => {
    const real = fixture('api-directory-find-groups.json');
    const r = await api('/api/directory/find-groups', { data: [{}] });
    expect(r.status).toBe(200);
    expect(shape(r.json)).toEqual(shape(real));
    expect(r.json.meta.status).toBe(200);
    // The simulator is seeded with the captured groups (it may add its own after them).
    expect(r.json.data[0].folders.slice(0, real.data[0].folders.length)).toEqual(real.data[0].folders);
    const n = r.json.data[0].folders.length;
    expect(r.json.meta.pagination).toEqual({ pageSize: n, totalCount: n });
    expect(r.json.fail).toEqual([]);
  });

  it('paginates with pageSize / pageToken / next / previous like Mimecast', async () => {
    const all = (await api('/api/directory/find-groups', { data: [{}] })).json.data[0].folders.map((f: { id: string }) => f.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const t = await token();
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const r = await api(
        '/api/directory/find-groups',
        { meta: { pagination: { pageSize: 1, ...(pageToken ? { pageToken } : {}) } }, data: [{}] },
        { token: t },
      );
      const p = r.json.meta.pagination;
      expect(p.pageSize).toBe(r.json.data[0].folders.length);
      expect(p.totalCount).toBe(all.length);
      if (pages > 0) expect(typeof p.previous).toBe('string');
      else expect(p.previous).toBeUndefined();
      seen.push(...r.json.data[0].folders.map((f: { id: string }) => f.id));
      pageToken = p.next;
      pages++;
    } while (pageToken && pages < 20);
    expect(pages).toBe(all.length);
    expect(seen).toEqual(all);
    const bad = await api('/api/directory/find-groups', { meta: { pagination: { pageSize: 1, pageToken: '!!!' } }, data: [{}] }, { token: t });
    expect(bad.json.fail[0].errors[0].code).toBe('err_invalid_page_token');
  });

  it('permit-or-block-sender returns entries shaped like the fixture (MTOKEN: id, capitalised type)', async () => {
    const real = fixture('api-managedsender-permit-or-block-sender.json');
    const r = await api('/api/managedsender/permit-or-block-sender', {
      data: [
        { sender: 'bad@evil.example', to: 'ceo@example.com', action: 'block' },
        { sender: 'good@partner.example', to: 'ceo@example.com', action: 'permit' },
      ],
    });
    expect(r.status).toBe(200);
    expect(shape(r.json)).toEqual(shape(real));
    expect(r.json.data.map((d: { type: string }) => d.type)).toEqual(['Block', 'Permit']);
    for (const d of r.json.data) expect(d.id).toMatch(/^MTOKEN:/);
    expect(r.json.data[0]).toMatchObject({ sender: 'bad@evil.example', to: 'ceo@example.com' });
  });

  it('a refused item is reported inside HTTP 200 in fail[] with the key echoed and errors[] entries', async () => {
    const item = { sender: 'not-an-address', to: 'ceo@example.com', action: 'block' };
    const r = await api('/api/managedsender/permit-or-block-sender', { data: [item] });
    expect(r.status).toBe(200);
    expect(r.json.meta.status).toBe(200);
    expect(r.json.data).toEqual([]);
    expect(r.json.fail).toEqual([
      { key: item, errors: [{ code: 'err_validation_invalid_email_address', message: expect.any(String), field: 'sender', retryable: false }] },
    ]);
  });

  it('add-group-member and remove-group-member answer like their fixtures; a duplicate add fails like Mimecast', async () => {
    const groupId = fixture('api-directory-find-groups.json').data[0].folders[0].id;
    const t = await token();
    const add = await api('/api/directory/add-group-member', { data: [{ id: groupId, emailAddress: 'test4@example.com' }] }, { token: t });
    expect(shape(add.json)).toEqual(shape(fixture('api-directory-add-group-member.json')));
    expect(add.json.data[0]).toMatchObject({ folderId: groupId, emailAddress: 'test4@example.com', internal: true });

    const dup = await api('/api/directory/add-group-member', { data: [{ id: groupId, emailAddress: 'test4@example.com' }] }, { token: t });
    expect(dup.status).toBe(200);
    expect(dup.json.data).toEqual([]);
    expect(dup.json.fail).toEqual([
      {
        key: { id: groupId, emailAddress: 'test4@example.com' },
        errors: [{ code: 'err_folder_group_member_already_exists', message: expect.any(String), field: 'emailAddress', retryable: false }],
      },
    ]);

    const remove = await api('/api/directory/remove-group-member', { data: [{ id: groupId, emailAddress: 'test4@example.com' }] }, { token: t });
    expect(shape(remove.json)).toEqual(shape(fixture('api-directory-remove-group-member.json')));
    const again = await api('/api/directory/remove-group-member', { data: [{ id: groupId, emailAddress: 'test4@example.com' }] }, { token: t });
    expect(again.json.fail[0].errors[0].code).toBe('err_folder_email_address_not_found');
  });

  it('get-logs nests click logs one level down (data[0].clickLogs) and pages', async () => {
    const r = await api('/api/ttp/url/get-logs', { meta: { pagination: { pageSize: 10 } }, data: [{ route: 'all', scanResult: 'all' }] });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['data', 'fail', 'meta']);
    expect(r.json.data).toHaveLength(1);
    expect(r.json.data[0].clickLogs).toHaveLength(10);
    expect(r.json.data[0].clickLogs[0].date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(r.json.meta.pagination).toEqual({ pageSize: 10, totalCount: expect.any(Number), next: expect.any(String) });
  });
});

describe('control endpoints', () => {
  it('faults queued over HTTP apply once per time and are counted in stats; reset clears them', async () => {
    const t = await token();
    const f = await http('POST', `${sim.url}/__sim/faults`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, path: '/api/account/get-account', times: 2 }),
    });
    expect(f.status).toBe(200);
    expect((await api('/api/account/get-account', {}, { token: t })).status).toBe(503);
    expect((await api('/api/account/get-account', {}, { token: t })).status).toBe(503);
    expect((await api('/api/account/get-account', {}, { token: t })).status).toBe(200);
    const stats = await http('GET', `${sim.url}/__sim/stats`);
    expect(stats.json).toEqual({ token_requests: 1, api_requests: 3 });
    const recorded = await http('GET', `${sim.url}/__sim/requests`);
    expect(recorded.json.map((q: { path: string }) => q.path)).toEqual([
      '/oauth/token',
      '/api/account/get-account',
      '/api/account/get-account',
      '/api/account/get-account',
    ]);
    sim.fault({ kind: 'status', status: 500 });
    await http('POST', `${sim.url}/__sim/reset`);
    expect(sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
    expect((await api('/api/account/get-account', {})).status).toBe(200);
  });

  it('refuses a fault of an unknown kind instead of silently consuming a request', async () => {
    const r = await http('POST', `${sim.url}/__sim/faults`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'rate-limit' }) });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/rate_limit/);
    expect((await api('/api/account/get-account', {})).status).toBe(200);
  });
});
