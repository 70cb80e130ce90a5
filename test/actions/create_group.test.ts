import { runAction } from '../../src/runtime/run.js';
import { ROOT_GROUP_PARENT_ID } from '../../src/simulator/routes/directory.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.create_group.example![0];
const PARENT =
  'eNoVzkkOgjAUANC7_K0kguIAiQsoxKCAA85xA_QzaKVKBVHj3dX9W7w3CIyrEnMKOij8ZbHHsU26vHAGXtZvXsSfHuS9H21qLSAn99LqebazVc2l8eS7NG05ItCYW6xX9nDmZphMVHKf8_F5U4n8YSpsz8xZ9MSsWkQd6nh1c6v9hTAbMQIJGA2voCchEyhBXIk7v2AZc4q_Cwl8SzEGWk_9wRpLkfMCdEWChDOK5f8rf763Yz78';
const ok = (rows: { id: string; description: string; parentId: string }[]) => ({
  meta: { status: 200 },
  data: rows.map((r) => ({ ...r, source: 'cloud' })),
  fail: [],
});

describe('create_group (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns the created group", async () => {
    const reply = ok([{ id: 'g-1', description: 'This is a sample description.', parentId: PARENT }]);
    mimecast()
      .post('/api/directory/create-group', { data: [{ description: 'This is a sample description.' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, reply);
    const r = await runAction('create_group', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(reply.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Created 1 profile group.');
    expect(r.meta.requests).toBe(2);
    validateOutput('create_group', r.data);
  });

  it('sends one item per group (parentId kept, empty optional keys dropped) and reports a refused group keyed by its item', async () => {
    const bad = { description: 'Orphan', parentId: 'eNoMissingParent' };
    mimecast()
      .post('/api/directory/create-group', { data: [{ description: 'Phishing reporters', parentId: PARENT }, { description: 'Finance' }, bad] })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { id: 'g-1', description: 'Phishing reporters', source: 'cloud', parentId: PARENT },
          { id: 'g-2', description: 'Finance', source: 'cloud', parentId: 'root' },
        ],
        fail: [{ key: bad, errors: [{ code: 'err_folder_not_found', message: 'The parent group was not found', field: 'parentId', retryable: false }] }],
      });
    const r = await runAction(
      'create_group',
      { groups_information: [{ description: 'Phishing reporters', parentId: PARENT }, { description: 'Finance', parentId: '' }, bad] },
      config,
      fast,
    );
    expect(r.status).toBe('partial');
    expect((r.data as unknown[]).length).toBe(2);
    expect(r.failures).toEqual([{ code: 'err_folder_not_found', message: 'The parent group was not found', field: 'parentId', retryable: false, key: bad }]);
    expect(r.summary).toBe('Created 2 profile groups. (1 item failure, see failures)');
  });

  it('splits more than 10 groups into calls of 10 (chunk_size) and merges the results', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Group ${i + 1}`);
    const scope = mimecast();
    for (const chunk of [names.slice(0, 10), names.slice(10)]) {
      scope
        .post('/api/directory/create-group', { data: chunk.map((description) => ({ description })) })
        .reply(200, ok(chunk.map((description, i) => ({ id: `id-${description}-${i}`, description, parentId: 'root' }))));
    }
    const r = await runAction('create_group', { group_information: names.map((description) => ({ description })) }, config, fast);
    expect(r.status).toBe('success');
    expect((r.data as { description: string }[]).map((g) => g.description)).toEqual(names);
    expect(r.meta.requests).toBe(3);
  });

  it('accepts one group object where the list is expected', async () => {
    mimecast()
      .post('/api/directory/create-group', { data: [{ description: 'Solo' }] })
      .reply(200, ok([{ id: 'g', description: 'Solo', parentId: 'root' }]));
    const r = await runAction('create_group', { groups_information: { description: 'Solo' } }, config, fast);
    expect(r.status).toBe('success');
  });

  it.each([
    [{}, 'groups_information is required'],
    [{ groups_information: [] }, 'groups_information must have at least one item'],
    [{ groups_information: [{ parentId: PARENT }] }, 'groups_information[0].description is required'],
    [{ groups_information: [{ description: '' }] }, 'groups_information[0].description is required'],
    [{ groups_information: [{ description: 'x', name: 'y' }] }, 'groups_information[0] has an unknown key "name" (allowed: description, parentId)'],
    [
      { groups_information: [{ description: 'x' }], group_information: [{ description: 'y' }] },
      'groups_information was given twice (as "groups_information" and as "group_information"); give it once',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('create_group', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_group (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example, and the new group is found by search_groups at the root level", async () => {
    const r = await h.run('create_group', example);
    expect(r.status).toBe('success');
    validateOutput('create_group', r.data);
    const [g] = r.data as { id: string; description: string; parentId: string; source: string }[];
    expect(g).toMatchObject({ description: 'This is a sample description.', source: 'cloud', parentId: ROOT_GROUP_PARENT_ID });
    const found = await h.run('search_groups', { query: 'sample description' });
    expect(found.status).toBe('success');
    expect(found.data).toEqual([
      { id: g.id, description: 'This is a sample description.', source: 'cloud', parentId: ROOT_GROUP_PARENT_ID, userCount: 0, folderCount: 0 },
    ]);
  });

  it('creates a child group inside a new group, and refuses an unknown parent like Mimecast (partial)', async () => {
    const parent = await h.run('create_group', { groups_information: [{ description: 'SOC escalations' }] });
    const parentId = (parent.data as { id: string }[])[0].id;
    const r = await h.run('create_group', {
      groups_information: [
        { description: 'SOC tier 2', parentId },
        { description: 'Lost', parentId: 'eNoDoesNotExist' },
      ],
    });
    expect(r.status).toBe('partial');
    expect((r.data as { parentId: string }[])[0].parentId).toBe(parentId);
    expect(r.failures).toEqual([
      {
        code: 'err_folder_not_found',
        message: 'The parent group was not found',
        field: 'parentId',
        retryable: false,
        key: { description: 'Lost', parentId: 'eNoDoesNotExist' },
      },
    ]);
    const found = await h.run('search_groups', { query: 'SOC' });
    expect(found.data.find((g: { id: string }) => g.id === parentId)).toMatchObject({ folderCount: 1 });
    const members = await h.run('get_group_members', { group_id: parentId });
    expect(members.status).toBe('success');
    expect(members.data).toEqual([]);
  });
});
