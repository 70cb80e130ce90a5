import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.get_managed_urls.example![0];
const URL_ = 'https://examplemaliciousdomain.com/attack-vector';
const PATH = '/api/ttp/url/get-all-managed-urls';
const lastPage = (rows: unknown[]) => ({ meta: { status: 200, pagination: { pageSize: rows.length, totalCount: rows.length } }, data: rows, fail: [] });

describe('get_managed_urls (nock)', () => {
  setupNock();

  it("sends the seed's example (domainOrUrl, domainOrComment, defaults) and follows meta.pagination.next to the last page", async () => {
    const page1 = fixture('api-ttp-url-get-all-managed-urls-paginated.json');
    const more = { ...page1.data[0], id: 'third', domain: 'third.example.net' };
    const filters = { domainOrUrl: URL_, domainOrComment: URL_, exactMatch: false, sortByUrl: false };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [filters] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, page1)
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: page1.meta.pagination.next } }, data: [filters] })
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1, totalCount: 31, previous: 'p' } }, data: [more], fail: [] });
    const r = await runAction('get_managed_urls', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([...page1.data, more]);
    expect(r.failures).toEqual([]);
    expect(r.meta).toMatchObject({ requests: 3, pages: 2 });
    expect(r.summary).toBe('Retrieved 3 managed URL entries (3 blocked, 0 permitted; 2 pages).');
    validateOutput('get_managed_urls', r.data);
  });

  it('sends only the defaults when no parameter is given', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ exactMatch: false, sortByUrl: false }] })
      .reply(200, lastPage([]));
    const r = await runAction('get_managed_urls', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
  });

  it('maps exact match and sort options to their Mimecast keys, and sends no filterBy for filter by', async () => {
    const body = { domainOrUrl: 'examplemaliciousdomain.com', exactMatch: true, sortByUrl: true, sortOrder: 'desc' };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [body] })
      .reply(200, lastPage([]));
    const r = await runAction(
      'get_managed_urls',
      { domain_or_url: 'examplemaliciousdomain.com', exact_match: 'True', filter_by: 'Blocked', sort_by_url: 'true', sort_order: 'DESC' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
  });

  it('filters by blocked / permitted on the action of the entries of every page', async () => {
    const [blockA, blockB] = fixture('api-ttp-url-get-all-managed-urls-paginated.json').data;
    const permitA = { ...blockA, id: 'permit-a', action: 'permit', domain: 'partner.example.org' };
    const permitB = { ...blockB, id: 'permit-b', action: 'PERMIT', domain: 'vendor.example.org' };
    const defaults = { exactMatch: false, sortByUrl: false };
    const pages = () =>
      mimecast()
        .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [defaults] })
        .reply(200, { meta: { status: 200, pagination: { pageSize: 2, totalCount: 4, next: 'tok2' } }, data: [blockA, permitA], fail: [] })
        .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok2' } }, data: [defaults] })
        .reply(200, lastPage([permitB, blockB]));
    pages();
    const blocked = await runAction('get_managed_urls', { filter_by: ['blocked'] }, config, fast);
    expect(blocked.status).toBe('success');
    expect(blocked.data).toEqual([blockA, blockB]);
    expect(blocked.summary).toBe('Retrieved 2 managed URL entries (2 blocked, 0 permitted; 2 pages; 4 listed before the filter).');
    validateOutput('get_managed_urls', blocked.data);
    pages();
    const permitted = await runAction('get_managed_urls', { filter_by: 'Permitted' }, config, fast);
    expect(permitted.data).toEqual([permitA, permitB]);
    expect(permitted.summary).toBe('Retrieved 2 managed URL entries (0 blocked, 2 permitted; 2 pages; 4 listed before the filter).');
    pages();
    const both = await runAction('get_managed_urls', { filter_by: '["permitted","blocked","Permitted"]' }, config, fast);
    expect(both.data).toEqual([blockA, permitA, permitB, blockB]);
    expect(both.summary).toBe('Retrieved 4 managed URL entries (2 blocked, 2 permitted; 2 pages; 4 listed before the filter).');
  });

  it('keeps every entry for "all", and sends no sortOrder unless Sort by URL is true', async () => {
    const [blockA] = fixture('api-ttp-url-get-all-managed-urls-paginated.json').data;
    const permitA = { ...blockA, id: 'permit-a', action: 'permit' };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ exactMatch: false, sortByUrl: false }] })
      .reply(200, lastPage([blockA, permitA]));
    const r = await runAction('get_managed_urls', { filter_by: ['permitted', 'all'], sort_order: 'desc' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([blockA, permitA]);
    expect(r.summary).toBe('Retrieved 2 managed URL entries (1 blocked, 1 permitted; 1 page).');
  });

  it('fails with a permission_error naming the permission when Mimecast answers 403 app_forbidden', async () => {
    mimecast().post(PATH).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('get_managed_urls', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', http_status: 403 });
    expect(r.error!.hint).toContain('Services | Targeted Threat Protection - URL Protect | Edit');
  });

  it.each([
    [{ filter_by: ['none'] }, 'filter_by[0] must be one of: all, permitted, blocked'],
    [{ sort_order: 'up' }, 'sort_order must be one of: asc, desc'],
    [{ exact_match: 'maybe' }, 'exact_match must be a boolean'],
    [
      { domain: 'x.com' },
      'input has an unknown key "domain" (allowed: domain_or_content, domain_or_url, exact_match, filter_by, sort_by_url, sort_order, page_token)',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_managed_urls', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_managed_urls (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example (no entry matches it yet), then lists the URL once create_managed_url has added it", async () => {
    const before = await h.run('get_managed_urls', example);
    expect(before.status).toBe('success');
    expect(before.data).toEqual([]);
    const created = await h.run('create_managed_url', { url_information: [{ url: URL_, action: 'block', comment: 'phishing kit' }] });
    expect(created.status).toBe('success');
    const after = await h.run('get_managed_urls', example);
    expect(after.status).toBe('success');
    expect(after.data).toEqual(created.data);
    validateOutput('get_managed_urls', after.data);
  });

  it('returns the whole list (the fixture entries and more), filters by override type and sorts by URL', async () => {
    const all = await h.run('get_managed_urls', {});
    expect(all.status).toBe('success');
    expect(all.data.length).toBe(31);
    expect(all.data.map((u: { domain: string }) => u.domain)).toEqual(expect.arrayContaining(['www.testset3444412312.net', 'aadroid.net', 'www.test.net']));
    const permitted = await h.run('get_managed_urls', { filter_by: ['permitted'] });
    expect(permitted.data.length).toBeGreaterThan(0);
    expect(permitted.data.every((u: { action: string }) => u.action === 'permit')).toBe(true);
    const blocked = await h.run('get_managed_urls', { filter_by: ['blocked'] });
    expect(blocked.data.length).toBeGreaterThan(0);
    expect(blocked.data.every((u: { action: string }) => u.action === 'block')).toBe(true);
    expect(blocked.data.length + permitted.data.length).toBe(31);
    expect(h.sim.requests.filter((q) => q.path === PATH).every((q) => !('filterBy' in (q.body as { data: Record<string, unknown>[] }).data[0]))).toBe(true);
    const sorted = await h.run('get_managed_urls', { domain_or_content: 'login-verify', sort_by_url: true, sort_order: 'desc' });
    const urls = sorted.data.map((u: { domain: string }) => u.domain);
    expect(urls.length).toBeGreaterThan(1);
    expect(urls).toEqual([...urls].sort().reverse());
    const exact = await h.run('get_managed_urls', { domain_or_url: 'aadroid.net', exact_match: true });
    expect(exact.data.map((u: { domain: string }) => u.domain)).toEqual(['aadroid.net']);
  });

  it('walks every page when the list is longer than one page (100 entries)', async () => {
    const urls = Array.from({ length: 80 }, (_, i) => ({ url: `https://bulk-${i + 1}.example.com/x`, action: 'block' }));
    const created = await h.run('create_managed_url', { url_information: urls });
    expect(created.status).toBe('success');
    const all = await h.run('get_managed_urls', {});
    expect(all.status).toBe('success');
    expect(all.data.length).toBe(111);
    expect(new Set(all.data.map((u: { id: string }) => u.id)).size).toBe(111);
    expect(all.meta.pages).toBe(2);
  });
});
