import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { BASE, CLIENT_ID, CLIENT_SECRET, TOKEN, apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import nock from 'nock';

const example = manifest.actions.test_connectivity.example![0];
const PATH = '/api/account/get-account';
const account = fixture('api-account-get-account.json');

describe('test_connectivity (nock)', () => {
  setupNock();

  it('requests a token, then reads the account with {data: []} and reports who it is connected as', async () => {
    nock(BASE)
      .post('/oauth/token', { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 1799, scope: '' })
      .post(PATH, (body) => JSON.stringify(body) === '{"data":[]}')
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .matchHeader('accept', 'application/json')
      .reply(200, account);
    const r = await runAction('test_connectivity', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ connected: true, base_url: BASE, account_name: 'POC - API - JupiterOne', account_code: 'CUSA35A403', region: 'us', proxy: null });
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe(`Connected to Mimecast at ${BASE} as account "POC - API - JupiterOne", directly (no proxy).`);
    validateOutput('test_connectivity', r.data);
  });

  it('reports wrong credentials as an auth_error with a hint, sends no API call and never echoes the secret', async () => {
    nock(BASE)
      .post('/oauth/token')
      .reply(401, { fail: [{ code: 'InvalidClientIdentifier', message: 'Client authentication failed' }] });
    const r = await runAction('test_connectivity', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'auth_error',
      message: 'Mimecast refused the client credentials (HTTP 401 from /oauth/token)',
      http_status: 401,
      code: 'InvalidClientIdentifier',
      hint: 'Check client_id and client_secret and the base URL region. New API 2.0 credentials can take about 30 minutes to become active.',
    });
    expect(r.meta.requests).toBe(1);
    expect(JSON.stringify(r)).not.toContain(CLIENT_SECRET);
  });

  it('reports 403 app_forbidden as a permission_error whose hint names "Account | Dashboard | Read"', async () => {
    mimecast().post(PATH, { data: [] }).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('test_connectivity', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'permission_error',
      message: 'POST /api/account/get-account: Mimecast refused the call (HTTP 403): Forbidden to perform the requested operation (app_forbidden)',
      http_status: 403,
      code: 'app_forbidden',
      hint: 'Give the API application\'s role the "Account | Dashboard | Read" permission in Mimecast (Administration → Roles).',
    });
    expect(r.meta.requests).toBe(2);
  });

  it('is failed when Mimecast answers HTTP 200 with fail[]', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ errors: [{ code: 'err_account_unavailable', message: 'Account unavailable', retryable: false }] }],
      });
    const r = await runAction('test_connectivity', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'api_error',
      message: 'POST /api/account/get-account: Account unavailable (err_account_unavailable)',
      code: 'err_account_unavailable',
    });
  });

  it('is failed with the permission hint when meta.status is 403 inside HTTP 200', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, { meta: { status: 403 }, data: [], fail: [] });
    const r = await runAction('test_connectivity', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'permission_error',
      message: 'POST /api/account/get-account: Mimecast reported status 403 inside HTTP 200',
      http_status: 403,
      hint: 'Give the API application\'s role the "Account | Dashboard | Read" permission in Mimecast (Administration → Roles).',
    });
  });

  it.each([[{ ping: true }, 'input has an unknown key "ping"']])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('test_connectivity', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('test_connectivity (simulator)', () => {
  const h = useSimulator();

  it("connects with the seed's example and names the simulator's account", async () => {
    const r = await h.run('test_connectivity', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      connected: true,
      base_url: h.sim.url,
      account_name: 'POC - API - JupiterOne',
      account_code: 'CUSA35A403',
      region: 'us',
      proxy: null,
    });
    expect(h.sim.stats).toEqual({ token_requests: 1, api_requests: 1 });
    expect(h.sim.requests.map((q) => [q.method, q.path, q.body])).toEqual([
      ['POST', '/oauth/token', expect.any(String)],
      ['POST', PATH, { data: [] }],
    ]);
    validateOutput('test_connectivity', r.data);
  });

  it('fails with auth_error for a wrong secret', async () => {
    const r = await runAction(
      'test_connectivity',
      {},
      { base_url: h.sim.url, client_id: h.sim.credentials.client_id, client_secret: 'wrong-secret-000' },
      { tokenCache: 'memory', retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } },
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'auth_error', http_status: 401, code: 'InvalidClientIdentifier' });
    expect(h.sim.stats).toEqual({ token_requests: 1, api_requests: 0 });
  });
});
