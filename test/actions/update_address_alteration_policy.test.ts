import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_POLICY_ID, EXAMPLE_SET_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.update_address_alteration_policy.example![0] as { id: string; policy: { comment: string } };
const PATH = '/api/policy/address-alteration/update-policy';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const updated = {
  id: example.id,
  addressAlterationSetId: EXAMPLE_SET_ID,
  policy: { description: 'Rewrite sample.com recipients', comment: 'This is a sample comment.' },
};

describe('update_address_alteration_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as {id, policy} with only the key given, and returns the policy Mimecast answered", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id, policy: { comment: 'This is a sample comment.' } }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([updated]));
    const r = await runAction('update_address_alteration_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(updated);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe(`Updated address alteration policy ${example.id.slice(0, 16)}…: comment.`);
    validateOutput('update_address_alteration_policy', r.data);
  });

  it('sends addressAlterationSetId when address_alteration_set_id is given, and the policy in its documented form', async () => {
    mimecast()
      .post(PATH, {
        data: [
          {
            id: example.id,
            addressAlterationSetId: 'eNoOtherSet',
            policy: { to: { type: 'email_domain', emailDomain: 'example.com' }, toDate: '2025-01-31T23:00:00+0000', enabled: false },
          },
        ],
      })
      .reply(200, ok([{ ...updated, addressAlterationSetId: 'eNoOtherSet' }]));
    const r = await runAction(
      'update_address_alteration_policy',
      {
        id: example.id,
        address_alteration_set_id: 'eNoOtherSet',
        policy: JSON.stringify({ to: { type: 'email_domain', emailDomain: 'example.com' }, toDate: '2025-02-01T00:00:00+01:00', enabled: 'false' }),
      },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.summary).toBe(`Updated address alteration policy ${example.id.slice(0, 16)}…: to, toDate, enabled.`);
  });

  it('is failed (not_found) when Mimecast does not know the policy, and the write is sent once', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'eNo1gone', policy: { comment: 'x' } }] })
      .reply(
        200,
        ok(
          [],
          [
            {
              key: { id: 'eNo1gone', policy: { comment: 'x' } },
              errors: [
                { code: 'err_address_alteration_policy_not_found', message: 'The address alteration policy was not found', field: 'id', retryable: false },
              ],
            },
          ],
        ),
      );
    const r = await runAction('update_address_alteration_policy', { id: 'eNo1gone', policy: { comment: 'x' } }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_policy_not_found', field: 'id' });
    expect(r.meta.requests).toBe(2);
  });

  it('is an api_error when Mimecast answers success without the policy', async () => {
    mimecast().post(PATH).reply(200, ok([]));
    const r = await runAction('update_address_alteration_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: `POST ${PATH}: Mimecast reported success but returned no policy` });
  });

  it('dry run: shows the exact request and sends nothing', async () => {
    const r = await runAction('update_address_alteration_policy', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      {
        method: 'POST',
        url: `${BASE}${PATH}`,
        headers: dryRunHeaders,
        body: { data: [{ id: example.id, policy: { comment: 'This is a sample comment.' } }] },
      },
    ]);
  });

  it.each([
    [
      'policy must have at least one key to update (allowed: bidirectional, comment, conditions, description, enabled, enforced, from, fromDate, fromEternal, fromPart, override, to, toDate, toEternal)',
      { id: 'x', policy: {} },
    ],
    [
      'policy must have at least one key to update (allowed: bidirectional, comment, conditions, description, enabled, enforced, from, fromDate, fromEternal, fromPart, override, to, toDate, toEternal)',
      { id: 'x', policy: { comment: '' } },
    ],
    ['policy.from.headerDisplayName is required when type is header_display_name', { id: 'x', policy: { from: { type: 'header_display_name' } } }],
    [
      'policy.conditions.sourceIPs[0] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "300.0.0.0/8" does not parse',
      { id: 'x', policy: { conditions: { sourceIPs: ['300.0.0.0/8'] } } },
    ],
    [
      'policy.toDate (2024-01-01T00:00:00+0000) is before fromDate (2024-06-01T00:00:00+0000); the policy would never apply',
      { id: 'x', policy: { fromDate: '2024-06-01', toDate: '2024-01-01' } },
    ],
    ['policy is required', { id: 'x' }],
    ['id is required', { policy: { comment: 'x' } }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('update_address_alteration_policy', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('update_address_alteration_policy (simulator)', () => {
  const h = useSimulator();

  it("updates the seed's example policy: Get Address Alteration Policy reads the new comment and the rest unchanged", async () => {
    const before = (await h.run('get_address_alteration_policy', { policy_id: EXAMPLE_POLICY_ID })).data[0];
    expect(before.policy.comment).toBeUndefined();

    const r = await h.run('update_address_alteration_policy', example);
    expect(r.status).toBe('success');
    validateOutput('update_address_alteration_policy', r.data);
    expect(r.data.policy.comment).toBe('This is a sample comment.');

    const after = (await h.run('get_address_alteration_policy', { policy_id: EXAMPLE_POLICY_ID })).data[0];
    const { comment, lastUpdated: _after, ...rest } = after.policy;
    const { lastUpdated: _before, ...restBefore } = before.policy;
    expect(comment).toBe('This is a sample comment.');
    expect(rest).toEqual(restBefore);
    expect(after.addressAlterationSetId).toBe(before.addressAlterationSetId);
  });

  it('moves the policy to another set and gives it an end date (no longer eternal)', async () => {
    const set = await h.run('create_address_alteration_set', { description: 'Second set' });
    const r = await h.run('update_address_alteration_policy', {
      id: EXAMPLE_POLICY_ID,
      address_alteration_set_id: set.data.id,
      policy: { toDate: '2030-01-01T00:00:00Z' },
    });
    expect(r.status).toBe('success');
    const after = (await h.run('get_address_alteration_policy', { policy_id: EXAMPLE_POLICY_ID })).data[0];
    expect(after.addressAlterationSetId).toBe(set.data.id);
    expect(after.policy).toMatchObject({ toDate: '2030-01-01T00:00:00+0000', toEternal: false, fromEternal: true });
  });

  it('fails like Mimecast for an unknown policy and for an unknown set', async () => {
    const r = await h.run('update_address_alteration_policy', { id: 'eNo1unknown', policy: { comment: 'x' } });
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_policy_not_found' });
    const s = await h.run('update_address_alteration_policy', { id: EXAMPLE_POLICY_ID, address_alteration_set_id: 'eNoNoSuchSet', policy: { comment: 'x' } });
    expect(s.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_set_not_found', field: 'addressAlterationSetId' });
  });
});
