import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.update_policy_with_targets.example![0] as Record<string, any>;
const PATH = '/api/policy/webwhiteurl/update-policy-with-targets';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

const GET = '/api/policy/webwhiteurl/get-policy-with-targets';

/** A live policy's scope as get-policy-with-targets returns it: nested targets, flattened aliases, read-only times. */
const scopeRead = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  policy: {
    description: 'Finance team',
    fromPart: 'both',
    from: { type: 'email_domain', emailDomain: 'partner.example.org' },
    to: { type: 'profile_group', group: { id: 'eNoGroupFinance', description: 'Finance' } },
    fromType: 'email_domain',
    fromValue: 'partner.example.org',
    toType: 'profile_group',
    toValue: 'Finance',
    fromDate: '1900-01-01T00:00:00+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: true,
    toEternal: true,
    override: true,
    bidirectional: false,
    conditions: { sourceIPs: ['192.0.2.0/24'] },
    enabled: true,
    enforced: false,
    createTime: '2024-06-11T10:02:44+0000',
    lastUpdated: '2024-06-11T10:02:44+0000',
    ...over,
  },
});
/** The same scope as the update sends it: whole, with its id, only the keys Mimecast takes. */
const scopeSent = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  description: 'Finance team',
  fromPart: 'both',
  from: { type: 'email_domain', emailDomain: 'partner.example.org' },
  to: { type: 'profile_group', groupId: 'eNoGroupFinance' },
  fromEternal: true,
  toEternal: true,
  bidirectional: false,
  conditions: { sourceIPs: ['192.0.2.0/24'] },
  override: true,
  enabled: true,
  enforced: false,
  ...over,
});
const live = (scopes: unknown[]) => ({
  id: example.id,
  description: 'Block known phishing sites',
  policies: scopes,
  urls: [{ id: 'eNo1jk0Lurl1', action: 'block', type: 'domain', value: 'malicious-login-1.example.net' }],
});
const updated = {
  ...live([scopeRead('eNoScope1', { comment: 'Reviewed after incident IR-1042' })]),
  urls: [
    { id: 'eNo1jk0Lurl3', action: 'block', type: 'domain', value: 'malicious-login-1.example.net' },
    { id: 'eNo1jk0Lurl4', action: 'block', type: 'domain', value: 'malicious-login-3.example.net' },
  ],
};

