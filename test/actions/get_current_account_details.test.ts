import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.get_current_account_details.example![0];
const PATH = '/api/account/get-account';
const account = fixture('api-account-get-account.json');

describe('get_current_account_details (nock)', () => {
  setupNock();

  it("sends the seed's example as {data: []} and returns data[0] of the real capture unchanged", async () => {
    mimecast()
      .post(PATH, (body) => JSON.stringify(body) === '{"data":[]}')
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, account);
    const r = await runAction('get_current_account_details', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(account.data[0]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Account "POC - API - JupiterOne" (CUSA35A403, region us).');
    validateOutput('get_current_account_details', r.data);
  });

  it('is failed when Mimecast answers HTTP 200 with fail[]', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [{ errors: [{ code: 'err_xdk_operation_forbidden', message: 'Forbidden', retryable: false }] }] });
    const r = await runAction('get_current_account_details', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'permission_error',
      message: 'POST /api/account/get-account: Forbidden (err_xdk_operation_forbidden)',
      code: 'err_xdk_operation_forbidden',
      hint: 'Give the API application\'s role the "Account | Dashboard | Read" permission in Mimecast (Administration → Roles).',
    });
  });

  it('is failed with an api_error naming the call, with a hint, when Mimecast returns no account record', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('get_current_account_details', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      message: `POST ${PATH}: Mimecast reported success but returned no account record`,
      hint: "Run Test Connectivity: the API application's role may not see the account (Administration → Roles).",
    });
  });

  it('reports HTTP 403 as a permission_error naming the permission', async () => {
    mimecast().post(PATH).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('get_current_account_details', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'permission_error',
      http_status: 403,
      code: 'app_forbidden',
      hint: expect.stringContaining('"Account | Dashboard | Read"'),
    });
  });

  it.each([[{ account: 'CUSA35A403' }, 'input has an unknown key "account"']])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_current_account_details', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_current_account_details (simulator)', () => {
  const h = useSimulator();

  it("returns the captured account for the seed's example", async () => {
    const r = await h.run('get_current_account_details', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(account.data[0]);
    validateOutput('get_current_account_details', r.data);
  });
});
