import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_MALICIOUS_SHA256 } from '../../src/simulator/routes/remediation.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/attachment/get-logs';
const example = manifest.actions.get_ttp_attachment_protection_logs.example![0];
const NOW = Date.parse('2024-10-13T17:30:00Z');
const opts = { ...fast, now: () => NOW };
const log = (n: number, result = 'safe') => ({
  result,
  date: `2024-10-13T0${n}:00:00+0000`,
  senderAddress: 'a@partner.example.org',
  recipientAddress: 'b@example.com',
  fileName: `f${n}.pdf`,
  fileType: 'application/pdf',
  fileHash: DEMO_MALICIOUS_SHA256,
  actionTriggered: 'none',
  route: 'inbound',
  details: 'Safe',
});
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, ...(next ? { next } : {}) } },
  data: [{ attachmentLogs: rows }],
  fail: [],
});

describe('get_ttp_attachment_protection_logs (nock)', () => {
  setupNock();

  it('sends the seed\'s example (page_size "10", no_of_pages "1" as strings) and reads data[0].attachmentLogs', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 10 } },
        data: [{ from: '2024-10-12T18:30:00+0000', to: '2024-10-13T17:30:00+0000', route: 'all', result: 'all', oldestFirst: true }],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, page([log(1), log(2)], 'more'));
    const r = await runAction('get_ttp_attachment_protection_logs', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(1), log(2)]);
    expect(r.meta.pages).toBe(1);
    expect(r.summary).toBe(
      'Retrieved 2 attachment protection logs from 2024-10-12T18:30:00+0000 to 2024-10-13T17:30:00+0000 (1 page; more pages are available).',
    );
    validateOutput('get_ttp_attachment_protection_logs', r.data);
  });

  it('defaults to start of today (UTC) → now, route all, result all, newest first, 100 per page, every page', async () => {
    const item = { from: '2024-10-13T00:00:00+0000', to: '2024-10-13T17:30:00+0000', route: 'all', result: 'all', oldestFirst: false };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [item] })
      .reply(200, page([log(1)], 'p2'))
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'p2' } }, data: [item] })
      .reply(200, page([log(2)]));
    const r = await runAction('get_ttp_attachment_protection_logs', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(1), log(2)]);
    expect(r.meta.pages).toBe(2);
  });

  it('sends result and route filters (any case) and the start_date/end_date aliases', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 50 } },
        data: [{ from: '2024-10-10T00:00:00+0000', to: '2024-10-11T00:00:00+0000', route: 'outbound', result: 'malicious', oldestFirst: false }],
      })
      .reply(200, page([log(3, 'malicious')]));
    const r = await runAction(
      'get_ttp_attachment_protection_logs',
      { result: 'MALICIOUS', route: 'Outbound', start_date: '2024-10-10', end_date: '2024-10-11T00:00:00Z', page_size: 50 },
      config,
      opts,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(3, 'malicious')]);
  });

  it('is failed when Mimecast refuses the request in fail[]', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ errors: [{ code: 'err_validation_invalid_date', message: 'from is not valid', field: 'from', retryable: false }] }],
      });
    const r = await runAction('get_ttp_attachment_protection_logs', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_invalid_date', field: 'from' });
  });

  it.each([
    [{ result: 'clean' }, 'result must be one of: safe, malicious, timeout, error, unsafe, all'],
    [{ route: 'external' }, 'route must be one of: inbound, outbound, internal, all'],
    [{ page_size: '0' }, 'page_size must be >= 1'],
    [{ no_of_pages: 'ten' }, 'no_of_pages must be an integer'],
    [{ start: 'today' }, 'start is not a valid ISO 8601 date-time: "today" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_ttp_attachment_protection_logs', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_ttp_attachment_protection_logs (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example with success", async () => {
    const r = await h.run('get_ttp_attachment_protection_logs', example);
    expect(r.status).toBe('success');
    validateOutput('get_ttp_attachment_protection_logs', r.data);
  });

  it('filters malicious inbound logs of the last 24 h, pages them oldest first, and carries the demo hash', async () => {
    const start = new Date(h.sim.now().getTime() - 24 * 3600_000).toISOString();
    const r = await h.run('get_ttp_attachment_protection_logs', { start, result: 'malicious', route: 'all', page_size: 5, oldest_first: true });
    expect(r.status).toBe('success');
    expect(r.data.length).toBeGreaterThan(5);
    expect(r.meta.pages).toBe(Math.ceil(r.data.length / 5));
    expect(new Set(r.data.map((l: { result: string }) => l.result))).toEqual(new Set(['malicious']));
    expect(new Set(r.data.map((l: { fileHash: string }) => l.fileHash))).toEqual(new Set([DEMO_MALICIOUS_SHA256]));
    const dates = r.data.map((l: { date: string }) => l.date);
    expect(dates).toEqual([...dates].sort());
    const two = await h.run('get_ttp_attachment_protection_logs', { start, page_size: 5, no_of_pages: 2 });
    expect(two.data).toHaveLength(10);
    expect(two.summary).toContain('more pages are available');
  });
});
