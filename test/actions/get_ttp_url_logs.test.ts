import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const PATH = '/api/ttp/url/get-logs';
const example = manifest.actions.get_ttp_url_logs.example![0];
const NOW = Date.parse('2024-10-13T17:30:45Z');
const opts = { ...fast, now: () => NOW };
const DEFAULT_ITEM = { from: '2024-10-13T00:00:00+0000', to: '2024-10-13T17:30:45+0000', route: 'all', scanResult: 'all', oldestFirst: false };

const click = (n: number, scanResult = 'clean') => ({
  action: scanResult === 'clean' ? 'allow' : 'block',
  adminOverride: 'N/A',
  category: 'Business',
  date: `2024-10-13T0${n}:00:00+0000`,
  route: 'inbound',
  scanResult,
  url: `https://intranet.example.com/page/${n}`,
  userAwarenessAction: 'n/a',
  userEmailAddress: `user${n}@example.com`,
  userOverride: 'None',
});
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, ...(next ? { next } : {}) } },
  data: [{ clickLogs: rows }],
  fail: [],
});

describe('get_ttp_url_logs (nock)', () => {
  setupNock();

  it("sends the seed's example with the default window (start of the UTC day → now) and reads data[0].clickLogs", async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [DEFAULT_ITEM] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, page([click(1), click(2, 'malicious')]));
    const r = await runAction('get_ttp_url_logs', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([click(1), click(2, 'malicious')]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.meta.pages).toBe(1);
    expect(r.summary).toBe('Retrieved 2 URL click logs from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:45+0000 (1 page).');
    validateOutput('get_ttp_url_logs', r.data);
  });

  it('sends the route/scanResult/oldestFirst defaults ("all", "all", false) for an empty input and walks every page', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [DEFAULT_ITEM] })
      .reply(200, page([click(1)], 'p2'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'p2' } }, data: [DEFAULT_ITEM] })
      .reply(200, page([click(2)], 'p3'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'p3' } }, data: [DEFAULT_ITEM] })
      .reply(200, page([click(3)]));
    const r = await runAction('get_ttp_url_logs', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([click(1), click(2), click(3)]);
    expect(r.meta.pages).toBe(3);
    expect(r.meta.requests).toBe(4);
  });

  it.each([
    ['start_date/end_date aliases in Z and +00:00 form', { start_date: '2024-10-10T08:00:00Z', end_date: '2024-10-11T09:30:00+00:00' }],
    ['canonical keys already in Mimecast form', { start: '2024-10-10T08:00:00+0000', end: '2024-10-11T09:30:00+0000' }],
    ['another offset and fractional seconds, converted to UTC', { start: '2024-10-10T10:00:00.250+02:00', end: '2024-10-11T04:30:00-05:00' }],
  ])('sends %s as +0000', async (_what, dates) => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 100 } },
        data: [{ from: '2024-10-10T08:00:00+0000', to: '2024-10-11T09:30:00+0000', route: 'all', scanResult: 'all', oldestFirst: false }],
      })
      .reply(200, page([click(1)]));
    const r = await runAction('get_ttp_url_logs', dates, config, opts);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Retrieved 1 URL click log from 2024-10-10T08:00:00+0000 to 2024-10-11T09:30:00+0000 (1 page).');
  });

  it('sends the filters (allowed values in any case, Boolean as text) and a date-only start', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 100 } },
        data: [{ from: '2024-10-12T00:00:00+0000', to: DEFAULT_ITEM.to, route: 'inbound', scanResult: 'malicious', oldestFirst: true }],
      })
      .reply(200, page([click(4, 'malicious')]));
    const r = await runAction('get_ttp_url_logs', { start: '2024-10-12', route: 'Inbound', scan_result: 'MALICIOUS', oldest_first: 'True' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([click(4, 'malicious')]);
  });

  it('with page_size "10" and no_of_pages "2" stops after 2 pages and says more are available', async () => {
    const ten = (p: number) => Array.from({ length: 10 }, (_, i) => ({ ...click(1), url: `https://intranet.example.com/p${p}/${i}` }));
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 10 } }, data: [DEFAULT_ITEM] })
      .reply(200, page(ten(1), 'p2'))
      .post(PATH, { meta: { pagination: { pageSize: 10, pageToken: 'p2' } }, data: [DEFAULT_ITEM] })
      .reply(200, page(ten(2), 'p3'));
    const r = await runAction('get_ttp_url_logs', { page_size: '10', no_of_pages: '2' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([...ten(1), ...ten(2)]);
    expect(r.meta.pages).toBe(2);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Retrieved 20 URL click logs from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:45+0000 (2 pages; more pages are available).');
  });

  it('is failed when Mimecast refuses the request in fail[] inside HTTP 200', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: {}, errors: [{ code: 'err_validation_invalid_date', message: 'from is not a valid date', field: 'from', retryable: false }] }],
      });
    const r = await runAction('get_ttp_url_logs', example, config, opts);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'api_error',
      message: 'POST /api/ttp/url/get-logs: from is not a valid date (err_validation_invalid_date)',
      code: 'err_validation_invalid_date',
      field: 'from',
    });
  });

  it('reports HTTP 403 as a permission_error naming the permission', async () => {
    mimecast()
      .post(PATH)
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Forbidden to perform the requested operation' }] });
    const r = await runAction('get_ttp_url_logs', example, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'permission_error',
      http_status: 403,
      hint: 'Give the API application\'s role the "Monitoring | URL Protection | Read" permission in Mimecast (Administration → Roles).',
    });
  });

  it.each([
    [{ start: 'yesterday' }, 'start is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
    [{ start_date: '12/10/2024' }, 'start is not a valid ISO 8601 date-time: "12/10/2024" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
    [{ end: '2024-02-31T00:00:00Z' }, 'end is not a valid ISO 8601 date-time: "2024-02-31T00:00:00Z" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
    [{ start: '2024-10-10T00:00:00Z', start_date: '2024-10-11T00:00:00Z' }, 'start was given twice (as "start" and as "start_date"); give it once'],
    [{ scan_result: 'phishing' }, 'scan_result must be one of: clean, malicious, suspicious, all'],
    [{ route: 'external' }, 'route must be one of: inbound, outbound, internal, all'],
    [{ oldest_first: 'maybe' }, 'oldest_first must be a boolean'],
    [{ page_size: '0' }, 'page_size must be >= 1'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_ttp_url_logs', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_ttp_url_logs (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example with success, newest first, within today (UTC)", async () => {
    const startOfToday = `${h.sim.now().toISOString().slice(0, 10)}T00:00:00+0000`;
    const r = await h.run('get_ttp_url_logs', example);
    expect(r.status).toBe('success');
    validateOutput('get_ttp_url_logs', r.data);
    const dates = r.data.map((l: { date: string }) => l.date);
    expect(dates.every((d: string) => d >= startOfToday)).toBe(true);
    expect(dates).toEqual([...dates].sort().reverse());
    const sent = h.sim.requests.find((q) => q.path === PATH)!.body as { data: Record<string, unknown>[] };
    expect(sent.data).toEqual([
      {
        from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\+0000$/),
        to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/),
        route: 'all',
        scanResult: 'all',
        oldestFirst: false,
      },
    ]);
  });

  it('filters by route and scan result oldest first, and stops after no_of_pages', async () => {
    const start = new Date(h.sim.now().getTime() - 24 * 3600_000).toISOString();
    const r = await h.run('get_ttp_url_logs', { start_date: start, route: 'inbound', scan_result: 'clean', oldest_first: true, page_size: 7 });
    expect(r.status).toBe('success');
    expect(r.data.length).toBeGreaterThan(7);
    expect(r.meta.pages).toBe(Math.ceil(r.data.length / 7));
    expect(new Set(r.data.map((l: { route: string }) => l.route))).toEqual(new Set(['inbound']));
    expect(new Set(r.data.map((l: { scanResult: string }) => l.scanResult))).toEqual(new Set(['clean']));
    const dates = r.data.map((l: { date: string }) => l.date);
    expect(dates).toEqual([...dates].sort());
    const two = await h.run('get_ttp_url_logs', { start_date: start, page_size: '10', no_of_pages: '2' });
    expect(two.data).toHaveLength(20);
    expect(two.meta.pages).toBe(2);
    expect(two.summary).toContain('more pages are available');
  });
});
