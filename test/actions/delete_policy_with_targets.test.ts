import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput, callSizes } from '../helpers/contract.js';
import { apiHeaders, BASE, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.delete_policy_with_targets.example![0] as { id: string };
const PATH = '/api/policy/webwhiteurl/delete-policy-with-targets';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

const pid = (i: number) => `eNo1jk0LpolicyNumber${i}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const item = (i: number) => ({ id: pid(i) });
const deleted = (i: number) => ({ id: pid(i), deleted: true });

describe('delete_policy_with_targets (nock)', () => {
  setupNock();

  it('declares its undo (Create Policy with Targets, with what to pass) and a per-call cap of 10', () => {
    const a = manifest.actions.delete_policy_with_targets as typeof manifest.actions.delete_policy_with_targets & { undo?: string; undo_note?: string };
    expect(a.undo).toBe('create_policy_with_targets');
    expect(a.undo_note).toMatch(/Get Policy with Targets returned before the delete/);
    expect(a.chunk_size).toBe(10);
  });

  it("sends the example's ID as one data item and returns Mimecast's deleted flags", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([{ id: example.id, deleted: true }]));
    const r = await runAction('delete_policy_with_targets', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: example.id, deleted: true }]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Deleted 1 Web Security policy.');
    validateOutput('delete_policy_with_targets', r.data);
  });

  it('takes one ID, a list, or {"id"} objects; a repeated ID is sent once', async () => {
    mimecast()
      .post(PATH, { data: [item(1), item(2), item(3)] })
      .reply(200, ok([deleted(1), deleted(2), deleted(3)]));
    const r = await runAction('delete_policy_with_targets', { id: [pid(1), { id: pid(2) }, pid(1), { id: pid(3) }] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Deleted 3 Web Security policies.');
  });

  it('splits 23 IDs into calls of 10, 10 and 3 (chunk_size 10) and merges the results in order', async () => {
    const scope = mimecast();
    for (const [from, to] of [
      [0, 10],
      [10, 20],
      [20, 23],
    ]) {
      scope.post(PATH, { data: range(from, to).map(item) }).reply(200, ok(range(from, to).map(deleted)));
    }
    const r = await runAction('delete_policy_with_targets', { id: range(0, 23).map(pid) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(range(0, 23).map(deleted));
    expect(r.meta.requests).toBe(4);
  });

  it('reports deleted: false as a failure keyed by the ID; partial when others were deleted', async () => {
    mimecast()
      .post(PATH, { data: [item(1), item(2)] })
      .reply(200, ok([deleted(1), { id: pid(2), deleted: false }]));
    const r = await runAction('delete_policy_with_targets', { id: [pid(1), pid(2)] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([deleted(1)]);
    expect(r.failures).toEqual([{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this policy', key: { id: pid(2) } }]);
    expect(r.summary).toBe('Deleted 1 Web Security policy. (1 item failure, see failures)');
    expect(exitCodeFor(r)).toBe(3);
  });

  it('is failed when the only ID answers deleted: false', async () => {
    mimecast()
      .post(PATH, { data: [item(7)] })
      .reply(200, ok([{ id: pid(7), deleted: false }]));
    const r = await runAction('delete_policy_with_targets', { id: pid(7) }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toEqual([]);
    expect(r.failures).toEqual([{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this policy', key: { id: pid(7) } }]);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'deleted_failed' });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('keeps fail[] entries keyed by the item, across chunks (12 IDs: 10 + 2)', async () => {
    const err = { code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false };
    mimecast()
      .post(PATH, { data: range(0, 10).map(item) })
      .reply(
        200,
        ok(
          range(0, 10)
            .filter((i) => i !== 4)
            .map(deleted),
          [{ key: item(4), errors: [err] }],
        ),
      )
      .post(PATH, { data: range(10, 12).map(item) })
      .reply(200, ok(range(10, 12).map(deleted)));
    const r = await runAction('delete_policy_with_targets', { id: range(0, 12).map(pid) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(11);
    expect(r.failures).toEqual([{ ...err, key: item(4) }]);
  });

  it('does not re-send a chunk after HTTP 500 and lists its IDs and the unsent ones as failures', async () => {
    mimecast()
      .post(PATH, { data: range(0, 10).map(item) })
      .reply(200, ok(range(0, 10).map(deleted)))
      .post(PATH, { data: range(10, 20).map(item) })
      .reply(500, '');
    const r = await runAction('delete_policy_with_targets', { id: range(0, 25).map(pid) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual(range(0, 10).map(deleted));
    expect(r.failures.map((f) => [f.code, f.key])).toEqual([
      ...range(10, 20).map((i) => ['api_error', item(i)]),
      ...range(20, 25).map((i) => ['not_sent', item(i)]),
    ]);
    expect(r.meta.requests).toBe(3);
  });

  it('--dry-run shows every call of a list above the cap (12 IDs: 10 + 2) and sends nothing', async () => {
    const r = await runAction('delete_policy_with_targets', { id: range(0, 12).map(pid) }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(0);
    const requests = (r.data as { requests: { method: string; url: string; body: unknown }[] }).requests;
    expect(requests.map((q) => [q.method, q.url, q.body])).toEqual([
      ['POST', `${BASE}${PATH}`, { data: range(0, 10).map(item) }],
      ['POST', `${BASE}${PATH}`, { data: range(10, 12).map(item) }],
    ]);
  });

  it.each([
    [{}, 'id is required'],
    [{ id: [] }, 'id must have at least one item'],
    [{ id: [{}] }, 'id[0].id is required'],
    [{ id: [{ id: pid(1), description: 'x' }] }, 'id[0] has an unknown key "description" (allowed: id)'],
    [{ id: [pid(1), 42] }, 'id[1] must be a string'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('delete_policy_with_targets', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('delete_policy_with_targets (simulator)', () => {
  const h = useSimulator();
  const create = manifest.actions.create_policy_with_targets.example![0];

  it('deletes the seeded policy (the example); Get Policy with Targets then answers not_found', async () => {
    const r = await h.run('delete_policy_with_targets', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: example.id, deleted: true }]);
    validateOutput('delete_policy_with_targets', r.data);
    const got = await h.run('get_policy_with_targets', example);
    expect(got.status).toBe('failed');
    expect(got.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });

  it('undoes a create: the policy created is deleted by its ID', async () => {
    const made = await h.run('create_policy_with_targets', create);
    expect(made.status).toBe('success');
    const r = await h.run('delete_policy_with_targets', { id: made.data.id });
    expect(r.status).toBe('success');
    expect((await h.run('get_policy_with_targets', { id: made.data.id })).error).toMatchObject({ type: 'not_found' });
  });

  it('deletes 12 policies in two calls; an unknown ID among them is a failure keyed by it (partial)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const made = await h.run('create_policy_with_targets', { ...create, description: `Phishing block ${i}` });
      ids.push(made.data.id);
    }
    h.sim.requests.length = 0;
    const unknown = 'eNo1jk0LnoSuchPolicy';
    const r = await h.run('delete_policy_with_targets', { id: [...ids.slice(0, 5), unknown, ...ids.slice(5)] });
    expect(r.status).toBe('partial');
    expect(r.data.map((d: { id: string }) => d.id)).toEqual(ids);
    expect(r.failures).toEqual([
      { code: 'err_policy_not_found', message: 'The Web Security policy was not found', field: 'id', retryable: false, key: { id: unknown } },
    ]);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual(callSizes('delete_policy_with_targets', 12));
    for (const id of ids) expect((await h.run('get_policy_with_targets', { id })).status).toBe('failed');
  });
});
