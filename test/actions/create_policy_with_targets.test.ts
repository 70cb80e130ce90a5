import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.create_policy_with_targets.example![0] as Record<string, any>;
const PATH = '/api/policy/webwhiteurl/create-policy-with-targets';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

const POLICY_ID =
  'eNo1jk0LgjAAQP_LrgZumq6CDqYGMxGjFI0uNldq-ZG6mUT_PTt0f4_33qBjlLcsT8EKCOGrXH2dhsK0encTtUeL2vtqsEQcGoru6kHmhWc58Cxzsb1r2nOfSjaWSmdJsgif5ZsT7VSh6MM4wqTMVJ_TisAOL_0Y2o538JKQOEV84dekJ2swA039yOn4aysIYzQDlHd9XbKW1imbhszgsEEGgspcn2jB2i6vK7BCf_M4NoxM9kRA-PkCaGtApA';
/** What Mimecast answers for the example: the policy with its scope and URL entries, each with an ID. */
const created = {
  id: POLICY_ID,
  description: 'Block phishing domain malicious-login-3.example.net',
  policies: [
    {
      id: 'eNo1jk0LscopeA',
      policy: {
        description: 'Block phishing domain malicious-login-3.example.net',
        fromPart: 'both',
        from: { type: 'everyone' },
        to: { type: 'everyone' },
        fromType: 'everyone',
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
        createTime: '2026-12-02T10:00:00+0000',
        lastUpdated: '2026-12-02T10:00:00+0000',
      },
    },
  ],
  urls: [{ id: 'eNo1jk0LurlA', action: 'block', type: 'domain', value: 'malicious-login-3.example.net' }],
};

/** A valid input to vary in the input-error cases. */
const scope = { description: 'Block phishing', from: { type: 'everyone' }, to: { type: 'everyone' } };
const valid = { description: 'Block phishing', policies: scope, urls: [{ action: 'block', type: 'domain', value: 'evil.example.com' }] };

