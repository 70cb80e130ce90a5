import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_POLICY_ID, policies } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.delete_address_alteration_policy.example![0] as { policy_id: { id: string } };
const PATH = '/api/policy/address-alteration/delete-policy';

const id = (i: number) => `eNo1policy-${String(i).padStart(3, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const deleted = (i: number) => ({ id: id(i), deleted: true });
const notFound = (key: unknown) => ({
  key,
  errors: [{ code: 'err_address_alteration_policy_not_found', message: 'The address alteration policy was not found', field: 'id', retryable: false }],
});

describe('delete_address_alteration_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one {id} item and returns Mimecast's data", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.policy_id.id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([{ id: example.policy_id.id, deleted: true }]));
    const r = await runAction('delete_address_alteration_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: example.policy_id.id, deleted: true }]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Deleted 1 address alteration policy of 1.');
    validateOutput('delete_address_alteration_policy', r.data);
  });

  it('sends 501 IDs as two calls of 500 and 1 (chunk_size 500); a failed ID in either call is a failure keyed by it, status partial', async () => {
    expect(manifest.actions.delete_address_alteration_policy.chunk_size).toBe(500);
    const ids = range(0, 501).map(id);
    mimecast()
      .post(PATH, { data: range(0, 500).map((i) => ({ id: id(i) })) })
      .reply(
        200,
        ok(
          range(0, 500)
            .filter((i) => i !== 7)
            .map(deleted),
          [notFound({ id: id(7) })],
        ),
      )
      .post(PATH, { data: [{ id: id(500) }] })
      .reply(200, ok([], [notFound({ id: id(500) })]));
    const r = await runAction('delete_address_alteration_policy', { policy_id: ids }, config, fast);
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual(
      range(0, 500)
        .filter((i) => i !== 7)
        .map(deleted),
    );
    expect(r.failures).toEqual([
      {
        code: 'err_address_alteration_policy_not_found',
        message: 'The address alteration policy was not found',
        field: 'id',
        retryable: false,
        key: { id: id(7) },
      },
      {
        code: 'err_address_alteration_policy_not_found',
        message: 'The address alteration policy was not found',
        field: 'id',
        retryable: false,
        key: { id: id(500) },
      },
    ]);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Deleted 499 address alteration policies of 501. (2 item failures, see failures)');
  });

  it('dry run: 501 IDs show both calls with their exact bodies, and nothing is sent', async () => {
    const ids = range(0, 501).map(id);
    const r = await runAction('delete_address_alteration_policy', { policy_id: ids }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    const requests = (r.data as { requests: { method: string; url: string; body: unknown }[] }).requests;
    expect(requests.map((q) => [q.method, q.url])).toEqual([
      ['POST', `${BASE}${PATH}`],
      ['POST', `${BASE}${PATH}`],
    ]);
    expect(requests[0].body).toEqual({ data: range(0, 500).map((i) => ({ id: id(i) })) });
    expect(requests[1].body).toEqual({ data: [{ id: id(500) }] });
  });

  it('reports deleted: false as a failure of that ID; the others are deleted (partial)', async () => {
    mimecast()
      .post(PATH, { data: [{ id: id(1) }, { id: id(2) }] })
      .reply(200, ok([deleted(1), { id: id(2), deleted: false }]));
    const r = await runAction('delete_address_alteration_policy', { policy_id: [id(1), id(2)] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([deleted(1)]);
    expect(r.failures).toEqual([{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this item', key: { id: id(2), deleted: false } }]);
  });

  it('takes IDs as text, {id} objects (the alias policy_ids too) and sends a repeated ID once', async () => {
    mimecast()
      .post(PATH, { data: [{ id: id(1) }, { id: id(2) }] })
      .reply(200, ok([deleted(1), deleted(2)]));
    const r = await runAction('delete_address_alteration_policy', { policy_ids: [id(1), { id: id(2) }, id(1)] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Deleted 2 address alteration policies of 2.');
  });

  it("does not re-send the second call after HTTP 500 (a write): its IDs become failures, the first call's deletions stand", async () => {
    mimecast()
      .post(PATH, { data: range(0, 500).map((i) => ({ id: id(i) })) })
      .reply(200, ok(range(0, 500).map(deleted)))
      .post(PATH, { data: [{ id: id(500) }] })
      .reply(500, '');
    const r = await runAction('delete_address_alteration_policy', { policy_id: range(0, 501).map(id) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(500);
    expect(r.failures).toEqual([
      {
        code: 'api_error',
        message: `POST ${PATH}: Mimecast answered HTTP 500 (the call was sent: Mimecast may have applied it; check before running it again)`,
        key: { id: id(500) },
      },
    ]);
    expect(r.meta.requests).toBe(3);
  });

  it('is failed (not_found) when the only ID is unknown', async () => {
    mimecast()
      .post(PATH, { data: [{ id: id(9) }] })
      .reply(200, ok([], [notFound({ id: id(9) })]));
    const r = await runAction('delete_address_alteration_policy', { policy_id: id(9) }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'The item failed; first: The address alteration policy was not found (err_address_alteration_policy_not_found)',
      code: 'err_address_alteration_policy_not_found',
    });
  });

  it.each([
    [{}, 'policy_id is required'],
    [{ policy_id: [] }, 'policy_id must have at least one item'],
    [{ policy_id: [{ name: 'x' }] }, 'policy_id[0] has an unknown key "name" (allowed: id)'],
    [{ policy_id: id(1), id: id(2) }, 'input has an unknown key "id" (allowed: policy_id)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('delete_address_alteration_policy', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('delete_address_alteration_policy (simulator)', () => {
  const h = useSimulator();

  it("deletes the seed's example policy; Get Address Alteration Policy then reports it not found", async () => {
    expect((await h.run('get_address_alteration_policy', { policy_id: EXAMPLE_POLICY_ID })).status).toBe('success');
    const r = await h.run('delete_address_alteration_policy', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: EXAMPLE_POLICY_ID, deleted: true }]);
    validateOutput('delete_address_alteration_policy', r.data);

    const after = await h.run('get_address_alteration_policy', { policy_id: EXAMPLE_POLICY_ID });
    expect(after.status).toBe('failed');
    expect(after.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_policy_not_found' });
    expect(after.failures).toEqual([expect.objectContaining({ key: { id: EXAMPLE_POLICY_ID } })]);

    const again = await h.run('delete_address_alteration_policy', example);
    expect(again.status).toBe('failed');
    expect(again.error).toMatchObject({ type: 'not_found' });
  });

  it('deletes 501 policies in two calls the simulator accepts (it refuses more than 500 per call); unknown IDs are partial failures', async () => {
    const store = policies(h.sim);
    const ids = range(0, 498).map(id);
    for (const pid of ids) store.set(pid, { ...store.get(EXAMPLE_POLICY_ID)!, id: pid });
    const input = [...ids, EXAMPLE_POLICY_ID, 'eNo1unknown-a', 'eNo1unknown-b'];
    const r = await h.run('delete_address_alteration_policy', { policy_id: input });
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(499);
    expect(r.failures.map((f) => f.key)).toEqual([{ id: 'eNo1unknown-a' }, { id: 'eNo1unknown-b' }]);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([500, 1]);
    expect([...store.keys()].filter((k) => k === EXAMPLE_POLICY_ID || ids.includes(k))).toEqual([]);
  });
});
