import manifest from '../../src/generated/manifest.js';
import { runAction } from '../../src/runtime/run.js';
import { SEEDED_UPDATE_ID } from '../../src/simulator/routes/policy-antispoofing.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.update_anti_spoofing_policy.example![0] as { id: string };
const ID = example.id;
const PATH = '/api/policy/antispoofing-bypass/update-policy';
const EXAMPLE_BODY = { data: [{ id: ID, option: 'enable_bypass', policy: { comment: 'This is a sample comment.' } }] };
const updated = {
  id: ID,
  option: 'enable_bypass',
  policy: {
    description: 'Partner relay SPF bypass',
    fromPart: 'envelope_from',
    from: { type: 'email_domain', emailDomain: 'partner-relay.example.org' },
    to: { type: 'everyone' },
    fromType: 'email_domain',
    fromValue: 'partner-relay.example.org',
    toType: 'everyone',
    fromDate: '1900-01-01T00:00:00+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: true,
    toEternal: true,
    override: false,
    bidirectional: false,
    conditions: { spfDomains: ['partner-relay.example.org'] },
    enabled: true,
    enforced: false,
    comment: 'This is a sample comment.',
    createTime: '2024-06-02T09:12:44+0000',
    lastUpdated: '2024-10-12T18:30:00+0000',
  },
};
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('update_anti_spoofing_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one update-policy item with only the keys given, and returns the policy", async () => {
    mimecast()
      .post(PATH, EXAMPLE_BODY)
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([updated]));
    const r = await runAction('update_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(updated);
    expect(r.summary).toBe(`Updated anti-spoofing bypass policy ${ID} (enable_bypass).`);
    validateOutput('update_anti_spoofing_policy', r.data);
  });

  it("sends new targets, conditions and dates in Mimecast's form", async () => {
    mimecast()
      .post(PATH, {
        data: [
          {
            id: ID,
            option: 'disable_bypass',
            policy: {
              to: { type: 'email_domain', emailDomain: 'example.com' },
              toDate: '2025-01-01T00:00:00+0000',
              enabled: false,
              conditions: { sourceIPs: ['192.0.2.0/24'], spfDomains: ['relay.example.com'] },
            },
          },
        ],
      })
      .reply(200, ok([{ ...updated, option: 'disable_bypass' }]));
    const r = await runAction(
      'update_anti_spoofing_policy',
      {
        id: ID,
        option: 'disable_bypass',
        policy: {
          to: { type: 'email_domain', emailDomain: 'example.com' },
          toDate: '2025-01-01T01:00:00+01:00',
          enabled: 'False',
          conditions: { sourceIPs: '192.0.2.0/24', spfdomains: 'relay.example.com' },
        },
      },
      config,
      fast,
    );
    expect(r.status).toBe('success');
  });

  it('an answer without the updated policy is an api_error naming the call, with how to see whether it was applied', async () => {
    mimecast().post(PATH, EXAMPLE_BODY).reply(200, ok([]));
    const r = await runAction('update_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      message: `POST ${PATH}: Mimecast reported success but returned no policy`,
      hint: 'Read the policy with Get Anti-Spoofing Policy to see whether the update was applied.',
    });
  });

  it('an unknown ID is not_found', async () => {
    mimecast()
      .post(PATH, EXAMPLE_BODY)
      .reply(
        200,
        ok([], [{ key: EXAMPLE_BODY.data[0], errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]),
      );
    const r = await runAction('update_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });

  it('is never re-sent after HTTP 502 (a write)', async () => {
    mimecast().post(PATH, EXAMPLE_BODY).reply(502, '');
    const r = await runAction('update_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.meta.requests).toBe(2);
  });

  it('a dry run shows the exact update-policy request', async () => {
    const r = await runAction('update_anti_spoofing_policy', example, config, { ...fast, dryRun: true });
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
  });

  it.each([
    [{ ...example, policy: {} }, 'policy', 'policy must hold at least one key to change (for example comment or enabled)'],
    [{ ...example, policy: { from: { type: 'profile_group' } } }, 'policy.from.groupId', 'policy.from.groupId is required when type is profile_group'],
    [
      { ...example, policy: { fromDate: '2024-10-12T00:00:00Z', toDate: '2024-10-11T00:00:00Z' } },
      'policy.toDate',
      expect.stringContaining('policy.toDate (2024-10-11T00:00:00+0000) is before fromDate'),
    ],
    [
      { ...example, policy: { conditions: { sourceIPs: ['1.2.3.4/40'] } } },
      'policy.conditions.sourceIPs[0]',
      expect.stringContaining('"1.2.3.4/40" does not parse'),
    ],
    [{ ...example, option: 'on' }, 'option', 'option must be one of: disable_bypass, enable_bypass'],
    [{ option: 'enable_bypass', policy: { comment: 'x' } }, 'id', 'id is required'],
  ])('refuses %j before sending anything', async (input, field, message) => {
    const r = await runAction('update_anti_spoofing_policy', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('update_anti_spoofing_policy (simulator)', () => {
  const h = useSimulator();

  it("updates the seed's example policy, which then reads back changed and otherwise the same", async () => {
    const [before] = (await h.run('get_anti_spoofing_policy', { policy_ids: SEEDED_UPDATE_ID })).data;
    const r = await h.run('update_anti_spoofing_policy', example);
    expect(r.status).toBe('success');
    validateOutput('update_anti_spoofing_policy', r.data);
    const [after] = (await h.run('get_anti_spoofing_policy', { policy_ids: SEEDED_UPDATE_ID })).data;
    expect(after).toEqual(r.data);
    expect(after.option).toBe('enable_bypass');
    expect(before.option).toBe('disable_bypass');
    const { comment, lastUpdated: _now, ...rest } = after.policy;
    expect(comment).toBe('This is a sample comment.');
    const { lastUpdated: _was, ...restBefore } = before.policy;
    expect(rest).toEqual(restBefore);
  });

  it('moves an eternal policy to a dated window', async () => {
    const r = await h.run('update_anti_spoofing_policy', { ...example, policy: { fromDate: '2024-10-12T00:00:00Z', toDate: '2024-12-31T23:59:59Z' } });
    expect(r.status).toBe('success');
    expect(r.data.policy).toMatchObject({ fromDate: '2024-10-12T00:00:00+0000', toDate: '2024-12-31T23:59:59+0000' });
    expect(r.data.policy.fromEternal).toBeUndefined();
    expect(r.data.policy.toEternal).toBeUndefined();
  });

  it('an unknown ID is not_found', async () => {
    const r = await h.run('update_anti_spoofing_policy', { ...example, id: 'eNoNoSuchPolicy' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });
});
