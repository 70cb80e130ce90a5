import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_ATTACHMENT_ID } from '../../src/simulator/routes/archive.js';
import { SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID } from '../../src/simulator/routes/policy-blockedsenders.js';
import { validateOutput } from '../helpers/contract.js';
import { BASE, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.generic_action.example![0];
const POLICY_PATH = '/api/policy/blockedsenders/get-policy';
const policy = {
  id: 'eNoPolicy1',
  option: 'block_sender',
  policy: {
    description: 'Block known phishing domain',
    fromPart: 'both',
    from: { type: 'email_domain', emailDomain: 'bad.example.net' },
    to: { type: 'everyone' },
  },
};
const envelope = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const CONTENT = Buffer.from('PK\u0003\u0004 zipped evidence\n');
const SHA = createHash('sha256').update(CONTENT).digest('hex');

describe('generic_action (nock)', () => {
  setupNock();

  it("sends the seed's example as POST /api/policy/blockedsenders/get-policy on the base URL with the empty /api/* envelope", async () => {
    const answer = envelope([policy]);
    mimecast()
      .post(POLICY_PATH, (body) => JSON.stringify(body) === '{"data":[]}')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('content-type', 'application/json')
      .matchHeader('accept', 'application/json')
      .reply(200, answer);
    const r = await runAction('generic_action', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 200, body: answer });
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('POST /api/policy/blockedsenders/get-policy: HTTP 200.');
    validateOutput('generic_action', r.data);
  });

  it('sends a GET with query_params as the query string (lists repeated), no body and no content-type', async () => {
    const body = { value: [{ id: 'g1' }], '@nextPage': 'n2' };
    mimecast()
      .get('/directory/cloud-gateway/v1/groups')
      .query((q) => JSON.stringify(q) === JSON.stringify({ pageSize: '10', source: ['cloud', 'ldap'], exact: 'true' }))
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('content-type', (v) => v == null)
      .reply(200, body);
    const r = await runAction(
      'generic_action',
      { method: 'get', endpoint: '/directory/cloud-gateway/v1/groups', query_params: { pageSize: 10, source: ['cloud', 'ldap'], exact: true } },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 200, body });
    expect(r.summary).toBe('GET /directory/cloud-gateway/v1/groups: HTTP 200.');
  });

  it.each([
    ['an object payload', { payload: { data: [{ id: 'eNoPolicy1' }] } }],
    ['a JSON text payload', { payload: '{"data":[{"id":"eNoPolicy1"}]}' }],
    ['extra_fields.payload_json when payload is empty', { payload: '', extra_fields: { payload_json: { data: [{ id: 'eNoPolicy1' }] } } }],
  ])('sends %s as the JSON body', async (_what, input) => {
    mimecast()
      .post(POLICY_PATH, (body) => JSON.stringify(body) === '{"data":[{"id":"eNoPolicy1"}]}')
      .matchHeader('content-type', 'application/json')
      .reply(200, envelope([policy]));
    const r = await runAction('generic_action', { method: 'POST', endpoint: 'api/policy/blockedsenders/get-policy', ...input }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 200, body: envelope([policy]) });
  });

  it('sends a PUT with its payload and no /api/* envelope added', async () => {
    mimecast().put('/policy-management/cloud-gateway/v1/blocked-senders/policies/p1', { description: 'renamed' }).reply(204, '');
    const r = await runAction(
      'generic_action',
      { method: 'PUT', endpoint: 'policy-management/cloud-gateway/v1/blocked-senders/policies/p1', payload: { description: 'renamed' } },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 204, body: null });
  });

  it('is failed when an /api/* answer carries only fail[] inside HTTP 200', async () => {
    const key = { id: 'eNoMissing' };
    mimecast()
      .post(POLICY_PATH, { data: [key] })
      .reply(200, envelope([], [{ key, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]));
    const r = await runAction('generic_action', { method: 'POST', endpoint: 'api/policy/blockedsenders/get-policy', payload: { data: [key] } }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key }]);
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'The item failed; first: The policy was not found (err_policy_not_found)',
      code: 'err_policy_not_found',
    });
    expect(r.data).toEqual({
      status_code: 200,
      body: envelope([], [{ key, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]),
    });
  });

  it('is partial when an /api/* answer carries some data and some fail[]', async () => {
    const key = { id: 'eNoMissing' };
    const answer = envelope(
      [policy],
      [{ key, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }],
    );
    mimecast()
      .post(POLICY_PATH, { data: [{ id: 'eNoPolicy1' }, key] })
      .reply(200, answer);
    const r = await runAction(
      'generic_action',
      { method: 'POST', endpoint: 'api/policy/blockedsenders/get-policy', payload: { data: [{ id: 'eNoPolicy1' }, key] } },
      config,
      fast,
    );
    expect(r.status).toBe('partial');
    expect(r.data).toEqual({ status_code: 200, body: answer });
    expect(r.failures).toEqual([{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key }]);
    expect(r.summary).toBe('POST /api/policy/blockedsenders/get-policy: HTTP 200. (1 item failure, see failures)');
  });

  it('is failed when meta.status inside HTTP 200 is not 200', async () => {
    mimecast()
      .post(POLICY_PATH)
      .reply(200, { meta: { status: 403 }, data: [], fail: [] });
    const r = await runAction('generic_action', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', code: 'status_403' });
  });

  it('treats a GET like every Generic Action call, as a write (the manifest says read_only: false): HTTP 503 is not re-sent', async () => {
    mimecast().get('/api/account/get-account').reply(503, '<html>unavailable</html>', { 'content-type': 'text/html' });
    const r = await runAction('generic_action', { method: 'GET', endpoint: 'api/account/get-account' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.error!.hint).toMatch(/not re-sent because it may have reached Mimecast/);
    expect(r.meta.requests).toBe(2);
  });

  it('retries a GET after HTTP 429 (Mimecast did not run it)', async () => {
    mimecast()
      .get('/api/account/get-account')
      .reply(429, '', { 'X-RateLimit-Reset': '5' })
      .get('/api/account/get-account')
      .reply(200, envelope([{ accountCode: 'C1' }]));
    const r = await runAction('generic_action', { method: 'GET', endpoint: 'api/account/get-account' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 200, body: envelope([{ accountCode: 'C1' }]) });
    expect(r.meta.requests).toBe(3);
  });

  it('sends a POST (a write) once: HTTP 503 is not re-sent', async () => {
    mimecast()
      .post('/api/directory/create-group', { data: [{ description: 'IR' }] })
      .reply(503, '');
    const r = await runAction(
      'generic_action',
      { method: 'POST', endpoint: 'api/directory/create-group', payload: { data: [{ description: 'IR' }] } },
      config,
      fast,
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503, message: 'POST /api/directory/create-group: Mimecast answered HTTP 503' });
    expect(r.meta.requests).toBe(2);
  });

  it('reports HTTP 404 for a path that does not exist as not_found', async () => {
    mimecast()
      .post('/api/no/such-route')
      .reply(404, { fail: [{ code: 'not_found', message: 'No route' }] });
    const r = await runAction('generic_action', { method: 'POST', endpoint: 'api/no/such-route' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', http_status: 404 });
  });

  it('returns the raw text for extra_fields.response_type "text"', async () => {
    mimecast().get('/api/health').reply(200, 'OK\n', { 'content-type': 'text/plain' });
    const r = await runAction('generic_action', { method: 'GET', endpoint: 'api/health', extra_fields: { response_type: 'text' } }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ status_code: 200, body: 'OK\n' });
  });

  it('saves the answer to a file for extra_fields.download, with Accept */*', async () => {
    const dir = tmpDir();
    mimecast()
      .post('/api/archive/get-file', { data: [{ id: 'eNpFile1' }] })
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('accept', '*/*')
      .reply(200, CONTENT, { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="evidence.zip"' });
    mimecast()
      .post('/api/archive/get-file', { data: [{ id: 'eNpFile2' }] })
      .reply(200, CONTENT, { 'content-type': 'application/octet-stream' });
    const r = await runAction(
      'generic_action',
      { method: 'POST', endpoint: 'api/archive/get-file', payload: { data: [{ id: 'eNpFile1' }] }, extra_fields: { download: true } },
      config,
      { ...fast, outputDir: dir },
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      status_code: 200,
      file: { file_name: 'evidence.zip', path: join(dir, 'evidence.zip'), size: CONTENT.length, sha256: SHA, content_type: 'application/zip' },
    });
    expect(readFileSync(join(dir, 'evidence.zip')).equals(CONTENT)).toBe(true);
    expect(r.summary).toBe(`POST /api/archive/get-file: saved evidence.zip (${CONTENT.length} bytes).`);
    validateOutput('generic_action', r.data);
    const named = await runAction(
      'generic_action',
      {
        method: 'POST',
        endpoint: 'api/archive/get-file',
        payload: { data: [{ id: 'eNpFile2' }] },
        extra_fields: { response_type: 'file', filename: 'second.bin' },
      },
      config,
      { ...fast, outputDir: dir },
    );
    expect(named.data).toMatchObject({ status_code: 200, file: { file_name: 'second.bin', path: join(dir, 'second.bin') } });
  });

  it('is failed and writes no file when a download is answered with JSON fail[]', async () => {
    const dir = tmpDir();
    mimecast()
      .post('/api/archive/get-file')
      .reply(
        200,
        envelope([], [{ key: { id: 'x' }, errors: [{ code: 'err_file_not_found', message: 'The requested file could not be found', retryable: false }] }]),
      );
    const r = await runAction(
      'generic_action',
      { method: 'POST', endpoint: 'api/archive/get-file', payload: { data: [{ id: 'x' }] }, extra_fields: { download: true } },
      config,
      { ...fast, outputDir: dir },
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['https://evil.example/x', 'endpoint must be a path on the configured base URL, not an absolute URL'],
    ['HTTP://evil.example/x', 'endpoint must be a path on the configured base URL, not an absolute URL'],
    ['//evil.example/x', 'endpoint must be a path on the configured base URL (no protocol-relative path or backslash)'],
    ['api/../../x', 'endpoint must not contain "." or ".." segments (it must stay under the base URL)'],
    ['api/%2e%2e/x', 'endpoint must not contain "." or ".." segments (it must stay under the base URL)'],
    ['api/%2E%2e/%2e%2E/x', 'endpoint must not contain "." or ".." segments (it must stay under the base URL)'],
    ['api/./x', 'endpoint must not contain "." or ".." segments (it must stay under the base URL)'],
    ['api/%2f%2fevil.example', 'endpoint must not contain "." or ".." segments (it must stay under the base URL)'],
    ['api\\x', 'endpoint must be a path on the configured base URL (no protocol-relative path or backslash)'],
    ['api/x?y=1', 'endpoint must be a plain path: put query parameters in query_params (no spaces, "?" or "#")'],
    ['api/x#y', 'endpoint must be a plain path: put query parameters in query_params (no spaces, "?" or "#")'],
    ['api/%zz', 'endpoint has an invalid percent-encoding'],
  ])('refuses the endpoint %j before sending anything, not even a token request', async (endpoint, message) => {
    const r = await runAction('generic_action', { method: 'GET', endpoint }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: 'endpoint' });
    expect(r.meta.requests).toBe(0);
  });

  it.each([
    [
      { method: 'POST', endpoint: 'api/x', extra_fields: { files: { file: 'a.txt' } } },
      'extra_fields.files is not supported: this connector does not send multipart uploads',
    ],
    [{ method: 'POST', endpoint: 'api/x', payload: '{"data": [' }, 'payload looks like JSON but does not parse'],
    [{ method: 'PATCH', endpoint: 'api/x' }, 'method must be one of: GET, PUT, POST, DELETE'],
    [{ method: 'POST' }, 'endpoint is required'],
    [{ endpoint: 'api/x' }, 'method is required'],
    [
      { method: 'POST', endpoint: 'api/x', extra_fields: { headers: {} } },
      'extra_fields has an unknown key "headers" (allowed: payload_json, download, files, filename, retry_wait, retry_count, custom_output, response_type)',
    ],
    [{ method: 'POST', endpoint: 'api/x', extra_fields: { response_type: 'xml' } }, 'extra_fields.response_type must be one of: json, text, file'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('generic_action', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('generic_action (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example against the simulator and returns the blocked-sender policies", async () => {
    const r = await h.run('generic_action', example);
    expect(r.status).toBe('success');
    expect(r.data.status_code).toBe(200);
    expect(r.data.body.meta).toEqual({ status: 200 });
    // Every seeded blocked-sender policy (the seed's Get and Nullify examples name one each).
    expect(r.data.body.data.map((p: { id: string }) => p.id)).toEqual([SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID]);
    expect(r.data.body.data[0]).toMatchObject({ option: 'block_sender', policy: { description: 'Block known phishing domain' } });
    expect(h.sim.requests.map((q) => [q.method, q.path])).toEqual([
      ['POST', '/oauth/token'],
      ['POST', POLICY_PATH],
    ]);
    validateOutput('generic_action', r.data);
  });

  it("reads the simulator's fail[] (failed) and downloads a file with extra_fields.download", async () => {
    const missing = await h.run('generic_action', {
      method: 'POST',
      endpoint: 'api/policy/blockedsenders/get-policy',
      payload: { data: [{ id: 'eNoNoSuchPolicy' }] },
    });
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    const dir = tmpDir();
    const file = await h.run(
      'generic_action',
      { method: 'POST', endpoint: 'api/archive/get-file', payload: { data: [{ id: DEMO_ATTACHMENT_ID }] }, extra_fields: { download: true } },
      { outputDir: dir },
    );
    expect(file.status).toBe('success');
    expect(file.data.file).toMatchObject({ file_name: 'invoice_2024.pdf.html', path: join(dir, 'invoice_2024.pdf.html') });
    expect(readFileSync(file.data.file.path, 'utf8')).toContain('malicious-login-3.example.net');
  });

  it('refuses an endpoint that leaves the base URL without the simulator seeing any request', async () => {
    const r = await h.run('generic_action', { method: 'POST', endpoint: `${BASE}/api/account/get-account` });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'input_error', field: 'endpoint' });
    expect(h.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });
});
