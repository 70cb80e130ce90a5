import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_GET_POLICY_ID, EXAMPLE_POLICY_ID, EXAMPLE_SET_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.get_address_alteration_policy.example![0] as { policy_id: string };
const PATH = '/api/policy/address-alteration/get-policy';

const ok = (data: unknown[], fail: unknown[] = [], pagination?: Record<string, unknown>) => ({
  meta: { status: 200, ...(pagination ? { pagination } : {}) },
  data,
  fail,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const id = (i: number) => `eNo1policy-${String(i).padStart(3, '0')}`;
const record = (pid: string) => ({
  id: pid,
  addressAlterationSetId: EXAMPLE_SET_ID,
  policy: {
    description: 'Rewrite legacy sender addresses',
    fromPart: 'both',
    from: { type: 'individual_email_address', emailAddress: 'legacy@orgname.com' },
    to: { type: 'external_addresses' },
    fromType: 'individual_email_address',
    fromValue: 'legacy@orgname.com',
    toType: 'external_addresses',
    fromDate: '1900-01-01T00:00:00+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: true,
    toEternal: true,
    override: false,
    bidirectional: false,
    conditions: {},
    enabled: true,
    enforced: false,
    comment: 'Migration',
    createTime: '2024-05-26T14:39:13+0000',
    lastUpdated: '2024-05-26T14:39:13+0000',
  },
});
const notFound = (key: unknown) => ({
  key,
  errors: [{ code: 'err_address_alteration_policy_not_found', message: 'The address alteration policy was not found', field: 'id', retryable: false }],
});

describe('get_address_alteration_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one {id} item and returns Mimecast's data[]", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.policy_id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([record(example.policy_id)]));
    const r = await runAction('get_address_alteration_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([record(example.policy_id)]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Retrieved 1 address alteration policy of 1 requested.');
    validateOutput('get_address_alteration_policy', r.data);
  });

  it('without an ID sends {data: []} with meta.pagination and reads every page', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [] })
      .reply(200, ok([record(id(1)), record(id(2))], [], { pageSize: 2, totalCount: 3, next: 'p2' }))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'p2' } }, data: [] })
      .reply(200, ok([record(id(3))], [], { pageSize: 1, totalCount: 3 }));
    const r = await runAction('get_address_alteration_policy', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([1, 2, 3].map((i) => record(id(i))));
    expect(r.meta.pages).toBe(2);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Found 3 address alteration policies (2 pages).');
  });

  it('splits 501 IDs into calls of 500 and 1 (chunk_size 500); an unknown ID is a failure keyed by {id} and the others are returned (partial)', async () => {
    expect(manifest.actions.get_address_alteration_policy.chunk_size).toBe(500);
    mimecast()
      .post(PATH, { data: range(0, 500).map((i) => ({ id: id(i) })) })
      .reply(
        200,
        ok(
          range(1, 500).map((i) => record(id(i))),
          [notFound({ id: id(0) })],
        ),
      )
      .post(PATH, { data: [{ id: id(500) }] })
      .reply(200, ok([record(id(500))]));
    const r = await runAction('get_address_alteration_policy', { policy_id: range(0, 501).map(id) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(500);
    expect(r.failures).toEqual([
      {
        code: 'err_address_alteration_policy_not_found',
        message: 'The address alteration policy was not found',
        field: 'id',
        retryable: false,
        key: { id: id(0) },
      },
    ]);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Retrieved 500 address alteration policies of 501 requested. (1 item failure, see failures)');
  });

  it('retries a read after HTTP 503 (read-only) and takes IDs as text or {id}, each sent once', async () => {
    mimecast()
      .post(PATH, { data: [{ id: id(1) }, { id: id(2) }] })
      .reply(503, '')
      .post(PATH, { data: [{ id: id(1) }, { id: id(2) }] })
      .reply(200, ok([record(id(1)), record(id(2))]));
    const r = await runAction('get_address_alteration_policy', { policy_id: [{ id: id(1) }, id(2), id(1)] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(2);
    expect(r.meta.requests).toBe(3);
  });

  it('dry run without an ID shows the first page request', async () => {
    const r = await runAction('get_address_alteration_policy', {}, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      requests: [
        {
          method: 'POST',
          url: `${BASE}${PATH}`,
          headers: dryRunHeaders,
          body: { meta: { pagination: { pageSize: 100 } }, data: [] },
        },
      ],
    });
  });

  it.each([
    ['policy_id must have at least one item', { policy_id: [] }],
    ['policy_id[0] has an unknown key "policyId" (allowed: id)', { policy_id: [{ policyId: 'x' }] }],
    ['input has an unknown key "id" (allowed: policy_id, page_token)', { id: 'x' }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('get_address_alteration_policy', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_address_alteration_policy (simulator)', () => {
  const h = useSimulator();

  it("reads the seed's example policy", async () => {
    const r = await h.run('get_address_alteration_policy', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([record(EXAMPLE_GET_POLICY_ID)]);
    validateOutput('get_address_alteration_policy', r.data);
  });

  it('without an ID returns every policy, over several pages when there are more than a page holds', async () => {
    const all = await h.run('get_address_alteration_policy', {});
    expect(all.status).toBe('success');
    expect(all.data.map((p: { id: string }) => p.id).sort()).toEqual([EXAMPLE_GET_POLICY_ID, EXAMPLE_POLICY_ID].sort());

    const entry = { addressAlterationSetId: EXAMPLE_SET_ID, policy: { description: 'x', from: { type: 'everyone' }, to: { type: 'everyone' } } };
    expect((await h.run('create_address_alteration_policy', { policy_information: range(0, 100).map(() => entry) })).status).toBe('success');
    const many = await h.run('get_address_alteration_policy', {});
    expect(many.status).toBe('success');
    expect(many.data).toHaveLength(102);
    expect(many.meta.pages).toBe(2);
  });

  it('reports an unknown ID as a failure keyed by {id}, the known one is returned (partial)', async () => {
    const r = await h.run('get_address_alteration_policy', { policy_id: [EXAMPLE_POLICY_ID, 'eNo1unknown'] });
    expect(r.status).toBe('partial');
    expect(r.data.map((p: { id: string }) => p.id)).toEqual([EXAMPLE_POLICY_ID]);
    expect(r.failures).toEqual([
      {
        code: 'err_address_alteration_policy_not_found',
        message: 'The address alteration policy was not found',
        field: 'id',
        retryable: false,
        key: { id: 'eNo1unknown' },
      },
    ]);
  });
});
