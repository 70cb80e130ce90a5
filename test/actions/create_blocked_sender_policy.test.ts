import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.create_blocked_sender_policy.example![0];
const PATH = '/api/policy/blockedsenders/create-policy';
const NEW_ID = 'eNo1jk0LgjAAQP_LrgZtU6cGHcwKpmFFKRpdbC618iN1mkT_PTt0f4_33qDhTNQ8i8EM6GbveEQS8gkZ25cJIy1hVlL0yy70TUw2xEtd_zz13KWlr';

/** The seed's example as Mimecast's create-policy body: policy_action → option, "True" → true. */
const EXAMPLE_BODY = {
  data: [
    {
      option: 'no_action',
      policy: {
        description: 'This is a sample description.',
        from: { type: 'individual_email_address', emailAddress: 'jane.doe@orgname.com' },
        to: { type: 'individual_email_address', emailAddress: 'john.doe@orgname.com' },
        override: true,
      },
    },
  ],
};

/** A created policy as Mimecast echoes it (shape of fixtures/api-policy-antispoofing-bypass-create-policy.json). */
const created = {
  id: NEW_ID,
  option: 'no_action',
  policy: {
    description: 'This is a sample description.',
    fromPart: 'envelope_from',
    from: { type: 'individual_email_address', emailAddress: 'jane.doe@orgname.com' },
    to: { type: 'individual_email_address', emailAddress: 'john.doe@orgname.com' },
    fromType: 'individual_email_address',
    fromValue: 'jane.doe@orgname.com',
    toType: 'individual_email_address',
    toValue: 'john.doe@orgname.com',
    fromDate: '1900-01-01T00:00:00+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: true,
    toEternal: true,
    override: true,
    bidirectional: false,
    conditions: {},
    enabled: true,
    enforced: false,
    createTime: '2024-10-12T18:30:00+0000',
    lastUpdated: '2024-10-12T18:30:00+0000',
  },
};

