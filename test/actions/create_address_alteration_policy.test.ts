import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_SET_ID } from '../../src/simulator/routes/policy-address-alteration.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Entry = { addressAlterationSetId: string; policy: { [key: string]: Json } };
const example = manifest.actions.create_address_alteration_policy.example![0] as { policy_information: Entry[] };
const SEED = example.policy_information[0];
const PATH = '/api/policy/address-alteration/create-policy';
/** Policies per call: the manifest's chunk_size (the test reads it, never repeats it). */
const SIZE = manifest.actions.create_address_alteration_policy.chunk_size!;

const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const entry = (i: number): Entry => ({
  addressAlterationSetId: EXAMPLE_SET_ID,
  policy: { description: `Policy ${i}`, from: { type: 'everyone' }, to: { type: 'everyone' } },
});
const record = (i: number) => ({
  id: `eNo1created-${i}`,
  addressAlterationSetId: EXAMPLE_SET_ID,
  policy: { description: `Policy ${i}`, fromType: 'everyone', toType: 'everyone' },
});

describe('create_address_alteration_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one {addressAlterationSetId, policy} item, the policy exactly as given", async () => {
    const created = {
      id: 'eNo1created',
      addressAlterationSetId: SEED.addressAlterationSetId,
      policy: { ...SEED.policy, fromType: 'everyone', toType: 'everyone', enabled: true },
    };
    mimecast()
      .post(PATH, {
        data: [
          {
            addressAlterationSetId: SEED.addressAlterationSetId,
            policy: {
              comment: 'This is a sample comment.',
              description: 'This is a sample description.',
              to: { type: 'everyone' },
              from: { type: 'everyone' },
            },
          },
        ],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([created]));
    const r = await runAction('create_address_alteration_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([created]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Created 1 address alteration policy.');
    validateOutput('create_address_alteration_policy', r.data);
  });

  it('maps the policy to the documented body: dates in +0000 form, form values read, a target carrying only the field its type uses', async () => {
    const input = {
      data: [
        {
          addressAlterationSetId: EXAMPLE_SET_ID,
          policy: {
            description: 'Rewrite partner mail',
            fromPart: 'Header_From',
            from: { type: 'email_domain', emailDomain: 'partner.example.net', emailAddress: 'ignored@partner.example.net' },
            to: { type: 'profile_group', groupId: 'eNoGroup' },
            fromDate: '2024-10-12T18:30:00Z',
            toDate: '2024-12-31T23:59:00+01:00',
            enabled: 'True',
            conditions: { sourceIPs: '192.0.2.0/24' },
          },
        },
      ],
    };
    mimecast()
      .post(PATH, {
        data: [
          {
            addressAlterationSetId: EXAMPLE_SET_ID,
            policy: {
              description: 'Rewrite partner mail',
              fromPart: 'header_from',
              from: { type: 'email_domain', emailDomain: 'partner.example.net' },
              to: { type: 'profile_group', groupId: 'eNoGroup' },
              fromDate: '2024-10-12T18:30:00+0000',
              toDate: '2024-12-31T22:59:00+0000',
              enabled: true,
              conditions: { sourceIPs: ['192.0.2.0/24'] },
            },
          },
        ],
      })
      .reply(200, ok([record(1)]));
    const r = await runAction('create_address_alteration_policy', input, config, fast);
    expect(r.status).toBe('success');
  });

  it('splits chunk_size + 1 policies into calls of chunk_size and 1 and merges the results in order', async () => {
    mimecast()
      .post(PATH, { data: range(0, SIZE).map(entry) })
      .reply(200, ok(range(0, SIZE).map(record)))
      .post(PATH, { data: [entry(SIZE)] })
      .reply(200, ok([record(SIZE)]));
    const r = await runAction('create_address_alteration_policy', { policy_information: range(0, SIZE + 1).map(entry) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(range(0, SIZE + 1).map(record));
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe(`Created ${SIZE + 1} address alteration policies.`);
  });

  it('reports a policy Mimecast refused (fail[] inside HTTP 200) as a failure keyed by its request item (partial)', async () => {
    const bad = { addressAlterationSetId: 'eNoMissingSet', policy: entry(2).policy };
    const err = {
      code: 'err_address_alteration_set_not_found',
      message: 'The address alteration set was not found',
      field: 'addressAlterationSetId',
      retryable: false,
    };
    mimecast()
      .post(PATH, { data: [entry(1), bad] })
      .reply(200, ok([record(1)], [{ key: bad, errors: [err] }]));
    const r = await runAction('create_address_alteration_policy', { policy_information: [entry(1), bad] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([record(1)]);
    expect(r.failures).toEqual([{ ...err, key: bad }]);
    expect(r.summary).toBe('Created 1 address alteration policy. (1 item failure, see failures)');
  });

  it('dry run: shows the one call with its exact body and sends nothing', async () => {
    const r = await runAction('create_address_alteration_policy', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    expect(r.data).toEqual({
      requests: [
        {
          method: 'POST',
          url: `${BASE}${PATH}`,
          headers: dryRunHeaders,
          body: { data: [{ addressAlterationSetId: SEED.addressAlterationSetId, policy: SEED.policy }] },
        },
      ],
    });
  });

  const withPolicy = (policy: Record<string, unknown>) => ({ policy_information: [entry(0), { addressAlterationSetId: EXAMPLE_SET_ID, policy }] });
  const base = { description: 'x', from: { type: 'everyone' }, to: { type: 'everyone' } };

  it.each([
    ['policy_information[1].policy.from.emailDomain is required when type is email_domain', withPolicy({ ...base, from: { type: 'email_domain' } })],
    [
      'policy_information[1].policy.to.emailAddress is required when type is individual_email_address',
      withPolicy({ ...base, to: { type: 'individual_email_address', emailDomain: 'example.com' } }),
    ],
    ['policy_information[1].policy.to.groupId is required when type is profile_group', withPolicy({ ...base, to: { type: 'profile_group' } })],
    [
      'policy_information[1].policy.conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "10.0.0.0/33" does not parse',
      withPolicy({ ...base, conditions: { sourceIPs: ['10.0.0.0/33'] } }),
    ],
    [
      'policy_information[1].policy.conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32)',
      withPolicy({ ...base, conditions: { sourceIPs: ['10.0.0.1'] } }),
    ],
    [
      'policy_information[1].policy.toDate (2024-10-11T00:00:00+0000) is before fromDate (2024-10-12T00:00:00+0000); the policy would never apply',
      withPolicy({ ...base, fromDate: '2024-10-12T00:00:00Z', toDate: '2024-10-11T00:00:00Z' }),
    ],
    [
      'policy_information[1].policy.fromDate cannot be combined with fromEternal true (give one or the other)',
      withPolicy({ ...base, fromDate: '2024-10-12', fromEternal: true }),
    ],
    [
      'policy_information[1].policy.fromDate is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
      withPolicy({ ...base, fromDate: 'yesterday' }),
    ],
    [
      'policy_information[1].policy.conditions.spfDomains is not a condition of address alteration policies: they take sourceIPs only',
      withPolicy({ ...base, conditions: { sourceIPs: ['192.0.2.0/24'], spfDomains: ['example.com'] } }),
    ],
    [
      'policy_information[1].policy.conditions.hostnames is not a condition of address alteration policies: they take sourceIPs only',
      withPolicy({ ...base, conditions: { hostnames: ['mail.example.com'] } }),
    ],
    [
      'policy_information[1].policy.from.type cannot be header_display_name in an address alteration policy (Mimecast does not take it there)',
      withPolicy({ ...base, from: { type: 'header_display_name', headerDisplayName: 'CEO' } }),
    ],
    ['policy_information[1].policy.description is required', withPolicy({ from: { type: 'everyone' }, to: { type: 'everyone' } })],
    [
      'policy_information[1].policy has an unknown key "action" (allowed: description, fromPart, from, to, fromDate, toDate, fromEternal, toEternal, override, bidirectional, enabled, enforced, comment, conditions)',
      withPolicy({ ...base, action: 'block' }),
    ],
    ['policy_information[0].addressAlterationSetId is required', { policy_information: [{ policy: base }] }],
    ['policy_information must have at least one item', { policy_information: [] }],
    ['policy_information is required', {}],
  ])('refuses before sending anything (not even the valid policies): %s', async (message, input) => {
    const r = await runAction('create_address_alteration_policy', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_address_alteration_policy (simulator)', () => {
  const h = useSimulator();

  it("creates the seed's example policy; Get Address Alteration Policy finds it with Mimecast's defaults", async () => {
    const r = await h.run('create_address_alteration_policy', example);
    expect(r.status).toBe('success');
    validateOutput('create_address_alteration_policy', r.data);
    const [created] = r.data as { id: string }[];
    expect(created).toMatchObject({
      addressAlterationSetId: SEED.addressAlterationSetId,
      policy: {
        description: 'This is a sample description.',
        comment: 'This is a sample comment.',
        from: { type: 'everyone' },
        to: { type: 'everyone' },
        fromType: 'everyone',
        toType: 'everyone',
        fromPart: 'envelope_from',
        fromEternal: true,
        toEternal: true,
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
        enabled: true,
      },
    });

    const got = await h.run('get_address_alteration_policy', { policy_id: created.id });
    expect(got.status).toBe('success');
    expect(got.data).toEqual([created]);
  });

  it('refuses a policy for a set that does not exist, keyed by the item; the other policy is created (partial)', async () => {
    const bad = { addressAlterationSetId: 'eNoNoSuchSet', policy: entry(2).policy };
    const r = await h.run('create_address_alteration_policy', { policy_information: [entry(1), bad] });
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(1);
    expect(r.failures).toEqual([
      {
        code: 'err_address_alteration_set_not_found',
        message: 'The address alteration set was not found',
        field: 'addressAlterationSetId',
        retryable: false,
        key: bad,
      },
    ]);
  });

  it('creates chunk_size + 1 policies in two calls the simulator accepts (it refuses more per call)', async () => {
    const before = (await h.run('get_address_alteration_policy', {})).data as unknown[];
    const r = await h.run('create_address_alteration_policy', { policy_information: range(0, SIZE + 1).map(entry) });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(SIZE + 1);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([SIZE, 1]);
    const all = await h.run('get_address_alteration_policy', {});
    expect(all.data).toHaveLength(before.length + SIZE + 1);
  });
});
