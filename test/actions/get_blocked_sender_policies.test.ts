import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
import { SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID } from '../../src/simulator/routes/policy-blockedsenders.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_blocked_sender_policies.example![0] as { policy_id: string };
const ID = example.policy_id;
const PATH = '/api/policy/blockedsenders/get-policy';

const record = (id: string, description = 'Block known phishing domain') => ({
  id,
  option: 'block_sender',
  policy: {
    description,
    fromPart: 'both',
    from: { type: 'email_domain', emailDomain: 'malicious-login-3.example.net' },
    to: { type: 'everyone' },
    fromType: 'email_domain',
    fromValue: 'malicious-login-3.example.net',
    toType: 'everyone',
    fromDate: '1900-01-01T00:00:00+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: true,
    toEternal: true,
    override: false,
    bidirectional: false,
    conditions: {},
    enabled: true,
    enforced: false,
    createTime: '2024-05-26T14:39:13+0000',
    lastUpdated: '2024-05-26T14:39:13+0000',
  },
});
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const notFound = (id: string) => ({
  key: { id },
  errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }],
});

describe('get_blocked_sender_policies (nock)', () => {
  setupNock();

  it("sends the seed's example (policy_id) as one get-policy item and returns the policy", async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([record(ID)]));
    const r = await runAction('get_blocked_sender_policies', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([record(ID)]);
    expect(r.summary).toBe('Found 1 blocked-sender policy.');
    validateOutput('get_blocked_sender_policies', r.data);
  });

  it('without an ID sends the empty envelope once and returns every policy', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, ok([record('p1'), record('p2', 'Second')]));
    const r = await runAction('get_blocked_sender_policies', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([record('p1'), record('p2', 'Second')]);
    expect(r.summary).toBe('Found 2 blocked-sender policies.');
    expect(r.meta.requests).toBe(2);
  });

  it('reads each ID with a call of its own (text or {"id"} items, a repeated ID once); an unknown one is a failure keyed by it (partial)', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'p1' }] })
      .reply(200, ok([record('p1')]))
      .post(PATH, { data: [{ id: 'gone' }] })
      .reply(200, ok([], [notFound('gone')]))
      .post(PATH, { data: [{ id: 'p2' }] })
      .reply(200, ok([record('p2', 'Second')]));
    const r = await runAction('get_blocked_sender_policies', { policy_ids: ['p1', { id: 'gone' }, 'p2', 'p1'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([record('p1'), record('p2', 'Second')]);
    expect(r.failures).toEqual([{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: 'gone' } }]);
    expect(r.meta.requests).toBe(4);
  });

  it('is not_found when the only ID is unknown', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'gone' }] })
      .reply(200, ok([], [notFound('gone')]));
    const r = await runAction('get_blocked_sender_policies', { policy_id: 'gone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });

  it('retries a read after HTTP 503 (read-only)', async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(503, '')
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, ok([record(ID)]));
    const r = await runAction('get_blocked_sender_policies', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    [{ policy_ids: [] }, 'policy_ids', 'policy_ids must have at least one item'],
    [{ policy_ids: [{ id: '' }] }, 'policy_ids[0].id', 'policy_ids[0].id must not be empty'],
    [{ policy_ids: ['p1', ''] }, 'policy_ids[1]', 'policy_ids[1] must not be empty'],
    [{ policy_ids: [{ policy: 'x' }] }, 'policy_ids[0]', expect.stringContaining('policy_ids[0] has an unknown key "policy"')],
    [{ policy_id: 'a', policy_ids: 'b' }, 'policy_ids', 'policy_ids was given twice (as "policy_ids" and as "policy_id"); give it once'],
  ])('refuses %j before sending anything', async (input, field, message) => {
    const r = await runAction('get_blocked_sender_policies', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_blocked_sender_policies (simulator)', () => {
  const h = useSimulator();

  it('returns every seeded policy without an ID, and one by its ID', async () => {
    const all = await h.run('get_blocked_sender_policies', {});
    expect(all.status).toBe('success');
    expect(all.data.map((p: { id: string }) => p.id)).toEqual([SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID]);
    validateOutput('get_blocked_sender_policies', all.data);
    const one = await h.run('get_blocked_sender_policies', example);
    expect(one.data).toEqual([all.data[0]]);
  });

  it('is partial with an unknown ID keyed by it', async () => {
    const r = await h.run('get_blocked_sender_policies', { policy_ids: [SEEDED_BLOCK_SENDER_ID, 'eNoNoSuchPolicy'] });
    expect(r.status).toBe('partial');
    expect(r.data.map((p: { id: string }) => p.id)).toEqual([SEEDED_BLOCK_SENDER_ID]);
    expect(r.failures).toEqual([
      { code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: 'eNoNoSuchPolicy' } },
    ]);
  });
});
