import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
import { SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID } from '../../src/simulator/routes/policy-blockedsenders.js';
import { validateOutput } from '../helpers/contract.js';
import { BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.nullify_blocked_sender_policy.example![0] as { policy_id: string };
const ID = example.policy_id;
const GET = '/api/policy/blockedsenders/get-policy';
const CREATE = '/api/policy/blockedsenders/create-policy';
const OVERRIDE_ID = 'eNo1jk0LOverride0123456789';

/** The policy as get-policy returns it: nested and flattened targets, a dated start, an eternal end, read-only times. */
const original = {
  id: ID,
  option: 'block_sender',
  policy: {
    description: 'Block a spoofed payroll sender',
    fromPart: 'envelope_from',
    from: { type: 'individual_email_address', emailAddress: 'payroll-update@malicious.example.net' },
    to: { type: 'profile_group', group: { id: 'eNoGroupFinance', description: 'Finance' } },
    fromType: 'individual_email_address',
    fromValue: 'payroll-update@malicious.example.net',
    toType: 'profile_group',
    fromDate: '2024-05-25T14:39:12+0000',
    toDate: '2100-01-01T23:59:59+0000',
    toEternal: true,
    override: false,
    bidirectional: true,
    conditions: { sourceIPs: ['203.0.113.0/24'], hostnames: ['mx.malicious.example.net'] },
    enabled: true,
    enforced: true,
    comment: 'INC-7',
    createTime: '2024-05-25T14:39:13+0000',
    lastUpdated: '2024-05-25T14:39:13+0000',
  },
};

/** The create-policy body: the original's scope, no_action, override true; nothing read-only, no stand-in dates. */
const CREATE_BODY = {
  data: [
    {
      option: 'no_action',
      policy: {
        description: 'Block a spoofed payroll sender',
        fromPart: 'envelope_from',
        from: { type: 'individual_email_address', emailAddress: 'payroll-update@malicious.example.net' },
        to: { type: 'profile_group', groupId: 'eNoGroupFinance' },
        fromDate: '2024-05-25T14:39:12+0000',
        toEternal: true,
        override: true,
        bidirectional: true,
        conditions: { sourceIPs: ['203.0.113.0/24'], hostnames: ['mx.malicious.example.net'] },
      },
    },
  ],
};

const overridePolicy = {
  id: OVERRIDE_ID,
  option: 'no_action',
  policy: { ...original.policy, override: true, createTime: '2024-10-12T18:30:00+0000', lastUpdated: '2024-10-12T18:30:00+0000' },
};
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const notFound = { key: { id: ID }, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] };