describe('create_policy_with_targets (nock)', () => {
  setupNock();

  it('declares its undo (Delete Policy with Targets) and its route', () => {
    expect(manifest.actions.create_policy_with_targets).toMatchObject({ read_only: false, undo: 'delete_policy_with_targets', routes: [`POST ${PATH}`] });
  });

  it('sends the example as one data item (description, policies[], urls[]) and returns the policy Mimecast created', async () => {
    mimecast()
      .post(PATH, {
        data: [
          {
            description: 'Block phishing domain malicious-login-3.example.net',
            policies: [{ description: 'Block phishing domain malicious-login-3.example.net', from: { type: 'everyone' }, to: { type: 'everyone' } }],
            urls: [{ action: 'block', type: 'domain', value: 'malicious-login-3.example.net' }],
          },
        ],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([created]));
    const r = await runAction('create_policy_with_targets', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(created);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Created Web Security policy "Block phishing domain malicious-login-3.example.net" (1 scope; 1 URL entry: 1 blocked, 0 allowed).');
    validateOutput('create_policy_with_targets', r.data);
  });

  it('reads form-style values: JSON text, "True", one object for a list, any letter case, ISO dates → +0000; sends only the documented keys', async () => {
    const input = {
      description: 'Allow partner portal for finance',
      policies: JSON.stringify({
        description: 'Finance may browse the partner portal',
        fromPart: 'Envelope_From',
        from: { type: 'profile_group', groupId: 'eNoFinanceGroup' },
        to: { type: 'everyone', emailAddress: 'stray@example.com' },
        fromDate: '2026-12-01T09:00:00Z',
        toDate: '2027-01-31T18:00:00+01:00',
        enabled: 'True',
        override: 'false',
        conditions: { sourceIPs: '192.0.2.0/24' },
      }),
      urls: { action: 'Allow', type: 'URL', value: 'https://portal.partner.example.org/invoices' },
    };
    mimecast()
      .post(PATH, {
        data: [
          {
            description: 'Allow partner portal for finance',
            policies: [
              {
                description: 'Finance may browse the partner portal',
                fromPart: 'envelope_from',
                from: { type: 'profile_group', groupId: 'eNoFinanceGroup' },
                to: { type: 'everyone' },
                fromDate: '2026-12-01T09:00:00+0000',
                toDate: '2027-01-31T17:00:00+0000',
                override: false,
                enabled: true,
                conditions: { sourceIPs: ['192.0.2.0/24'] },
              },
            ],
            urls: [{ action: 'allow', type: 'url', value: 'https://portal.partner.example.org/invoices' }],
          },
        ],
      })
      .reply(
        200,
        ok([
          {
            ...created,
            description: 'Allow partner portal for finance',
            urls: [{ id: 'u1', action: 'allow', type: 'url', value: 'https://portal.partner.example.org/invoices' }],
          },
        ]),
      );
    const r = await runAction('create_policy_with_targets', input, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Created Web Security policy "Allow partner portal for finance" (1 scope; 1 URL entry: 0 blocked, 1 allowed).');
  });

  it('sends several scopes and URL entries in the order given', async () => {
    const input = {
      description: 'Block two phishing sites for two domains',
      policies: [
        { description: 'Sales', from: { type: 'email_domain', emailDomain: 'sales.example.com' }, to: { type: 'everyone' } },
        {
          description: 'Support',
          from: { type: 'individual_email_address', emailAddress: 'help@example.com' },
          to: { type: 'everyone' },
          fromEternal: true,
          toEternal: true,
        },
      ],
      urls: [
        { action: 'block', type: 'domain', value: 'phish-a.example.net' },
        { action: 'block', type: 'url', value: 'http://phish-b.example.net/login?next=%2F' },
      ],
    };
    mimecast()
      .post(PATH, { data: [{ description: input.description, policies: input.policies, urls: input.urls }] })
      .reply(200, ok([created]));
    const r = await runAction('create_policy_with_targets', input, config, fast);
    expect(r.status).toBe('success');
  });

  it("is failed with Mimecast's error when the create comes back in fail[] (HTTP 200)", async () => {
    const item = { description: valid.description, policies: [scope], urls: valid.urls };
    mimecast()
      .post(PATH, { data: [item] })
      .reply(
        200,
        ok([], [{ key: item, errors: [{ code: 'err_validation_invalid_value', message: 'The URL value is not valid', field: 'urls', retryable: false }] }]),
      );
    const r = await runAction('create_policy_with_targets', valid, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_invalid_value', message: expect.stringContaining('The URL value is not valid') });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('is failed with a permission_error and the role hint when Mimecast answers 403', async () => {
    mimecast()
      .post(PATH)
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Resource or method requested does not exist in any product assigned to the application' }] });
    const r = await runAction('create_policy_with_targets', valid, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'permission_error',
      http_status: 403,
      code: 'app_forbidden',
      hint: expect.stringContaining('Web Security | Policies | Edit'),
    });
  });

  it('is never re-sent after HTTP 500 (a write that may have been applied)', async () => {
    mimecast().post(PATH).reply(500, '');
    const r = await runAction('create_policy_with_targets', valid, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 500 });
    expect(r.meta.requests).toBe(2);
  });

  it('is an api_error when Mimecast reports success but returns no policy', async () => {
    mimecast().post(PATH).reply(200, ok([]));
    const r = await runAction('create_policy_with_targets', valid, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: `POST ${PATH}: Mimecast reported success but returned no policy` });
  });

  it('--dry-run shows the one call it would make (path and body) and sends nothing', async () => {
    const r = await runAction('create_policy_with_targets', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(0);
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `${BASE}${PATH}`,
        body: {
          data: [
            {
              description: example.description,
              policies: [example.policies],
              urls: example.urls,
            },
          ],
        },
      }),
    ]);
  });

  it.each([
    [{ ...valid, description: undefined }, 'description is required'],
    [{ ...valid, policies: undefined }, 'policies is required'],
    [{ ...valid, urls: undefined }, 'urls is required'],
    [{ ...valid, urls: [] }, 'urls must have at least one item'],
    [{ ...valid, policies: { from: { type: 'everyone' }, to: { type: 'everyone' } } }, 'policies[0].description is required'],
    [{ ...valid, policies: { ...scope, to: undefined } }, 'policies[0].to is required'],
    [{ ...valid, policies: { ...scope, from: { type: 'email_domain' } } }, 'policies[0].from.emailDomain is required when type is email_domain'],
    [{ ...valid, policies: { ...scope, to: { type: 'profile_group' } } }, 'policies[0].to.groupId is required when type is profile_group'],
    [
      { ...valid, policies: { ...scope, from: { type: 'nobody' } } },
      'policies[0].from.type must be one of: everyone, internal_addresses, external_addresses, email_domain, profile_group, individual_email_address, address_attribute_value, free_mail_domains, header_display_name',
    ],
    [
      { ...valid, policies: { ...scope, conditions: { sourceIPs: ['10.0.0.0/33'] } } },
      'policies[0].conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "10.0.0.0/33" does not parse',
    ],
    [
      { ...valid, policies: { ...scope, conditions: { sourceIPs: ['10.0.0.1'] } } },
      'policies[0].conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32)',
    ],
    [
      { ...valid, policies: { ...scope, fromDate: '2027-02-01T00:00:00Z', toDate: '2027-01-01T00:00:00Z' } },
      'policies[0].toDate (2027-01-01T00:00:00+0000) is before fromDate (2027-02-01T00:00:00+0000); the policy would never apply',
    ],
    [
      { ...valid, policies: [scope, { ...scope, fromDate: 'yesterday' }] },
      'policies[1].fromDate is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    ],
    [
      { ...valid, policies: { ...scope, colour: 'red' } },
      'policies[0] has an unknown key "colour" (allowed: description, fromPart, from, to, fromDate, toDate, fromEternal, toEternal, override, bidirectional, enabled, enforced, comment, conditions)',
    ],
    [{ ...valid, urls: [{ type: 'domain', value: 'evil.example.com' }] }, 'urls[0].action is required'],
    [{ ...valid, urls: [{ action: 'deny', type: 'domain', value: 'evil.example.com' }] }, 'urls[0].action must be one of: allow, block'],
    [{ ...valid, urls: [{ action: 'block', type: 'ip', value: '192.0.2.1' }] }, 'urls[0].type must be one of: url, domain'],
    [{ ...valid, urls: [{ action: 'block', type: 'domain' }] }, 'urls[0].value is required'],
    [
      { ...valid, urls: [{ action: 'block', type: 'domain', value: 'https://evil.example.com/login' }] },
      'urls[0].value must be a domain name (example.com) when type is domain; use type url for a URL',
    ],
    [{ ...valid, urls: [{ action: 'block', type: 'url', value: 'not a url' }] }, 'urls[0].value must be a URL (https://example.com/path) without spaces'],
    [
      {
        ...valid,
        urls: [
          { action: 'block', type: 'domain', value: 'evil.example.com' },
          { action: 'allow', type: 'domain', value: 'Evil.Example.com' },
        ],
      },
      'urls[1] repeats urls[0] (domain Evil.Example.com); give each domain or URL once',
    ],
    [
      { ...valid, urls: [{ action: 'block', type: 'domain', value: 'evil.example.com', matchType: 'domain' }] },
      'urls[0] has an unknown key "matchType" (allowed: action, type, value, id)',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('create_policy_with_targets', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });
});

describe('create_policy_with_targets (simulator)', () => {
  const h = useSimulator();

  it('creates the example policy; Get Policy with Targets finds it with the same scope and URL list', async () => {
    const r = await h.run('create_policy_with_targets', example);
    expect(r.status).toBe('success');
    validateOutput('create_policy_with_targets', r.data);
    expect(r.data).toMatchObject({
      id: expect.any(String),
      description: example.description,
      policies: [
        {
          id: expect.any(String),
          policy: { description: example.policies.description, from: { type: 'everyone' }, to: { type: 'everyone' }, fromEternal: true, toEternal: true },
        },
      ],
      urls: [{ id: expect.any(String), action: 'block', type: 'domain', value: 'malicious-login-3.example.net' }],
    });

    const got = await h.run('get_policy_with_targets', { id: r.data.id });
    expect(got.status).toBe('success');
    expect(got.data).toEqual(r.data);
  });

  it("keeps the dates and targets it was given and reads them back in Mimecast's form", async () => {
    const r = await h.run('create_policy_with_targets', {
      ...valid,
      policies: {
        ...scope,
        from: { type: 'email_domain', emailDomain: 'sales.example.com' },
        fromDate: '2026-12-01T09:00:00Z',
        toDate: '2027-01-01T00:00:00+01:00',
      },
    });
    expect(r.status).toBe('success');
    expect(r.data.policies[0].policy).toMatchObject({
      from: { type: 'email_domain', emailDomain: 'sales.example.com' },
      fromType: 'email_domain',
      fromValue: 'sales.example.com',
      fromDate: '2026-12-01T09:00:00+0000',
      toDate: '2026-12-31T23:00:00+0000',
      fromEternal: false,
      toEternal: false,
    });
  });
});
