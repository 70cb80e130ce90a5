import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { ROOT_GROUP_PARENT_ID, groups, members } from '../../src/simulator/routes/directory.js';

const example = manifest.actions.get_group_members.example![0] as { group_id: string };
const GROUP = example.group_id;
const PATH = '/api/directory/get-group-members';

const m = (n: number) => ({ emailAddress: `user${n}@orgname.com`, name: `User ${n}`, type: 'created_manually', internal: true });
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, totalCount: 5, ...(next ? { next } : {}) } },
  data: [{ group: { id: GROUP, description: 'Phishing Reporters', source: 'cloud' }, groupMembers: rows }],
  fail: [],
});

describe('get_group_members (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0].id with meta.pagination and returns data[0].groupMembers", async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ id: GROUP }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, page([m(1), { domain: 'partner.example.org', name: 'partner.example.org', type: 'created_manually', internal: false, notes: 'vendor' }]));
    const r = await runAction('get_group_members', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([m(1), { domain: 'partner.example.org', name: 'partner.example.org', type: 'created_manually', internal: false, notes: 'vendor' }]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.meta.pages).toBe(1);
    expect(r.summary).toBe('The group has 2 members (1 page).');
    validateOutput('get_group_members', r.data);
  });

  it('follows meta.pagination.next as pageToken with the same pageSize and merges the members of every page', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [{ id: GROUP }] })
      .reply(200, page([m(1), m(2)], 'p2'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'p2' } }, data: [{ id: GROUP }] })
      .reply(200, page([m(3), m(4)], 'p3'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'p3' } }, data: [{ id: GROUP }] })
      .reply(200, page([m(5)], ''));
    const r = await runAction('get_group_members', { group_id: GROUP, page_size: 2 }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([1, 2, 3, 4, 5].map(m));
    expect(r.meta.pages).toBe(3);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('The group has 5 members (3 pages).');
  });

  it('stops after no_of_pages (alias number_of_pages) and says more pages are available', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [{ id: GROUP }] })
      .reply(200, page([m(1), m(2)], 'p2'));
    const r = await runAction('get_group_members', { group_id: GROUP, page_size: '2', number_of_pages: '1' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([m(1), m(2)]);
    expect(r.summary).toBe('The group has 2 members (1 page; more pages are available).');
  });

  it('is failed with not_found for an unknown group (fail[] inside HTTP 200)', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ id: 'eNoUnknown' }] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: { id: 'eNoUnknown' }, errors: [{ code: 'err_folder_not_found', message: 'The group was not found', field: 'id', retryable: false }] }],
      });
    const r = await runAction('get_group_members', { group_id: 'eNoUnknown' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'POST /api/directory/get-group-members: The group was not found (err_folder_not_found)',
      code: 'err_folder_not_found',
      field: 'id',
    });
  });

  it('is partial when a later page fails: the rows so far, the failure, and the page to resume from', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ id: GROUP }] })
      .reply(200, page([m(1)], 'p2'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'p2' } }, data: [{ id: GROUP }] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ errors: [{ code: 'err_invalid_page_token', message: 'The page token is not valid', field: 'pageToken', retryable: false }] }],
      });
    const r = await runAction('get_group_members', example, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([m(1)]);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_invalid_page_token' });
    expect(r.failures).toEqual([expect.objectContaining({ code: 'err_invalid_page_token' })]);
    expect(r.meta.next_page_token).toBe('p2');
  });

  it.each([
    [{}, 'group_id is required'],
    [{ group_id: '' }, 'group_id is required'],
    [{ group_id: GROUP, page_size: 1000 }, 'page_size must be <= 500'],
    [{ group_id: GROUP, no_of_pages: 0 }, 'no_of_pages must be >= 1'],
    [{ id: GROUP }, 'input has an unknown key "id" (allowed: group_id, page_size, no_of_pages, page_token)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_group_members', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_group_members (simulator)', () => {
  const h = useSimulator();

  it("lists the members of the seed example's group", async () => {
    // The seed's example names a group the simulator's fixture does not hold: add it to the directory state.
    groups(h.sim).set(GROUP, { id: GROUP, description: 'Seed example group', source: 'cloud', parentId: ROOT_GROUP_PARENT_ID, userCount: 2, folderCount: 0 });
    members(h.sim);
    const r = await h.run('get_group_members', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([
      { emailAddress: 'user1@example.com', name: 'User 1', type: 'created_manually', internal: true },
      { emailAddress: 'user2@example.com', name: 'User 2', type: 'created_manually', internal: true },
    ]);
    validateOutput('get_group_members', r.data);
  });

  it('pages through the 13 members of a fixture group and fails with not_found for an unknown group', async () => {
    const folder = fixture('api-directory-find-groups.json').data[0].folders.find((f: { userCount: number }) => f.userCount === 13);
    const r = await h.run('get_group_members', { group_id: folder.id, page_size: 5 });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(13);
    expect(r.meta.pages).toBe(3);
    const unknown = await h.run('get_group_members', { group_id: 'eNoNoSuchGroup' });
    expect(unknown.status).toBe('failed');
    expect(unknown.error).toMatchObject({ type: 'not_found', code: 'err_folder_not_found' });
  });
});
