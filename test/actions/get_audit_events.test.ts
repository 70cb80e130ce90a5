import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/audit/get-audit-events';
const example = manifest.actions.get_audit_events.example![0];
const NOW = Date.parse('2024-10-13T17:30:00Z');
const opts = { ...fast, now: () => NOW };
const TODAY = { startDateTime: '2024-10-13T00:00:00+0000', endDateTime: '2024-10-13T17:30:00+0000' };
const event = (n: number, category = 'authentication_logs') => ({
  id: `audit-${n}`,
  auditType: 'User Logged On',
  user: 'admin@example.com',
  eventTime: `2024-10-13T0${n % 10}:00:00+0000`,
  eventInfo: `Successful authentication for admin@example.com, IP: 192.0.2.${n}, Application: Web, Method: Cloud`,
  category,
});
/** One page as Mimecast sends it: flat data[], meta.pagination.next while there are more. */
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, ...(next ? { next } : {}) } },
  data: rows,
  fail: [],
});

describe('get_audit_events (nock)', () => {
  setupNock();

  it('sends the example over today (UTC) → now with page size 100 and returns the flat data[]', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ ...TODAY, categories: ['authentication_logs'] }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, page([event(1), event(2)]));
    const r = await runAction('get_audit_events', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([event(1), event(2)]);
    expect(r.failures).toEqual([]);
    expect(r.meta).toMatchObject({ requests: 2, pages: 1 });
    expect(r.summary).toBe('Retrieved 2 audit events from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:00+0000 (1 page).');
    validateOutput('get_audit_events', r.data);
  });

  it('sends only the date window when nothing else is given', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [TODAY] })
      .reply(200, page([]));
    const r = await runAction('get_audit_events', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('Retrieved 0 audit events from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:00+0000 (1 page).');
  });

  it('sends dates (aliases start_date / end_date, any ISO form) as +0000, query and distinct categories', async () => {
    const item = {
      startDateTime: '2024-10-01T06:00:00+0000',
      endDateTime: '2024-10-02T00:00:00+0000',
      query: 'admin@example.com',
      categories: ['authentication_logs', 'account_logs'],
    };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 25 } }, data: [item] })
      .reply(200, page([event(3)]));
    const r = await runAction(
      'get_audit_events',
      {
        start_date: '2024-10-01T08:00:00+02:00',
        end_date: '2024-10-02',
        query: 'admin@example.com',
        categories: '["authentication_logs","account_logs","authentication_logs"]',
        page_size: '25',
      },
      config,
      opts,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([event(3)]);
  });

  it('follows meta.pagination.next → pageToken to the last page', async () => {
    const item = { ...TODAY, categories: ['account_logs'] };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [item] })
      .reply(200, page([event(1, 'account_logs'), event(2, 'account_logs')], 'tok2'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'tok2' } }, data: [item] })
      .reply(200, page([event(3, 'account_logs')]));
    const r = await runAction('get_audit_events', { categories: 'account_logs', page_size: 2 }, config, opts);
    expect(r.status).toBe('success');
    expect((r.data as { id: string }[]).map((e) => e.id)).toEqual(['audit-1', 'audit-2', 'audit-3']);
    expect(r.meta).toMatchObject({ requests: 3, pages: 2 });
  });

  it('with no_of_pages "1" stops after one page and says more are available', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [TODAY] })
      .reply(200, page([event(1), event(2)], 'tok2'));
    const r = await runAction('get_audit_events', { page_size: 2, no_of_pages: '1' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(2);
    expect(r.meta.pages).toBe(1);
    expect(r.summary).toBe('Retrieved 2 audit events from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:00+0000 (1 page; more pages are available).');
  });

  it('is failed when Mimecast refuses the request inside HTTP 200', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          {
            key: TODAY,
            errors: [{ code: 'err_validation_invalid_date', message: 'startDateTime is too far in the past', field: 'startDateTime', retryable: false }],
          },
        ],
      });
    const r = await runAction('get_audit_events', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_invalid_date', field: 'startDateTime' });
  });

  it('retries a read after a 503 (get-audit-events is read-only)', async () => {
    mimecast()
      .post(PATH)
      .reply(503, { fail: [{ code: 'server_error', message: 'Service unavailable' }] })
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [TODAY] })
      .reply(200, page([event(1)]));
    const r = await runAction('get_audit_events', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([event(1)]);
    expect(r.meta.requests).toBe(3);
  });

  it('names the permission when Mimecast answers 403 app_forbidden', async () => {
    mimecast().post(PATH).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('get_audit_events', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', http_status: 403 });
    expect(r.error!.hint).toContain('Account | Logs | Read');
  });

  it('shows the first page request in a dry run and sends nothing', async () => {
    const r = await runAction('get_audit_events', { query: 'admin', page_size: 50 }, config, { ...opts, dryRun: true });
    expect(r.status).toBe('success');
    const requests = (r.data as { requests: { method: string; url: string; body: unknown }[] }).requests;
    expect(requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: `${config.base_url}${PATH}`,
        body: { meta: { pagination: { pageSize: 50 } }, data: [{ ...TODAY, query: 'admin' }] },
      }),
    ]);
  });

  it.each([
    [{ start: 'yesterday' }, 'start is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
    [{ page_size: 0 }, 'page_size must be >= 1'],
    [{ page_size: 501 }, 'page_size must be <= 500'],
    [{ no_of_pages: 'two' }, 'no_of_pages must be an integer'],
    [{ categories: [''] }, 'categories[0] must not be empty'],
    [
      { query: 'x', auditType: 'User Logged On' },
      'input has an unknown key "auditType" (allowed: start, end, query, categories, page_size, no_of_pages, page_token)',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_audit_events', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_audit_events (simulator)', () => {
  // 14:00 UTC: half of the 144 events are spread over today's 14 hours (one every 11 min 40 s).
  const h = useSimulator({ now: () => new Date('2026-12-07T14:00:00Z') });
  const dayAgo = () => new Date(h.sim.now().getTime() - 24 * 3600_000 - 60_000).toISOString();

  it('runs the example: authentication events of today, newest first, valid against the output schema', async () => {
    const r = await h.run('get_audit_events', example);
    expect(r.status).toBe('success');
    expect(r.data.every((e: { category: string }) => e.category === 'authentication_logs')).toBe(true);
    const times = r.data.map((e: { eventTime: string }) => e.eventTime);
    expect(times).toEqual([...times].sort().reverse());
    validateOutput('get_audit_events', r.data);
  });

  it('pages through the last 24 hours (144 events) and filters by categories and query', async () => {
    const all = await h.run('get_audit_events', { start: dayAgo(), page_size: 50 });
    expect(all.status).toBe('success');
    expect(all.data).toHaveLength(144);
    expect(new Set(all.data.map((e: { id: string }) => e.id)).size).toBe(144);
    expect(all.meta.pages).toBe(3);
    const sizes = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { meta: { pagination: { pageSize: number } } }).meta.pagination.pageSize);
    expect(sizes).toEqual([50, 50, 50]);

    const policy = await h.run('get_audit_events', { start: dayAgo(), categories: ['policy_logs', 'directory_logs'] });
    expect(policy.data.length).toBe(48);
    expect(new Set(policy.data.map((e: { category: string }) => e.category))).toEqual(new Set(['policy_logs', 'directory_logs']));

    const failed = await h.run('get_audit_events', { start: dayAgo(), query: 'FAILED AUTHENTICATION', categories: 'authentication_logs' });
    expect(failed.data.length).toBe(24);
    expect(failed.data.every((e: { auditType: string }) => e.auditType === 'Logon Authentication Failed')).toBe(true);
  });

  it('stops after no_of_pages and keeps the window', async () => {
    const two = await h.run('get_audit_events', { start: dayAgo(), page_size: 10, no_of_pages: 2 });
    expect(two.status).toBe('success');
    expect(two.data).toHaveLength(20);
    expect(two.summary).toContain('more pages are available');
    // Today's events are at 00:00, 00:11:40, … 13:48:20: the last 65 minutes (from 12:55) hold 5.
    const hour = await h.run('get_audit_events', { start: '2026-12-07T12:55:00Z' });
    expect(hour.data.map((e: { eventTime: string }) => e.eventTime)).toEqual([
      '2026-12-07T13:48:20+0000',
      '2026-12-07T13:36:40+0000',
      '2026-12-07T13:25:00+0000',
      '2026-12-07T13:13:20+0000',
      '2026-12-07T13:01:40+0000',
    ]);
  });
});
