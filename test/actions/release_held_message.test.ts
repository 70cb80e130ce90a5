import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { validateOutput, callSizes } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.release_held_message.example! as { id: string }[];
const SEED_ID = example[0].id;
const PATH = '/api/gateway/hold-release';
const ok = (ids: string[]) => ({ meta: { status: 200 }, data: ids.map((id) => ({ id, release: true })), fail: [] });

describe('release_held_message (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item {id} and returns Mimecast's data", async () => {
    mimecast()
      .post(PATH, { data: [{ id: SEED_ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([SEED_ID]));
    const r = await runAction('release_held_message', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: SEED_ID, release: true }]);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Released 1 held message.');
    expect(r.meta.requests).toBe(2);
    validateOutput('release_held_message', r.data);
  });

  it('splits 30 IDs into two calls of 25 and 5, one data item per ID', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `eNpVzid${i}`);
    mimecast()
      .post(PATH, { data: ids.slice(0, 25).map((id) => ({ id })) })
      .reply(200, ok(ids.slice(0, 25)))
      .post(PATH, { data: ids.slice(25).map((id) => ({ id })) })
      .reply(200, ok(ids.slice(25)));
    const r = await runAction('release_held_message', { id: ids }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(ids.map((id) => ({ id, release: true })));
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Released 30 held messages.');
  });

  it('reports an ID answered with release: false as a failed item (partial)', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { id: 'a', release: true },
          { id: 'b', release: false },
          { id: 'c', release: true },
        ],
        fail: [],
      });
    const r = await runAction('release_held_message', { id: ['a', 'b', 'c'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([
      { id: 'a', release: true },
      { id: 'c', release: true },
    ]);
    expect(r.failures).toEqual([{ code: 'release_failed', message: 'Mimecast answered release: false for this item', key: { id: 'b', release: false } }]);
    expect(r.summary).toBe('Released 2 held messages. (1 item failure, see failures)');
  });

  it('is failed when every ID is answered with release: false or fail[]', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'a' }, { id: 'b' }] })
      .reply(200, {
        meta: { status: 200 },
        data: [{ id: 'a', release: false }],
        fail: [{ key: { id: 'b' }, errors: [{ code: 'err_validation_blank', message: 'The id field must not be blank', field: 'id', retryable: false }] }],
      });
    const r = await runAction('release_held_message', { id: ['a', 'b'] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toEqual([]);
    expect(r.failures).toEqual([
      { code: 'err_validation_blank', message: 'The id field must not be blank', field: 'id', retryable: false, key: { id: 'b' } },
      { code: 'release_failed', message: 'Mimecast answered release: false for this item', key: { id: 'a', release: false } },
    ]);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_blank' });
  });

  it('does not re-send the second call after an HTTP 500, and lists its IDs as failures', async () => {
    const ids = Array.from({ length: 27 }, (_, i) => `eNpVzid${i}`);
    mimecast()
      .post(PATH, { data: ids.slice(0, 25).map((id) => ({ id })) })
      .reply(200, ok(ids.slice(0, 25)))
      .post(PATH, { data: ids.slice(25).map((id) => ({ id })) })
      .reply(500, { fail: [{ code: 'server_error', message: 'Internal error' }] });
    const r = await runAction('release_held_message', { id: ids }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(25);
    expect(r.failures.map((f) => f.key)).toEqual([{ id: ids[25] }, { id: ids[26] }]);
    expect(r.failures[0]).toMatchObject({ code: 'server_error' });
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    ['a JSON list in a string', '["a","b"]'],
    ['a list of objects', [{ id: 'a' }, { id: 'b' }]],
    ['an object', { id: 'a' }],
    ['a list with a repeated ID', ['a', 'b', 'a']],
  ])('accepts %s', async (_what, id) => {
    const expected = typeof id === 'object' && !Array.isArray(id) ? ['a'] : ['a', 'b'];
    mimecast()
      .post(PATH, { data: expected.map((x) => ({ id: x })) })
      .reply(200, ok(expected));
    const r = await runAction('release_held_message', { id }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(expected.map((x) => ({ id: x, release: true })));
  });

  it.each([
    [{}, 'id is required', 'id'],
    [{ id: [] }, 'id must have at least one item', 'id'],
    [{ id: [42] }, 'id[0] must be a held message ID or an object {"id": "<held message ID>"}', 'id[0]'],
    [{ id: [{ messageId: 'a' }] }, 'id[0] must be a held message ID or an object {"id": "<held message ID>"}', 'id[0]'],
    [{ ids: ['a'] }, 'input has an unknown key "ids" (allowed: id)', 'input'],
  ])('refuses %j before sending anything', async (input, message, field) => {
    const r = await runAction('release_held_message', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field });
    expect(r.meta.requests).toBe(0);
  });
});

describe('release_held_message (simulator)', () => {
  const h = useSimulator();
  const heldIds = async () => (await h.run('get_hold_message_list', { admin: true })).data.map((m: { id: string }) => m.id);

  it("releases the seed's example message, which then leaves the held list; a second release fails", async () => {
    expect(await heldIds()).toContain(SEED_ID);
    const r = await h.run('release_held_message', example[0]);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: SEED_ID, release: true }]);
    validateOutput('release_held_message', r.data);
    expect(await heldIds()).not.toContain(SEED_ID);
    const again = await h.run('release_held_message', example[0]);
    expect(again.status).toBe('failed');
    expect(again.failures).toEqual([
      { code: 'release_failed', message: 'Mimecast answered release: false for this item', key: { id: SEED_ID, release: false } },
    ]);
  });

  it('releases 30 held messages in two calls and leaves the rest held', async () => {
    const ids: string[] = await heldIds();
    const r = await h.run('release_held_message', { id: ids.slice(0, 30) });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(30);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual(callSizes('release_held_message', 30));
    expect(await heldIds()).toEqual(ids.slice(30));
  });

  it('is partial when one of the IDs is not held', async () => {
    const r = await h.run('release_held_message', { id: [DEMO_FALSE_POSITIVE_HELD_ID, 'eNpVzNotHeld'] });
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: DEMO_FALSE_POSITIVE_HELD_ID, release: true }]);
    expect(r.failures).toEqual([
      { code: 'release_failed', message: 'Mimecast answered release: false for this item', key: { id: 'eNpVzNotHeld', release: false } },
    ]);
  });
});