describe('create_blocked_sender_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one create-policy item and returns the policy Mimecast created", async () => {
    mimecast()
      .post(PATH, EXAMPLE_BODY)
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [created], fail: [] });
    const r = await runAction('create_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(created);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe(`Created blocked-sender policy ${NEW_ID} (no_action).`);
    expect(r.meta.requests).toBe(2);
    validateOutput('create_blocked_sender_policy', r.data);
  });

  it("sends every policy key in Mimecast's form: dates in +0000, form booleans, only the field each target type uses", async () => {
    const policy = {
      description: 'Block a lookalike domain',
      fromPart: 'header_from',
      from: { type: 'email_domain', emailDomain: 'examp1e.com' },
      to: { type: 'profile_group', groupId: 'eNoGroup1' },
      fromDate: '2024-10-12T20:30:00+02:00',
      toDate: '2024-11-12',
      override: 'false',
      bidirectional: 'True',
      enabled: 'yes',
      enforced: false,
      comment: 'INC-42',
      conditions: { sourceIPs: '198.51.100.0/24', spfDomains: ['examp1e.com'], hostnames: ['mail.examp1e.com'] },
    };
    mimecast()
      .post(PATH, {
        data: [
          {
            option: 'block_sender',
            policy: {
              description: 'Block a lookalike domain',
              fromPart: 'header_from',
              from: { type: 'email_domain', emailDomain: 'examp1e.com' },
              to: { type: 'profile_group', groupId: 'eNoGroup1' },
              fromDate: '2024-10-12T18:30:00+0000',
              toDate: '2024-11-12T00:00:00+0000',
              override: false,
              bidirectional: true,
              enabled: true,
              enforced: false,
              comment: 'INC-42',
              // hostnames: documented for blocked-sender policies (mimecast-api.md §3 #6, §8).
              conditions: { sourceIPs: ['198.51.100.0/24'], spfDomains: ['examp1e.com'], hostnames: ['mail.examp1e.com'] },
            },
          },
        ],
      })
      .reply(200, { meta: { status: 200 }, data: [{ ...created, option: 'block_sender' }], fail: [] });
    const r = await runAction('create_blocked_sender_policy', { policy_action: 'Block_Sender', policy_information: JSON.stringify(policy) }, config, fast);
    expect(r.status).toBe('success');
  });

  it('an answer without the created policy is an api_error naming the call, with what to check before creating it again', async () => {
    mimecast()
      .post(PATH, EXAMPLE_BODY)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('create_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      message: `POST ${PATH}: Mimecast reported success but returned no policy`,
      hint: 'List the policies with Get Blocked Sender Policies before creating it again.',
    });
  });

  it('reports what Mimecast refused (fail[] inside HTTP 200) as failed with its code', async () => {
    const key = EXAMPLE_BODY.data[0];
    mimecast()
      .post(PATH, EXAMPLE_BODY)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          {
            key,
            errors: [
              { code: 'err_validation_invalid_email_address', message: 'The email address is invalid', field: 'policy.to.emailAddress', retryable: false },
            ],
          },
        ],
      });
    const r = await runAction('create_blocked_sender_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_invalid_email_address', field: 'policy.to.emailAddress' });
    expect(r.data).toBeNull();
  });

  it('a dry run shows the exact create-policy request and sends nothing', async () => {
    const r = await runAction('create_blocked_sender_policy', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      requests: [
        {
          method: 'POST',
          url: `${BASE}${PATH}`,
          headers: dryRunHeaders,
          body: EXAMPLE_BODY,
        },
      ],
    });
    expect(r.meta.requests).toBe(0);
  });

  const policy = (over: Record<string, unknown>) => ({
    policy_action: 'block_sender',
    policy_information: { description: 'd', from: { type: 'everyone' }, to: { type: 'everyone' }, ...over },
  });

  it.each([
    [
      policy({ from: { type: 'email_domain' } }),
      'policy_information.from.emailDomain',
      'policy_information.from.emailDomain is required when type is email_domain',
    ],
    [
      policy({ to: { type: 'individual_email_address', emailDomain: 'x.com' } }),
      'policy_information.to.emailAddress',
      'policy_information.to.emailAddress is required when type is individual_email_address',
    ],
    [policy({ to: { type: 'profile_group' } }), 'policy_information.to.groupId', 'policy_information.to.groupId is required when type is profile_group'],
    [
      policy({ from: { type: 'address_attribute_value' } }),
      'policy_information.from.attribute',
      'policy_information.from.attribute is required when type is address_attribute_value',
    ],
    [
      policy({ from: { type: 'header_display_name' } }),
      'policy_information.from.headerDisplayName',
      'policy_information.from.headerDisplayName is required when type is header_display_name',
    ],
    [
      policy({ from: { type: 'somebody' } }),
      'policy_information.from.type',
      expect.stringContaining('policy_information.from.type must be one of: everyone, internal_addresses'),
    ],
    [
      policy({ conditions: { sourceIPs: ['10.0.0.1'] } }),
      'policy_information.conditions.sourceIPs[0]',
      'policy_information.conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32)',
    ],
    [
      policy({ conditions: { sourceIPs: ['10.0.0.0/8', '300.1.2.0/24'] } }),
      'policy_information.conditions.sourceIPs[1]',
      'policy_information.conditions.sourceIPs[1] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "300.1.2.0/24" does not parse',
    ],
    [
      policy({ conditions: { sourceIPs: ['10.0.0.0/33'] } }),
      'policy_information.conditions.sourceIPs[0]',
      expect.stringContaining('"10.0.0.0/33" does not parse'),
    ],
    [
      policy({ fromDate: '2024-10-12T00:00:00Z', toDate: '2024-10-11T23:59:59Z' }),
      'policy_information.toDate',
      'policy_information.toDate (2024-10-11T23:59:59+0000) is before fromDate (2024-10-12T00:00:00+0000); the policy would never apply',
    ],
    [
      policy({ fromDate: '2024-10-12T00:00:00Z', fromEternal: 'true' }),
      'policy_information.fromDate',
      'policy_information.fromDate cannot be combined with fromEternal true (give one or the other)',
    ],
    [
      policy({ toDate: 'next tuesday' }),
      'policy_information.toDate',
      'policy_information.toDate is not a valid ISO 8601 date-time: "next tuesday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    ],
    [policy({ description: '' }), 'policy_information.description', 'policy_information.description is required'],
    [policy({ colour: 'red' }), 'policy_information', expect.stringContaining('policy_information has an unknown key "colour"')],
    [{ ...policy({}), policy_action: 'block' }, 'policy_action', 'policy_action must be one of: no_action, block_sender'],
    [{ policy_action: 'block_sender' }, 'policy_information', 'policy_information is required'],
  ])('refuses %j before sending anything', async (input, field, message) => {
    const r = await runAction('create_blocked_sender_policy', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_blocked_sender_policy (simulator)', () => {
  const h = useSimulator();

  it("creates the seed's example and Get Blocked Sender Policies finds it by its id", async () => {
    const r = await h.run('create_blocked_sender_policy', example);
    expect(r.status).toBe('success');
    validateOutput('create_blocked_sender_policy', r.data);
    expect(r.data).toMatchObject({
      option: 'no_action',
      policy: {
        description: 'This is a sample description.',
        from: { type: 'individual_email_address', emailAddress: 'jane.doe@orgname.com' },
        fromType: 'individual_email_address',
        fromValue: 'jane.doe@orgname.com',
        override: true,
        fromEternal: true,
        toEternal: true,
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
      },
    });
    const got = await h.run('get_blocked_sender_policies', { policy_ids: r.data.id });
    expect(got.status).toBe('success');
    expect(got.data).toEqual([r.data]);
  });

  it('keeps the dates it was given, in +0000 form', async () => {
    const r = await h.run('create_blocked_sender_policy', {
      policy_action: 'block_sender',
      policy_information: {
        description: 'Window',
        from: { type: 'email_domain', emailDomain: 'bad.example' },
        to: { type: 'everyone' },
        fromDate: '2024-10-12T20:30:00+02:00',
        toDate: '2024-10-19T18:30:00Z',
      },
    });
    expect(r.status).toBe('success');
    expect(r.data.policy).toMatchObject({ fromDate: '2024-10-12T18:30:00+0000', toDate: '2024-10-19T18:30:00+0000' });
    expect(r.data.policy.fromEternal).toBeUndefined();
  });
});
