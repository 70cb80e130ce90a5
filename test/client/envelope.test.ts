/**
 * Mimecast's envelope read in full: HTTP 200 is not success. fail[] in both shapes, meta.status,
 * per-item false flags, HTML error pages, truncated bodies, 4xx mapping and rate-limit headers.
 */
import { errorTypeFor, readFailures, readRestErrors } from '../../src/client/envelope.js';
import { ConnectorError } from '../../src/base/errors.js';
import { exitCodeFor, runAction, type RunOptions } from '../../src/runtime/run.js';
import { boundClient } from '../helpers/client.js';
import { config, fixture, mimecast, setupNock } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };

const FOLDER = { id: 'grp-1', description: 'Blocked users', source: 'cloud' };
const groups = { meta: { status: 200, pagination: { pageSize: 100 } }, data: [{ source: 'cloud', folders: [FOLDER] }], fail: [] };
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const a = { id: GROUP_ID, emailAddress: 'a@example.com' };
const b = { id: GROUP_ID, emailAddress: 'b@example.com' };
const addedA = { id: 'm1', folderId: GROUP_ID, emailAddress: 'a@example.com', internal: true };
const GROUPS_PERMISSION = 'Directories | Groups | Edit';

describe('envelope (runAction)', () => {
  setupNock();

  it('reads fail[] with errors[] + key (function errors) and keeps the successes: partial', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [a, b] })
      .reply(200, {
        meta: { status: 200 },
        data: [addedA],
        fail: [
          {
            key: b,
            errors: [
              { code: 'err_validation_blank', message: 'Value must not be blank', field: 'emailAddress', retryable: false },
              { code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false },
            ],
          },
        ],
      });
    const r = await runAction('add_group_member', { member_information: [a, b] }, config, opts);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([addedA]);
    expect(r.failures).toEqual([
      { code: 'err_validation_blank', message: 'Value must not be blank', field: 'emailAddress', retryable: false, key: b },
      { code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false, key: b },
    ]);
    expect(r.summary).toBe('Added 1 member to profile groups. (2 item failures, see failures)');
    expect(exitCodeFor(r)).toBe(3);
  });

  it('reads a gateway fail[] entry {code, message} inside HTTP 200 as a failure of the call', async () => {
    mimecast().post('/api/directory/add-group-member').reply(200, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('add_group_member', { member_information: [a] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.data).toEqual([]);
    expect(r.failures).toEqual([{ code: 'app_forbidden', message: 'Forbidden to perform the requested operation' }]);
    expect(r.error).toEqual({
      type: 'permission_error',
      code: 'app_forbidden',
      message: 'The item failed; first: Forbidden to perform the requested operation (app_forbidden)',
      hint: `Give the API application's role the "${GROUPS_PERMISSION}" permission in Mimecast (Administration → Roles).`,
    });
  });

  it('turns fail[] of a single operation (read) into an error naming the call, the code and the rest', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          {
            errors: [
              { code: 'err_validation_null', message: 'Source must not be null', field: 'source' },
              { code: 'err_other', message: 'Other' },
            ],
          },
        ],
      });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      code: 'err_validation_null',
      field: 'source',
      message: 'POST /api/directory/find-groups: Source must not be null (err_validation_null) (and 1 more error)',
    });
    expect(r.meta.requests).toBe(2); // a function error is not retried
  });

  it('treats meta.status 403 inside HTTP 200 with an empty fail[] as a permission failure (single operation)', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, { meta: { status: 403 }, data: [], fail: [] });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'permission_error',
      http_status: 403,
      message: 'POST /api/directory/find-groups: Mimecast reported status 403 inside HTTP 200',
      hint: `Give the API application's role the "${GROUPS_PERMISSION}" permission in Mimecast (Administration → Roles).`,
    });
  });

  it('treats meta.status 403 inside HTTP 200 with an empty fail[] as a failure of every item (list operation)', async () => {
    mimecast()
      .post('/api/directory/add-group-member')
      .reply(200, { meta: { status: 403 }, data: [], fail: [] });
    const r = await runAction('add_group_member', { member_information: [a, b] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([
      { code: 'status_403', message: 'Mimecast reported status 403 for this call', key: a },
      { code: 'status_403', message: 'Mimecast reported status 403 for this call', key: b },
    ]);
    expect(r.error).toMatchObject({
      type: 'permission_error',
      code: 'status_403',
      hint: `Give the API application's role the "${GROUPS_PERMISSION}" permission in Mimecast (Administration → Roles).`,
    });
  });

  it('reports an HTML 502 page as an api_error that says so', async () => {
    mimecast()
      .post('/api/directory/add-group-member')
      .reply(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', { 'content-type': 'text/html' });
    const r = await runAction('add_group_member', { member_information: [a] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'api_error',
      http_status: 502,
      message: 'POST /api/directory/add-group-member: Mimecast answered HTTP 502 (an HTML error page)',
    });
    expect(r.meta.requests).toBe(2);
  });

  it('retries a read whose JSON body was cut off', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, '{"meta":{"status":200},"data":[{"source":"cloud","fol', { 'content-type': 'application/json' })
      .post('/api/directory/find-groups')
      .reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([FOLDER]);
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    ['search_groups', {}, '/api/directory/find-groups', GROUPS_PERMISSION],
    ['get_ttp_url_logs', { start: '2024-10-12T00:00:00Z', end: '2024-10-12T01:00:00Z' }, '/api/ttp/url/get-logs', 'Monitoring | URL Protection | Read'],
  ])('maps HTTP 403 of %s to permission_error whose hint names the manifest permission', async (action, input, path, permission) => {
    mimecast().post(path).reply(403, fixture('gateway-403-app-forbidden.json'), { 'x-request-id': 'req-42' });
    const r = await runAction(action, input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'permission_error',
      http_status: 403,
      code: 'app_forbidden',
      request_id: 'req-42',
      message: `POST ${path}: Mimecast refused the call (HTTP 403): Forbidden to perform the requested operation (app_forbidden)`,
      hint: `Give the API application's role the "${permission}" permission in Mimecast (Administration → Roles).`,
    });
    expect(r.meta.requests).toBe(2); // not retried
    expect(exitCodeFor(r)).toBe(1);
  });

  it('maps HTTP 404 without a body to not_found with a hint about the path and region', async () => {
    mimecast().post('/api/directory/find-groups').reply(404, '');
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.error).toEqual({
      type: 'not_found',
      http_status: 404,
      message: 'POST /api/directory/find-groups: Mimecast answered HTTP 404',
      hint: 'The path does not exist on this base URL; check the path and the region of the base URL.',
    });
    expect(r.meta.requests).toBe(2);
  });

  it("maps HTTP 404 with a fail[] body to not_found carrying Mimecast's code", async () => {
    mimecast()
      .post('/api/directory/add-group-member')
      .reply(404, { meta: { status: 404 }, data: [], fail: [{ code: 'err_folder_not_found', message: 'Group not found' }] });
    const r = await runAction('add_group_member', { member_information: [a] }, config, opts);
    expect(r.error).toEqual({
      type: 'not_found',
      http_status: 404,
      code: 'err_folder_not_found',
      message: 'POST /api/directory/add-group-member: Mimecast answered HTTP 404: Group not found (err_folder_not_found)',
    });
  });

  it('explains HTTP 400 with an empty body as a truncated or malformed ID', async () => {
    mimecast().post('/api/directory/add-group-member').reply(400, '');
    const r = await runAction('add_group_member', { member_information: [a] }, config, opts);
    expect(r.error).toEqual({
      type: 'api_error',
      http_status: 400,
      message: 'POST /api/directory/add-group-member: Mimecast answered HTTP 400',
      hint: 'HTTP 400 with an empty body usually means a truncated or malformed Mimecast ID; copy the whole ID.',
    });
    expect(r.meta.requests).toBe(2);
  });

  it('reads the REST error envelope {"error": [...]} of an HTTP 400', async () => {
    mimecast().post('/api/directory/find-groups').reply(400, fixture('rest-v1-error-envelope-400.json'));
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.error).toEqual({
      type: 'api_error',
      http_status: 400,
      code: 'err_a',
      message: 'POST /api/directory/find-groups: Mimecast answered HTTP 400: First error (err_a)',
    });
  });

  it('puts the rate-limit headers in meta.rate_limit', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, groups, { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '49', 'X-RateLimit-Reset': '59000' });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.meta.rate_limit).toEqual({ limit: 50, remaining: 49, reset_ms: 59000 });
  });

  it('puts the rate-limit headers in meta.rate_limit on a failed call too', async () => {
    mimecast().post('/api/directory/add-group-member').reply(400, '', { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0' });
    const r = await runAction('add_group_member', { member_information: [a] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.meta.rate_limit).toEqual({ limit: 50, remaining: 0, reset_ms: undefined });
  });
});

describe('envelope (client.items / single)', () => {
  setupNock();
  const routes = ['POST /api/gateway/hold-release', 'POST /api/x/y', 'POST /api/account/get-account'];
  const client = () => boundClient(config, { routes }, { retry: { retries: 0, minTimeout: 1, maxTimeout: 1 } }).client;

  it('records items answered with a false success flag as failures', async () => {
    const ok = { id: 'msg-1', release: true };
    const refused = { id: 'msg-2', release: false };
    mimecast()
      .post('/api/gateway/hold-release', { data: [{ id: 'msg-1' }, { id: 'msg-2' }] })
      .reply(200, { meta: { status: 200 }, data: [ok, refused], fail: [] });
    const c = client();
    const out = await c.items('/api/gateway/hold-release', [{ id: 'msg-1' }, { id: 'msg-2' }], { successFlag: 'release' });
    expect(out).toEqual([ok]);
    expect(c.ledger.succeeded).toBe(1);
    expect(c.ledger.failures).toEqual([{ code: 'release_failed', message: 'Mimecast answered release: false for this item', key: refused }]);
  });

  it('without a success flag counts every data entry as a success', async () => {
    mimecast()
      .post('/api/x/y')
      .reply(200, { meta: { status: 200 }, data: [{ id: 1, release: false }], fail: [] });
    const c = client();
    expect(await c.items('/api/x/y', [{ id: 1 }])).toEqual([{ id: 1, release: false }]);
    expect(c.ledger.failures).toEqual([]);
  });

  it('single throws on a gateway fail[] entry inside HTTP 200', async () => {
    mimecast()
      .post('/api/account/get-account', { data: [] })
      .reply(200, { fail: [{ code: 'err_xyz', message: 'Broken' }] });
    const c = client();
    await expect(c.single('/api/account/get-account')).rejects.toMatchObject({
      type: 'api_error',
      code: 'err_xyz',
      message: 'POST /api/account/get-account: Broken (err_xyz)',
    });
  });

  it('single returns the envelope when meta.status is 200 and fail[] is empty', async () => {
    const env = { meta: { status: 200 }, data: [{ account: 'x' }], fail: [] };
    mimecast()
      .post('/api/account/get-account', { data: [{ q: 1 }] })
      .reply(200, env);
    const c = client();
    await expect(c.single('/api/account/get-account', { q: 1 })).resolves.toEqual(env);
  });

  it('throws ConnectorError instances', async () => {
    mimecast()
      .post('/api/account/get-account')
      .reply(200, { meta: { status: 500 }, data: [], fail: [] });
    const e = await client()
      .single('/api/account/get-account')
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toMatchObject({ type: 'api_error', httpStatus: 500 });
  });
});

describe('envelope readers', () => {
  it('reads fail[] in both shapes, one failure per error, keys kept', () => {
    expect(
      readFailures({
        fail: [
          {
            key: { id: 'k' },
            errors: [
              { code: 'c1', message: 'm1' },
              { code: 'c2', message: 'm2', field: 'f', retryable: true },
            ],
          },
          { code: 'app_forbidden', message: 'Forbidden' },
          { key: 'k2', errors: [] },
          null,
        ],
      }),
    ).toEqual([
      { code: 'c1', message: 'm1', key: { id: 'k' } },
      { code: 'c2', message: 'm2', field: 'f', retryable: true, key: { id: 'k' } },
      { code: 'app_forbidden', message: 'Forbidden' },
      { code: 'unknown_error', message: 'Mimecast reported a failure without a message', key: 'k2' },
    ]);
    expect(readFailures({ data: [] })).toEqual([]);
    expect(readFailures(undefined)).toEqual([]);
    expect(readRestErrors({ error: [{ code: 'e', message: 'm' }] })).toEqual([{ code: 'e', message: 'm' }]);
  });

  it.each([
    ['app_forbidden', undefined, 'permission_error'],
    ['err_folder_not_found', undefined, 'not_found'],
    ['token_expired', undefined, 'auth_error'],
    ['status_403', undefined, 'permission_error'],
    ['status_404', undefined, 'not_found'],
    ['status_500', undefined, 'api_error'],
    [undefined, 429, 'rate_limited'],
    ['err_validation_blank', undefined, 'api_error'],
  ])('errorTypeFor(%s, %s) = %s', (code, status, type) => {
    expect(errorTypeFor(code, status)).toBe(type);
  });
});
