import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.search_groups.example![0];
const PATH = '/api/directory/find-groups';
const found = fixture('api-directory-find-groups.json');
const FOLDERS = found.data[0].folders as { id: string; description: string }[];

const group = (n: number) => ({ id: `eNoGroup${n}`, description: `Group ${n}`, source: 'cloud', parentId: 'eNoRoot', userCount: n, folderCount: 0 });
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, totalCount: 5, ...(next ? { next } : {}) } },
  data: [{ source: 'cloud', folders: rows }],
  fail: [],
});

describe('search_groups (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0].source with a page size of 100 and returns data[0].folders", async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ source: 'cloud' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, found);
    const r = await runAction('search_groups', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(FOLDERS);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.meta.pages).toBe(1);
    expect(r.summary).toBe('Found 3 groups (1 page).');
    validateOutput('search_groups', r.data);
  });

  it('sends query in data[0] and follows meta.pagination.next as pageToken with the same pageSize, merging the folders', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ query: 'Group' }] })
      .reply(200, page([group(1), group(2)], 'tok-2'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok-2' } }, data: [{ query: 'Group' }] })
      .reply(200, page([group(3), group(4)], 'tok-3'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok-3' } }, data: [{ query: 'Group' }] })
      .reply(200, page([group(5)]));
    const r = await runAction('search_groups', { query: 'Group' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([1, 2, 3, 4, 5].map(group));
    expect(r.meta.pages).toBe(3);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Found 5 groups (3 pages).');
  });

  it('honours page_size and no_of_pages (strings as a form sends them) and says more pages are available', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [{ query: 'Group', source: 'ldap' }] })
      .reply(200, page([group(1), group(2)], 'tok-2'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'tok-2' } }, data: [{ query: 'Group', source: 'ldap' }] })
      .reply(200, page([group(3), group(4)], 'tok-3'));
    const r = await runAction('search_groups', { query: 'Group', source: 'LDAP', page_size: '2', no_of_pages: '2' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([1, 2, 3, 4].map(group));
    expect(r.meta.pages).toBe(2);
    expect(r.summary).toBe('Found 4 groups (2 pages; more pages are available).');
  });

  it('sends an empty data item when neither query nor source is given', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{}] })
      .reply(200, page([]));
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('Found 0 groups (1 page).');
  });

  it('is failed when Mimecast refuses the search in fail[] inside HTTP 200', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          { key: { query: 'x' }, errors: [{ code: 'err_validation_blank', message: 'The query field must not be blank', field: 'query', retryable: false }] },
        ],
      });
    const r = await runAction('search_groups', { query: 'x' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'api_error',
      message: 'POST /api/directory/find-groups: The query field must not be blank (err_validation_blank)',
      code: 'err_validation_blank',
      field: 'query',
    });
  });

  it.each([
    [{ source: 'ad' }, 'source must be one of: cloud, ldap'],
    [{ page_size: 0 }, 'page_size must be >= 1'],
    [{ page_size: 501 }, 'page_size must be <= 500'],
    [{ no_of_pages: 'all' }, 'no_of_pages must be an integer'],
    [{ name: 'x' }, 'input has an unknown key "name" (allowed: query, source, page_size, no_of_pages, page_token)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('search_groups', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('search_groups (simulator)', () => {
  const h = useSimulator();

  it("lists the cloud groups for the seed's example", async () => {
    const r = await h.run('search_groups', example);
    expect(r.status).toBe('success');
    expect(r.data.map((g: { description: string }) => g.description)).toEqual(expect.arrayContaining(FOLDERS.map((f) => f.description)));
    expect(r.data.every((g: { source: string }) => g.source === 'cloud')).toBe(true);
    validateOutput('search_groups', r.data);
  });

  it('finds a group by query, and pages through all groups one at a time', async () => {
    const r = await h.run('search_groups', { query: 'permitted' });
    expect(r.status).toBe('success');
    expect(r.data).toEqual([FOLDERS.find((f) => f.description === 'Permitted senders')]);
    const all = await h.run('search_groups', {});
    const paged = await h.run('search_groups', { page_size: 1 });
    expect(paged.data).toEqual(all.data);
    expect(paged.meta.pages).toBe(all.data.length);
  });
});