describe('nullify_blocked_sender_policy (nock)', () => {
  setupNock();

  it("reads the seed's example policy, creates a no_action override with its scope and returns both ids", async () => {
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([original]))
      .post(CREATE, CREATE_BODY)
      .reply(200, ok([overridePolicy]));
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ original_policy_id: ID, override_policy_id: OVERRIDE_ID, override_policy: overridePolicy });
    expect(r.summary).toBe(`Nullified blocked-sender policy ${ID}: override policy ${OVERRIDE_ID} (no_action) now applies to the same senders and recipients.`);
    expect(r.meta.requests).toBe(3);
    validateOutput('nullify_blocked_sender_policy', r.data);
  });

  it("copies an eternal policy as eternal (never Mimecast's 1900/2100 stand-in dates)", async () => {
    const eternal = {
      id: ID,
      option: 'block_sender',
      policy: {
        description: 'Block a domain',
        fromPart: 'both',
        from: { type: 'email_domain', emailDomain: 'bad.example' },
        to: { type: 'everyone' },
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
        fromEternal: true,
        toEternal: true,
        bidirectional: false,
        conditions: {},
      },
    };
    const body = {
      data: [
        {
          option: 'no_action',
          policy: {
            description: 'Block a domain',
            fromPart: 'both',
            from: { type: 'email_domain', emailDomain: 'bad.example' },
            to: { type: 'everyone' },
            fromEternal: true,
            toEternal: true,
            override: true,
            bidirectional: false,
          },
        },
      ],
    };
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([eternal]))
      .post(CREATE, body)
      .reply(200, ok([{ ...eternal, id: OVERRIDE_ID, option: 'no_action' }]));
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ override_policy_id: OVERRIDE_ID });
  });

  it('an unknown ID is not_found and nothing is created', async () => {
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([], [notFound]));
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    expect(r.data).toBeNull();
    expect(r.meta.requests).toBe(2);
  });

  it('an empty answer to the read is not_found too, and nothing is created', async () => {
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([]));
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'not_found',
      message: `POST ${GET}: Mimecast returned no blocked-sender policy for this ID`,
      hint: 'List the policies with Get Blocked Sender Policies and copy the whole ID; nothing was created.',
    });
    expect(r.meta.requests).toBe(2);
  });

  it("reports a refused create with Mimecast's code", async () => {
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([original]))
      .post(CREATE, CREATE_BODY)
      .reply(200, ok([], [{ key: CREATE_BODY.data[0], errors: [{ code: 'err_xdk_operation_forbidden', message: 'Forbidden', retryable: false }] }]));
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', code: 'err_xdk_operation_forbidden' });
  });

  it('does not re-send the create after HTTP 500 (a write that may have been applied)', async () => {
    mimecast()
      .post(GET, { data: [{ id: ID }] })
      .reply(200, ok([original]))
      .post(CREATE, CREATE_BODY)
      .reply(500, '');
    const r = await runAction('nullify_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 500 });
    expect(r.meta.requests).toBe(3);
  });

  it('a dry run shows the get-policy call and says the create depends on its answer; nothing is sent', async () => {
    const r = await runAction('nullify_blocked_sender_policy', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      requests: [
        {
          method: 'POST',
          url: `${BASE}${GET}`,
          headers: dryRunHeaders,
          body: { data: [{ id: ID }] },
        },
      ],
    });
    expect(r.summary).toBe(
      `Dry run: 1 request(s) would be sent first; nothing was sent. A dry run has no answers from Mimecast, so the action stops there (the create-policy call (option no_action, policy.override true) copies the scope of the policy get-policy returns for ${ID}).`,
    );
    expect(r.meta.requests).toBe(0);
  });

  it.each([
    [{}, 'policy_id', 'policy_id is required'],
    [{ policy_id: ['a', 'b'] }, 'policy_id', 'policy_id must be a string'],
  ])('refuses %j before sending anything', async (input, field, message) => {
    const r = await runAction('nullify_blocked_sender_policy', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('nullify_blocked_sender_policy (simulator)', () => {
  const h = useSimulator();

  it("nullifies the seed's example policy: the override is found by its get with the same scope, the original is unchanged", async () => {
    const before = await h.run('get_blocked_sender_policies', example);
    const r = await h.run('nullify_blocked_sender_policy', example);
    expect(r.status).toBe('success');
    validateOutput('nullify_blocked_sender_policy', r.data);
    expect(r.data.original_policy_id).toBe(SEEDED_BLOCK_SENDER_ID);
    expect(r.data.override_policy_id).not.toBe(SEEDED_BLOCK_SENDER_ID);

    const got = await h.run('get_blocked_sender_policies', { policy_ids: [SEEDED_BLOCK_SENDER_ID, r.data.override_policy_id] });
    expect(got.status).toBe('success');
    const [orig, override] = got.data;
    expect(orig).toEqual(before.data[0]);
    expect(override).toEqual(r.data.override_policy);
    expect(override.option).toBe('no_action');
    const scope = ({ description, fromPart, from, to, fromDate, toDate, toEternal, bidirectional, conditions }: Record<string, unknown>) => ({
      description,
      fromPart,
      from,
      to,
      fromDate,
      toDate,
      toEternal,
      bidirectional,
      conditions,
    });
    expect(scope(override.policy)).toEqual(scope(orig.policy));
    expect(override.policy.override).toBe(true);
    expect(orig.policy.override).toBe(false);
  });

  it('an unknown ID is not_found and creates nothing', async () => {
    const r = await h.run('nullify_blocked_sender_policy', { policy_id: 'eNoNoSuchPolicy' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    const all = await h.run('get_blocked_sender_policies', {});
    expect(all.data.map((p: { id: string }) => p.id)).toEqual([SEEDED_BLOCK_DOMAIN_ID, SEEDED_BLOCK_SENDER_ID]);
    expect(h.sim.requests.filter((q) => q.path.endsWith('/create-policy'))).toEqual([]);
  });
});
