import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.update_group.example![0] as { groups_information: { id: string; parentId: string; description: string }[] };
const SEED = example.groups_information[0];
const groupsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `eNoGroup${i + 1}`, description: `Renamed ${i + 1}` }));
const echo = (items: { id: string; description: string }[]) => ({
  meta: { status: 200 },
  data: items.map((g) => ({ ...g, source: 'cloud', parentId: 'eNoRoot' })),
  fail: [],
});

describe('update_group (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns the updated group", async () => {
    const reply = { meta: { status: 200 }, data: [{ id: SEED.id, description: SEED.description, source: 'cloud', parentId: SEED.parentId }], fail: [] };
    mimecast()
      .post('/api/directory/update-group', { data: [{ id: SEED.id, parentId: SEED.parentId, description: 'This is a sample description.' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, reply);
    const r = await runAction('update_group', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(reply.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Updated 1 profile group.');
    expect(r.meta.requests).toBe(2);
    validateOutput('update_group', r.data);
  });

  it('splits 23 groups into 3 calls of 10, 10 and 3 and merges the results in order', async () => {
    const all = groupsOf(23);
    const scope = mimecast();
    for (const chunk of [all.slice(0, 10), all.slice(10, 20), all.slice(20)]) {
      scope.post('/api/directory/update-group', { data: chunk }).reply(200, echo(chunk));
    }
    const r = await runAction('update_group', { groups_information: all }, config, fast);
    expect(r.status).toBe('success');
    expect((r.data as { id: string }[]).map((g) => g.id)).toEqual(all.map((g) => g.id));
    expect(r.summary).toBe('Updated 23 profile groups.');
    expect(r.meta.requests).toBe(4); // token + 3 calls
  });

  it('is partial when an item of one chunk fails: the failure is keyed by that item and the other 22 are returned', async () => {
    const all = groupsOf(23);
    const bad = all[14];
    const scope = mimecast();
    scope.post('/api/directory/update-group', { data: all.slice(0, 10) }).reply(200, echo(all.slice(0, 10)));
    scope.post('/api/directory/update-group', { data: all.slice(10, 20) }).reply(200, {
      meta: { status: 200 },
      data: echo(all.slice(10, 20).filter((g) => g !== bad)).data,
      fail: [{ key: bad, errors: [{ code: 'err_folder_not_found', message: 'The group was not found', field: 'id', retryable: false }] }],
    });
    scope.post('/api/directory/update-group', { data: all.slice(20) }).reply(200, echo(all.slice(20)));
    const r = await runAction('update_group', { groups_information: all }, config, fast);
    expect(r.status).toBe('partial');
    expect((r.data as unknown[]).length).toBe(22);
    expect(r.failures).toEqual([{ code: 'err_folder_not_found', message: 'The group was not found', field: 'id', retryable: false, key: bad }]);
    expect(r.summary).toBe('Updated 22 profile groups. (1 item failure, see failures)');
  });

  it('does not re-send a chunk after a 5xx (it may have been applied): its items and the unsent ones become failures', async () => {
    const all = groupsOf(23);
    const scope = mimecast();
    scope.post('/api/directory/update-group', { data: all.slice(0, 10) }).reply(200, echo(all.slice(0, 10)));
    scope.post('/api/directory/update-group', { data: all.slice(10, 20) }).reply(503, { fail: [{ code: 'server_error', message: 'Service unavailable' }] });
    const r = await runAction('update_group', { groups_information: all }, config, fast);
    expect(r.status).toBe('partial');
    expect((r.data as unknown[]).length).toBe(10);
    expect(r.failures.map((f) => f.key)).toEqual(all.slice(10));
    expect(r.failures.slice(0, 10).every((f) => f.code === 'server_error')).toBe(true);
    expect(r.failures.slice(10).every((f) => f.code === 'not_sent')).toBe(true);
    expect(r.meta.requests).toBe(3);
  });

  it('accepts the label form "data" for groups_information', async () => {
    mimecast()
      .post('/api/directory/update-group', { data: [{ id: 'eNoG', description: 'New name' }] })
      .reply(200, echo([{ id: 'eNoG', description: 'New name' }]));
    const r = await runAction('update_group', { data: { id: 'eNoG', description: 'New name' } }, config, fast);
    expect(r.status).toBe('success');
  });

  it.each([
    [{}, 'groups_information is required'],
    [{ groups_information: [{ description: 'x' }] }, 'groups_information[0].id is required'],
    [{ groups_information: [{ id: 'eNoG', name: 'x' }] }, 'groups_information[0] has an unknown key "name" (allowed: id, description, parentId)'],
    [{ groups_information: [] }, 'groups_information must have at least one item'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('update_group', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('update_group (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example: the group is renamed and moved, as search_groups then shows", async () => {
    const r = await h.run('update_group', example);
    expect(r.status).toBe('success');
    validateOutput('update_group', r.data);
    expect(r.data).toEqual([{ id: SEED.id, description: 'This is a sample description.', source: 'cloud', parentId: SEED.parentId }]);
    const found = await h.run('search_groups', { query: 'sample description' });
    expect(found.data).toEqual([expect.objectContaining({ id: SEED.id, parentId: SEED.parentId })]);
    const parent = await h.run('search_groups', { query: 'Incident Response' });
    expect(parent.data).toEqual([expect.objectContaining({ id: SEED.parentId, folderCount: 1 })]);
  });

  it('updates 12 groups over two calls and reports the unknown one keyed by its item', async () => {
    const created = await h.run('create_group', { groups_information: Array.from({ length: 11 }, (_, i) => ({ description: `Team ${i + 1}` })) });
    expect(created.status).toBe('success');
    const ids = (created.data as { id: string }[]).map((g) => g.id);
    const items = [...ids.map((id, i) => ({ id, description: `Renamed team ${i + 1}` })), { id: 'eNoUnknownGroup', description: 'Nobody' }];
    const r = await h.run('update_group', { groups_information: items });
    expect(r.status).toBe('partial');
    expect((r.data as { description: string }[]).map((g) => g.description)).toEqual(ids.map((_, i) => `Renamed team ${i + 1}`));
    expect(r.failures).toEqual([
      {
        code: 'err_folder_not_found',
        message: 'The group was not found',
        field: 'id',
        retryable: false,
        key: { id: 'eNoUnknownGroup', description: 'Nobody' },
      },
    ]);
    const apiCalls = h.sim.requests.filter((q) => q.path === '/api/directory/update-group');
    expect(apiCalls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual([10, 2]);
    const found = await h.run('search_groups', { query: 'Renamed team' });
    expect(found.data.length).toBe(11);
  });
});
