import manifest from '../../src/generated/manifest.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { MAX_DELETE, SEEDED_UPDATE_ID } from '../../src/simulator/routes/policy-antispoofing.js';
import { validateOutput } from '../helpers/contract.js';
import { BASE, apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.delete_anti_spoofing_policy.example![0] as { policy_id: { id: string } };
const ID = example.policy_id.id;
const PATH = '/api/policy/antispoofing-bypass/delete-policy';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const notFound = (id: string) => ({
  key: { id },
  errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }],
});
const id = (i: number) => `eNoAs${i}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('delete_anti_spoofing_policy (nock)', () => {
  setupNock();

  it("sends the seed's example as one delete-policy item and returns the deleted id", async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([{ id: ID }]));
    const r = await runAction('delete_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: ID }]);
    expect(r.summary).toBe('Deleted 1 anti-spoofing bypass policy.');
    validateOutput('delete_anti_spoofing_policy', r.data);
  });

  it(`splits 1200 IDs into calls of ${MAX_DELETE}, ${MAX_DELETE} and 200; an unknown ID is a failure keyed by {"id"} (partial)`, async () => {
    expect(manifest.actions.delete_anti_spoofing_policy.chunk_size).toBe(MAX_DELETE);
    const scope = mimecast();
    for (const [from, to] of [
      [0, 500],
      [500, 1000],
      [1000, 1200],
    ]) {
      const ids = range(from, to).map(id);
      scope.post(PATH, { data: ids.map((x) => ({ id: x })) }).reply(
        200,
        ok(
          ids.filter((x) => x !== id(700)).map((x) => ({ id: x })),
          from === 500 ? [notFound(id(700))] : [],
        ),
      );
    }
    const r = await runAction('delete_anti_spoofing_policy', { policy_id: range(0, 1200).map((i) => ({ id: id(i) })) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(1199);
    expect((r.data as unknown[])[0]).toEqual({ id: id(0) });
    expect(r.failures).toEqual([{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: id(700) } }]);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Deleted 1199 anti-spoofing bypass policies. (1 item failure, see failures)');
  });

  it('takes IDs as text, as {"id"} objects or one of either, and sends a repeated ID once', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'a' }, { id: 'b' }] })
      .reply(200, ok([{ id: 'a' }, { id: 'b' }]));
    const r = await runAction('delete_anti_spoofing_policy', { policy_ids: JSON.stringify(['a', { id: 'b' }, 'a']) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('is failed (not_found) when the only ID is unknown', async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, ok([], [notFound(ID)]));
    const r = await runAction('delete_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'The item failed; first: The policy was not found (err_policy_not_found)',
      code: 'err_policy_not_found',
    });
  });

  it('reports deleted: false as a failure of that ID, keyed by {"id"}; partial when the others were deleted', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'a' }, { id: 'b' }] })
      .reply(
        200,
        ok([
          { id: 'a', deleted: true },
          { id: 'b', deleted: false },
        ]),
      );
    const r = await runAction('delete_anti_spoofing_policy', { policy_id: ['a', 'b'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: 'a', deleted: true }]);
    expect(r.failures).toEqual([{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this policy', key: { id: 'b' } }]);
    expect(r.summary).toBe('Deleted 1 anti-spoofing bypass policy. (1 item failure, see failures)');
    validateOutput('delete_anti_spoofing_policy', r.data);
  });

  it('is failed (exit 1) when the only ID answers deleted: false', async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, ok([{ id: ID, deleted: false }]));
    const r = await runAction('delete_anti_spoofing_policy', example, config, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'deleted_failed' });
    expect(r.failures).toEqual([{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this policy', key: { id: ID } }]);
  });

  it('a dry run shows every call of a split list and sends nothing', async () => {
    const r = await runAction('delete_anti_spoofing_policy', { policy_id: range(0, 501).map(id) }, config, { ...fast, dryRun: true });
    const { requests } = r.data as { requests: { url: string; body: { data: unknown[] } }[] };
    expect(requests.map((q) => [q.url, q.body.data.length])).toEqual([
      [`${BASE}${PATH}`, 500],
      [`${BASE}${PATH}`, 1],
    ]);
    expect(requests[1].body).toEqual({ data: [{ id: id(500) }] });
    expect(r.meta.requests).toBe(0);
  });

  it.each([
    [{}, 'policy_id', 'policy_id is required'],
    [{ policy_id: [] }, 'policy_id', 'policy_id must have at least one item'],
    [{ policy_id: { id: '' } }, 'policy_id[0].id', 'policy_id[0].id must not be empty'],
    [{ policy_id: { ids: ['a'] } }, 'policy_id[0]', expect.stringContaining('policy_id[0] has an unknown key "ids"')],
  ])('refuses %j before sending anything', async (input, field, message) => {
    const r = await runAction('delete_anti_spoofing_policy', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', field, message });
    expect(r.meta.requests).toBe(0);
  });
});

describe('delete_anti_spoofing_policy (simulator)', () => {
  const h = useSimulator();

  it("deletes the seed's example policy, after which its get is not_found and a second delete fails", async () => {
    const r = await h.run('delete_anti_spoofing_policy', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: SEEDED_UPDATE_ID, deleted: true }]);
    const got = await h.run('get_anti_spoofing_policy', { policy_ids: SEEDED_UPDATE_ID });
    expect(got.status).toBe('failed');
    expect(got.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    const again = await h.run('delete_anti_spoofing_policy', example);
    expect(again.status).toBe('failed');
    expect(again.failures).toEqual([
      { code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: SEEDED_UPDATE_ID } },
    ]);
  });

  it('creates 520 policies, deletes them with one unknown ID among them in calls of 500: partial, the unknown one keyed by id', async () => {
    const policy = { description: 'Temp', from: { type: 'everyone' }, to: { type: 'everyone' } };
    const made = await h.run('create_anti_spoofing_policy', { policy_information: range(0, 520).map(() => ({ option: 'enable_bypass', policy })) });
    expect(made.status).toBe('success');
    const ids = made.data.map((p: { id: string }) => p.id);
    const r = await h.run('delete_anti_spoofing_policy', { policy_id: [...ids.slice(0, 510), 'eNoNoSuchPolicy', ...ids.slice(510)] });
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(520);
    expect(r.failures).toEqual([
      { code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false, key: { id: 'eNoNoSuchPolicy' } },
    ]);
    expect(h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([500, 21]);
    const all = await h.run('get_anti_spoofing_policy', {});
    expect(all.data.filter((p: { policy: { description: string } }) => p.policy.description === 'Temp')).toEqual([]);
  });
});
