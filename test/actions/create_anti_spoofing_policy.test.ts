import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
import { MAX_CREATE } from '../../src/simulator/routes/policy-antispoofing.js';
import { validateOutput } from '../helpers/contract.js';
import { BASE, apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.create_anti_spoofing_policy.example![0];
const PATH = '/api/policy/antispoofing-bypass/create-policy';

const EXAMPLE_ITEM = {
  option: 'disable_bypass',
  policy: {
    description: 'This is a sample description.',
    from: { type: 'everyone' },
    to: { type: 'everyone' },
    comment: 'This is a sample test.',
    conditions: { spfDomains: ['test.com'] },
  },
};

/** Input item i and the request item it becomes. */
const input = (i: number) => ({
  option: 'enable_bypass',
  policy: {
    description: `Bypass ${i}`,
    from: { type: 'email_domain', emailDomain: `partner${i}.example` },
    to: { type: 'everyone' },
    conditions: { spfDomains: `partner${i}.example` },
  },
});
const sent = (i: number) => ({
  option: 'enable_bypass',
  policy: {
    description: `Bypass ${i}`,
    from: { type: 'email_domain', emailDomain: `partner${i}.example` },
    to: { type: 'everyone' },
    conditions: { spfDomains: [`partner${i}.example`] },
  },
});
const made = (i: number) => ({ id: `eNoAs${i}`, ...sent(i) });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('create_anti_spoofing_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one create-policy item and returns Mimecast's answer (the captured fixture)", async () => {
    const answer = fixture('api-policy-antispoofing-bypass-create-policy.json');
    mimecast()
      .post(PATH, { data: [EXAMPLE_ITEM] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, answer);
    const r = await runAction('create_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(answer.data);
    expect(r.summary).toBe('Created 1 anti-spoofing bypass policy.');
    validateOutput('create_anti_spoofing_policy', r.data);
  });

  it('accepts the seed\'s "spfdomains" spelling (and the Data label) and sends spfDomains', async () => {
    mimecast()
      .post(PATH, { data: [EXAMPLE_ITEM] })
      .reply(200, ok([{ id: 'eNoAs1', ...EXAMPLE_ITEM }]));
    const { conditions, ...rest } = EXAMPLE_ITEM.policy;
    const r = await runAction(
      'create_anti_spoofing_policy',
      { data: [{ option: 'Disable_Bypass', policy: { ...rest, conditions: { spfdomains: conditions.spfDomains } } }] },
      config,
      fast,
    );
    expect(r.status).toBe('success');
  });

  it(`splits 120 policies into calls of ${MAX_CREATE}, ${MAX_CREATE} and 20 (chunk_size) and merges the results in order`, async () => {
    expect(manifest.actions.create_anti_spoofing_policy.chunk_size).toBe(MAX_CREATE);
    const scope = mimecast();
    for (const [from, to] of [
      [0, 50],
      [50, 100],
      [100, 120],
    ])
      scope.post(PATH, { data: range(from, to).map(sent) }).reply(200, ok(range(from, to).map(made)));
    const r = await runAction('create_anti_spoofing_policy', { policy_information: range(0, 120).map(input) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(range(0, 120).map(made));
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Created 120 anti-spoofing bypass policies.');
  });

  it('a policy Mimecast refused is a failure keyed by its request item (partial)', async () => {
    const refused = {
      key: sent(1),
      errors: [
        { code: 'err_validation_invalid_value', message: 'The policy.from.emailDomain field is invalid', field: 'policy.from.emailDomain', retryable: false },
      ],
    };
    mimecast()
      .post(PATH, { data: [sent(0), sent(1)] })
      .reply(200, ok([made(0)], [refused]));
    const r = await runAction('create_anti_spoofing_policy', { policy_information: [input(0), input(1)] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([made(0)]);
    expect(r.failures).toEqual([
      {
        code: 'err_validation_invalid_value',
        message: 'The policy.from.emailDomain field is invalid',
        field: 'policy.from.emailDomain',
        retryable: false,
        key: sent(1),
      },
    ]);
  });

  it('does not re-send a chunk after HTTP 500; its items and the unsent ones are failures', async () => {
    mimecast()
      .post(PATH, { data: range(0, 50).map(sent) })
      .reply(200, ok(range(0, 50).map(made)))
      .post(PATH, { data: range(50, 100).map(sent) })
      .reply(500, '');
    const r = await runAction('create_anti_spoofing_policy', { policy_information: range(0, 110).map(input) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual(range(0, 50).map(made));
    expect(r.failures.map((f) => f.code)).toEqual([...range(50, 100).map(() => 'api_error'), ...range(100, 110).map(() => 'not_sent')]);
    expect(r.failures[0].key).toEqual(sent(50));
    expect(r.meta.requests).toBe(3);
  });

  it('a dry run shows every call of a split list', async () => {
    const r = await runAction('create_anti_spoofing_policy', { policy_information: range(0, 60).map(input) }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    const { requests } = r.data as { requests: { url: string; body: { data: unknown[] } }[] };
    expect(requests.map((q) => [q.url, q.body.data.length])).toEqual([
      [`${BASE}${PATH}`, 50],
      [`${BASE}${PATH}`, 10],
    ]);
    expect(requests[1].body).toEqual({ data: range(50, 60).map(sent) });
    expect(r.meta.requests).toBe(0);
  });

  const item = (policy: Record<string, unknown>) => ({
    policy_information: [input(0), { option: 'enable_bypass', policy: { description: 'd', from: { type: 'everyone' }, to: { type: 'everyone' }, ...policy } }],
  });

  it.each([
    [
      item({ to: { type: 'email_domain' } }),
      'policy_information[1].policy.to.emailDomain',
      'policy_information[1].policy.to.emailDomain is required when type is email_domain',
    ],
    [
      item({ conditions: { sourceIPs: ['2001:db8::/129'] } }),
      'policy_information[1].policy.conditions.sourceIPs[0]',
      expect.stringContaining('"2001:db8::/129" does not parse'),
    ],
    [
      item({ conditions: { spfDomains: ['not a domain'] } }),
      'policy_information[1].policy.conditions.spfDomains[0]',
      'policy_information[1].policy.conditions.spfDomains[0] must be a domain name (example.com)',
    ],
    [
      item({ fromDate: '2024-10-12T00:00:00Z', toDate: '2024-10-01T00:00:00Z' }),
      'policy_information[1].policy.toDate',
      expect.stringContaining('is before fromDate'),
    ],
    [item({ from: undefined }), 'policy_information[1].policy.from', 'policy_information[1].policy.from is required'],
    [{ policy_information: [{ policy: input(0).policy }] }, 'policy_information[0].option', 'policy_information[0].option is required'],
    [
      { policy_information: [{ ...input(0), option: 'bypass' }] },
      'policy_information[0].option',
      'policy_information[0].option must be one of: disable_bypass, enable_bypass',
    ],
    [{ policy_information: [] }, 'policy_information', 'policy_information must have at least one item'],
  ])('refuses %j before sending anything', async (body, field, message) => {
    const r = await runAction('create_anti_spoofing_policy', body, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_anti_spoofing_policy (simulator)', () => {
  const h = useSimulator();

  it("creates the seed's example and Get Anti-Spoofing Policy finds it", async () => {
    const r = await h.run('create_anti_spoofing_policy', example);
    expect(r.status).toBe('success');
    validateOutput('create_anti_spoofing_policy', r.data);
    expect(r.data[0]).toMatchObject({
      option: 'disable_bypass',
      policy: {
        description: 'This is a sample description.',
        comment: 'This is a sample test.',
        conditions: { spfDomains: ['test.com'] },
        fromType: 'everyone',
        toType: 'everyone',
      },
    });
    const got = await h.run('get_anti_spoofing_policy', { policy_ids: r.data[0].id });
    expect(got.data).toEqual(r.data);
  });

  it(`creates 120 policies in calls of ${MAX_CREATE} (the simulator refuses a longer call) and all are found`, async () => {
    const r = await h.run('create_anti_spoofing_policy', { policy_information: range(0, 120).map(input) });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(120);
    expect(h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([50, 50, 20]);
    const got = await h.run('get_anti_spoofing_policy', { policy_ids: r.data.map((p: { id: string }) => p.id) });
    expect(got.status).toBe('success');
    expect(got.data.map((p: { policy: { description: string } }) => p.policy.description)).toEqual(range(0, 120).map((i) => `Bypass ${i}`));
  });

  it(`refuses a call of more than ${MAX_CREATE} items, every item with err_validation_max_items (why the action splits)`, async () => {
    const r = await h.run('generic_action', { method: 'POST', endpoint: PATH, payload: { data: range(0, MAX_CREATE + 1).map(sent) } });
    expect(r.status).toBe('failed');
    expect(r.failures).toHaveLength(MAX_CREATE + 1);
    expect(new Set(r.failures.map((f: { code: string }) => f.code))).toEqual(new Set(['err_validation_max_items']));
  });
});
