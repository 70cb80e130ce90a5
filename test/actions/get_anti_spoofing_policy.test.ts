import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
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

  it('without an ID sends the empty envelope once and returns every policy', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, ok([captured, { ...captured, id: 'eNoAs2' }]));
    const r = await runAction('get_anti_spoofing_policy', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(2);
    expect(r.summary).toBe('Found 2 anti-spoofing bypass policies.');
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
});