describe('update_policy_with_targets (nock)', () => {
  setupNock();

  it('says in its notes and in the URLs description that URLs replace the whole list; undo is described', () => {
    const a = manifest.actions.update_policy_with_targets;
    expect(a.notes).toMatch(/URLs replaces the policy's whole URL list/);
    expect(a.input.properties!.urls.description).toMatch(/REPLACES the policy's whole URL list/);
    expect(a.undo).toBe('update_policy_with_targets'); // back to its before-image (test/journal/before-images.test.ts)
    expect((a as { undo_note?: string }).undo_note).toMatch(/the complete URL list Get Policy with Targets returned before the update/);
  });

  it('reads the policy first, then sends its one scope whole with its id and the change merged in (never a partial scope without an id)', async () => {
    mimecast()
      .post(GET, { data: [{ id: example.id }] })
      .reply(200, ok([live([scopeRead('eNoScope1')])]))
      .post(PATH, {
        data: [
          {
            id: example.id,
            description: 'Block known phishing sites',
            policies: [scopeSent('eNoScope1', { comment: 'Reviewed after incident IR-1042' })],
            urls: [
              { action: 'block', type: 'domain', value: 'malicious-login-1.example.net' },
              { action: 'block', type: 'domain', value: 'malicious-login-3.example.net' },
            ],
          },
        ],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([updated]));
    const r = await runAction('update_policy_with_targets', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(updated);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe(
      'Updated Web Security policy "Block known phishing sites" (1 scope; 2 URL entries: 2 blocked, 0 allowed); its URL list was replaced.',
    );
    validateOutput('update_policy_with_targets', r.data);
  });

  it('merges into the scope named by id and sends the other scopes whole and unchanged; dates end the eternal flag; no urls key without URLs', async () => {
    mimecast()
      .post(GET, { data: [{ id: example.id }] })
      .reply(
        200,
        ok([
          live([
            scopeRead('eNoScope1'),
            scopeRead('eNoScope2', { description: 'Everyone else', from: { type: 'everyone' }, fromType: 'everyone', conditions: {} }),
          ]),
        ]),
      )
      .post(PATH, {
        data: [
          {
            id: example.id,
            description: 'Phishing sites (IR-1042)',
            policies: [
              scopeSent('eNoScope1'),
              {
                ...scopeSent('eNoScope2', { description: 'Everyone else', from: { type: 'everyone' }, enabled: false, toDate: '2027-01-01T00:00:00+0000' }),
                toEternal: undefined,
                conditions: undefined,
              },
            ].map((p) => JSON.parse(JSON.stringify(p))),
          },
        ],
      })
      .reply(200, ok([updated]));
    const r = await runAction(
      'update_policy_with_targets',
      { id: example.id, description: 'Phishing sites (IR-1042)', policies: '{"id": "eNoScope2", "enabled": "False", "toDate": "2027-01-01"}' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Updated Web Security policy "Block known phishing sites" (1 scope; 2 URL entries: 2 blocked, 0 allowed).');
  });

  it('a change without a scope id on a policy of two scopes: not_found naming the scopes, and no update is sent', async () => {
    mimecast()
      .post(GET, { data: [{ id: example.id }] })
      .reply(200, ok([live([scopeRead('eNoScope1'), scopeRead('eNoScope2', { description: 'Everyone else' })])]));
    const r = await runAction('update_policy_with_targets', { id: example.id, policies: { enabled: false } }, config, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error).toEqual({
      type: 'not_found',
      field: 'policies[0].id',
      message: `policies[0] names no scope, and policy ${example.id} has 2: eNoScope1 ("Finance team"), eNoScope2 ("Everyone else"); nothing was updated`,
      hint: 'Give policies[].id: the id of the scope to change, from Get Policy with Targets.',
    });
    expect(r.meta.requests).toBe(2);
  });

  it('a scope id the policy does not have: not_found, and no update is sent', async () => {
    mimecast()
      .post(GET, { data: [{ id: example.id }] })
      .reply(200, ok([live([scopeRead('eNoScope1')])]));
    const r = await runAction('update_policy_with_targets', { id: example.id, policies: { id: 'eNoOther', enabled: false } }, config, fast);
    expect(r.error).toMatchObject({ type: 'not_found', field: 'policies[0].id', message: expect.stringContaining('(eNoOther) is not a scope of policy') });
    expect(r.meta.requests).toBe(2);
  });

  it('a read answer whose scopes have no ids: nothing is updated (such a scope could be reset)', async () => {
    mimecast()
      .post(GET, { data: [{ id: example.id }] })
      .reply(200, ok([live([{ policy: scopeRead('x').policy }])]));
    const r = await runAction('update_policy_with_targets', example, config, fast);
    expect(r.error).toMatchObject({ type: 'api_error', message: `Mimecast returned policy ${example.id} without the ids of its scopes; nothing was updated` });
    expect(r.meta.requests).toBe(2);
  });

  it('is a not_found error when Mimecast does not know the ID (the read says so; no update is sent)', async () => {
    const item = { id: 'eNoGone', policies: [{ comment: 'x' }] };
    mimecast()
      .post(GET, { data: [{ id: 'eNoGone' }] })
      .reply(
        200,
        ok([], [{ key: { id: 'eNoGone' }, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]),
      );
    const r = await runAction('update_policy_with_targets', item, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    expect(r.meta.requests).toBe(2);
  });

  it('is never re-sent after a timeout-like 502 (a write)', async () => {
    mimecast()
      .post(GET)
      .reply(200, ok([live([scopeRead('eNoScope1')])]))
      .post(PATH)
      .reply(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
    const r = await runAction('update_policy_with_targets', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 502 });
    expect(r.meta.requests).toBe(3);
  });

  it('--dry-run shows the read and says that the update body depends on its answer; nothing is sent', async () => {
    const r = await runAction('update_policy_with_targets', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(0);
    expect(r.data).toEqual({ requests: [{ method: 'POST', url: `${BASE}${GET}`, headers: dryRunHeaders, body: { data: [{ id: example.id }] } }] });
    expect(r.summary).toBe(
      `Dry run: 1 request(s) would be sent first; nothing was sent. A dry run has no answers from Mimecast, so the action stops there (the update-policy-with-targets call sends every scope of the policy get-policy-with-targets returns for ${example.id}, whole and with its id, merging {"comment":"Reviewed after incident IR-1042"} into its one scope; its URL list is replaced by urls).`,
    );
  });

  const id = example.id as string;
  it.each([
    [{ policies: { comment: 'x' } }, 'id is required'],
    [{ id }, 'policies is required'],
    [{ id, policies: {} }, 'policies[0] must name at least one scoping detail to update (e.g. {"enabled": false})'],
    [
      {
        id,
        policies: [
          { id: 'a', comment: 'x' },
          { id: 'b', comment: '' },
        ],
      },
      'policies[1] must name at least one scoping detail to update (e.g. {"enabled": false})',
    ],
    [{ id, policies: { id: 'a' } }, 'policies[0] must name at least one scoping detail to update (e.g. {"enabled": false})'],
    [
      { id, policies: [{ id: 'a', comment: 'x' }, { comment: 'y' }] },
      'policies[1].id is required when several scopes are changed: give each entry the id of its scope (policies[].id of Get Policy with Targets)',
    ],
    [
      {
        id,
        policies: [
          { id: 'a', comment: 'x' },
          { id: 'a', enabled: false },
        ],
      },
      "policies[1].id names the same scope as policies[0]; give each scope's changes once",
    ],
    [{ id, policies: { from: { type: 'individual_email_address' } } }, 'policies[0].from.emailAddress is required when type is individual_email_address'],
    [
      { id, policies: { fromDate: '2027-03-01T00:00:00Z', toDate: '2027-02-01T00:00:00Z' } },
      'policies[0].toDate (2027-02-01T00:00:00+0000) is before fromDate (2027-03-01T00:00:00+0000); the policy would never apply',
    ],
    [
      { id, policies: { conditions: { sourceIPs: ['300.1.2.3/8'] } } },
      'policies[0].conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "300.1.2.3/8" does not parse',
    ],
    [{ id, policies: { comment: 'x' }, urls: [] }, 'urls must have at least one item'],
    [
      {
        id,
        policies: { comment: 'x' },
        urls: [
          { action: 'block', type: 'url', value: 'http://a.example.com/x' },
          { action: 'block', type: 'url', value: 'http://a.example.com/x' },
        ],
      },
      'urls[1] repeats urls[0] (url http://a.example.com/x); give each domain or URL once',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('update_policy_with_targets', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });
});

describe('update_policy_with_targets (simulator)', () => {
  const h = useSimulator();

  it('updates the seeded policy with the example: the scope reads back changed and the URL list is exactly the one sent', async () => {
    const before = await h.run('get_policy_with_targets', { id: example.id });
    expect(before.data.urls).toHaveLength(2);
    expect(before.data.urls.map((u: { value: string }) => u.value)).toContain('http://login-verify-2.example.net/account/update');

    const r = await h.run('update_policy_with_targets', example);
    expect(r.status).toBe('success');
    validateOutput('update_policy_with_targets', r.data);

    const after = await h.run('get_policy_with_targets', { id: example.id });
    expect(after.data).toEqual(r.data);
    expect(after.data.policies[0].policy).toMatchObject({
      comment: 'Reviewed after incident IR-1042',
      description: 'Block known phishing sites',
      from: { type: 'everyone' },
    });
    expect(after.data.urls.map((u: { action: string; type: string; value: string }) => [u.action, u.type, u.value])).toEqual([
      ['block', 'domain', 'malicious-login-1.example.net'],
      ['block', 'domain', 'malicious-login-3.example.net'],
    ]);
  });

  it('a change to one scope of a live policy leaves its scoping and id as they were, and the other scope untouched', async () => {
    const scope = (description: string, emailDomain: string) => ({
      description,
      from: { type: 'email_domain', emailDomain },
      to: { type: 'internal_addresses' },
      conditions: { sourceIPs: ['192.0.2.0/24'] },
      enabled: true,
    });
    const made = await h.run('create_policy_with_targets', {
      description: 'Partners',
      policies: [scope('Partner A', 'a.example.org'), scope('Partner B', 'b.example.org')],
      urls: [{ action: 'block', type: 'domain', value: 'bad.example.net' }],
    });
    expect(made.status).toBe('success');
    const [first, second] = made.data.policies as { id: string; policy: Record<string, unknown> }[];

    const r = await h.run('update_policy_with_targets', { id: made.data.id, policies: { id: second.id, comment: 'Reviewed' } });
    expect(r.status).toBe('success');
    const after = (await h.run('get_policy_with_targets', { id: made.data.id })).data;
    expect(after.policies.map((p: { id: string }) => p.id)).toEqual([first.id, second.id]);
    expect(after.policies[0].policy).toEqual({ ...first.policy, lastUpdated: expect.any(String) });
    expect(after.policies[1].policy).toMatchObject({
      description: 'Partner B',
      comment: 'Reviewed',
      from: { type: 'email_domain', emailDomain: 'b.example.org' },
      to: { type: 'internal_addresses' },
      conditions: { sourceIPs: ['192.0.2.0/24'] },
      createTime: second.policy.createTime,
    });
    expect(after.urls).toEqual(made.data.urls);
  });

  it('leaves the URL list as it is when URLs is not given', async () => {
    const before = await h.run('get_policy_with_targets', { id: example.id });
    const r = await h.run('update_policy_with_targets', { id: example.id, description: 'Renamed', policies: { enabled: false } });
    expect(r.status).toBe('success');
    expect(r.data.description).toBe('Renamed');
    expect(r.data.policies[0].policy.enabled).toBe(false);
    expect(r.data.urls).toEqual(before.data.urls);
  });

  it('is not_found for a deleted policy', async () => {
    expect((await h.run('delete_policy_with_targets', { id: example.id })).status).toBe('success');
    const r = await h.run('update_policy_with_targets', example);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });
});
