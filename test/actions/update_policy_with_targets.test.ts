import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.update_policy_with_targets.example![0] as Record<string, any>;
const PATH = '/api/policy/webwhiteurl/update-policy-with-targets';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

const updated = {
  id: example.id,
  description: 'Block known phishing sites',
  policies: [
    {
      id: 'eNo1jk0Lscope',
      policy: { description: 'Block known phishing sites', comment: 'Reviewed after incident IR-1042', from: { type: 'everyone' }, to: { type: 'everyone' } },
    },
  ],
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
    expect((a as { undo_note?: string }).undo_note).toMatch(/Get Policy with Targets before updating/);
  });

  it('sends the example as one data item (id, policies[], the complete urls[]) and returns the policy as Mimecast has it now', async () => {
    mimecast()
      .post(PATH, {
        data: [
          {
            id: example.id,
            policies: [{ comment: 'Reviewed after incident IR-1042' }],
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
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe(
      'Updated Web Security policy "Block known phishing sites" (1 scope; 2 URL entries: 2 blocked, 0 allowed); its URL list was replaced.',
    );
    validateOutput('update_policy_with_targets', r.data);
  });

  it('sends no urls key when URLs is not given, and the description when it is', async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id, description: 'Phishing sites (IR-1042)', policies: [{ enabled: false, toDate: '2027-01-01T00:00:00+0000' }] }] })
      .reply(200, ok([updated]));
    const r = await runAction(
      'update_policy_with_targets',
      { id: example.id, description: 'Phishing sites (IR-1042)', policies: '{"enabled": "False", "toDate": "2027-01-01"}' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Updated Web Security policy "Block known phishing sites" (1 scope; 2 URL entries: 2 blocked, 0 allowed).');
  });

  it('is a not_found error when Mimecast does not know the ID', async () => {
    const item = { id: 'eNoGone', policies: [{ comment: 'x' }] };
    mimecast()
      .post(PATH, { data: [item] })
      .reply(200, ok([], [{ key: item, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]));
    const r = await runAction('update_policy_with_targets', item, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });

  it('is never re-sent after a timeout-like 502 (a write)', async () => {
    mimecast().post(PATH).reply(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
    const r = await runAction('update_policy_with_targets', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 502 });
    expect(r.meta.requests).toBe(2);
  });

  it('--dry-run shows the one call with its body and sends nothing', async () => {
    const r = await runAction('update_policy_with_targets', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(0);
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `${BASE}${PATH}`,
        body: { data: [{ id: example.id, policies: [example.policies], urls: example.urls }] },
      }),
    ]);
  });

  const id = example.id as string;
  it.each([
    [{ policies: { comment: 'x' } }, 'id is required'],
    [{ id }, 'policies is required'],
    [{ id, policies: {} }, 'policies[0] must name at least one scoping detail to update (e.g. {"enabled": false})'],
    [{ id, policies: [{ comment: 'x' }, { comment: '' }] }, 'policies[1] must name at least one scoping detail to update (e.g. {"enabled": false})'],
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
