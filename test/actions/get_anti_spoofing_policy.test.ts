import manifest from '../../src/generated/manifest.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { SEEDED_GET_ID, SEEDED_UPDATE_ID } from '../../src/simulator/routes/policy-antispoofing.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_anti_spoofing_policy.example![0] as { policy_ids: string };
const ID = example.policy_ids;
const PATH = '/api/policy/antispoofing-bypass/get-policy';
const captured = fixture('api-policy-antispoofing-bypass-create-policy.json').data[0];
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('get_anti_spoofing_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one get-policy item and returns the policy", async () => {
    const policy = { ...captured, id: ID };
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([policy]));
    const r = await runAction('get_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([policy]);
    expect(r.summary).toBe('Found 1 anti-spoofing bypass policy.');
    validateOutput('get_anti_spoofing_policy', r.data);
  });

  it('without an ID pages through meta.pagination.next (pageSize 100, then pageToken) and returns every policy', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [] })
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1, totalCount: 2, next: 'tok2' } }, data: [captured], fail: [] })
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok2' } }, data: [] })
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1, totalCount: 2 } }, data: [{ ...captured, id: 'eNoAs2' }], fail: [] });
    const r = await runAction('get_anti_spoofing_policy', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([captured, { ...captured, id: 'eNoAs2' }]);
    expect(r.meta.pages).toBe(2);
    expect(r.summary).toBe('Found 2 anti-spoofing bypass policies (2 pages).');
  });

  it('resumes the list from page_token', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok2' } }, data: [] })
      .reply(200, ok([captured]));
    const r = await runAction('get_anti_spoofing_policy', { page_token: 'tok2' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([captured]);
  });

  it('a tenant that refuses the list without an ID: failed, saying that this tenant lists anti-spoofing policies only by ID', async () => {
    const refusal = { key: {}, errors: [{ code: 'err_validation_null', message: 'id must not be null', field: 'id', retryable: false }] };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [refusal] });
    const r = await runAction('get_anti_spoofing_policy', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error).toEqual({
      type: 'api_error',
      code: 'err_validation_null',
      field: 'policy_ids',
      message: `Mimecast refused to list anti-spoofing bypass policies without an ID: this tenant lists them only by ID (POST ${PATH}: id must not be null (err_validation_null))`,
      hint: 'Give policy_ids: the IDs Create Anti-Spoofing Policy returned, or the policies of Gateway → Policies → Anti-Spoofing in the Administration Console.',
    });
  });

  it('a permission refusal of the list stays a permission_error with its own hint', async () => {
    mimecast()
      .post(PATH)
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Resource or method requested does not exist in any product assigned to the application' }] });
    const r = await runAction('get_anti_spoofing_policy', {}, config, fast);
    expect(r.error).toMatchObject({ type: 'permission_error', hint: expect.stringContaining('Gateway | Policies | Read') });
    expect(r.error!.message).not.toMatch(/only by ID/);
  });

  it('refuses page_token with policy_ids before sending anything', async () => {
    const r = await runAction('get_anti_spoofing_policy', { policy_ids: ID, page_token: 'tok2' }, config, fast);
    expect(r.error).toEqual({
      type: 'input_error',
      field: 'page_token',
      message: 'page_token resumes the list of all policies; it cannot be given with policy_ids',
    });
    expect(r.meta.requests).toBe(0);
  });

  it('reads each ID with a call of its own; an unknown one is a failure keyed by {"id"} (partial)', async () => {
    const missing = { key: { id: 'gone' }, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] };
    mimecast()
      .post(PATH, { data: [{ id: 'gone' }] })
      .reply(200, ok([], [missing]))
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, ok([{ ...captured, id: ID }]));
    const r = await runAction('get_anti_spoofing_policy', { policy_ids: [{ id: 'gone' }, ID] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ ...captured, id: ID }]);
    expect(r.failures).toEqual([{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: 'gone' } }]);
  });

  it('refuses an empty ID before sending anything', async () => {
    const r = await runAction('get_anti_spoofing_policy', { policy_ids: [{ id: '' }] }, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field: 'policy_ids[0].id', message: 'policy_ids[0].id must not be empty' });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_anti_spoofing_policy (simulator)', () => {
  const h = useSimulator();

  it("returns the seed's example policy by its ID and every seeded policy (the captured fixture's among them) without one", async () => {
    const one = await h.run('get_anti_spoofing_policy', example);
    expect(one.status).toBe('success');
    expect(one.data).toEqual([{ ...captured, id: SEEDED_GET_ID }]);
    const all = await h.run('get_anti_spoofing_policy', {});
    expect(all.data.map((p: { id: string }) => p.id)).toEqual([captured.id, SEEDED_GET_ID, SEEDED_UPDATE_ID]);
    expect(all.data[0]).toEqual(captured);
    validateOutput('get_anti_spoofing_policy', all.data);
  });

  it('pages the list: 230 policies come back whole over 3 pages of 100', async () => {
    const policy = { description: 'Paged', from: { type: 'everyone' }, to: { type: 'everyone' } };
    const made = await h.run('create_anti_spoofing_policy', { policy_information: Array.from({ length: 227 }, () => ({ option: 'enable_bypass', policy })) });
    expect(made.status).toBe('success');
    const all = await h.run('get_anti_spoofing_policy', {});
    expect(all.status).toBe('success');
    expect(all.data).toHaveLength(230);
    expect(all.meta.pages).toBe(3);
    const calls = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { meta: { pagination: Record<string, unknown> } }).meta.pagination);
    expect(calls).toEqual([{ pageSize: 100 }, { pageSize: 100, pageToken: expect.any(String) }, { pageSize: 100, pageToken: expect.any(String) }]);
  });
});
