import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_email_queues.example!;
const PATH = '/api/email/get-email-queues';

const inbound = [
  { date: '2024-12-09T10:00:00+0000', count: 14 },
  { date: '2024-12-10T10:00:00+0000', count: 9 },
];
const outbound = [
  { date: '2024-12-09T10:00:00+0000', count: 3 },
  { date: '2024-12-10T10:00:00+0000', count: 0 },
];

describe('get_email_queues (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0] {start, end} and returns {inbound, outbound}", async () => {
    mimecast()
      .post(PATH, { data: [{ start: '2023-12-10T10:10:18+0000', end: '2024-12-10T10:10:18+0000' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [{ inboundEmailQueue: inbound, outboundEmailQueue: outbound }], fail: [] });
    const r = await runAction('get_email_queues', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ inbound, outbound });
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Retrieved 2 inbound queue counts and 2 outbound queue counts from 2023-12-10T10:10:18+0000 to 2024-12-10T10:10:18+0000.');
    expect(r.meta.requests).toBe(2);
    validateOutput('get_email_queues', r.data);
  });

  it('accepts the label forms start_date / end_date and any ISO 8601 spelling', async () => {
    mimecast()
      .post(PATH, { data: [{ start: '2024-12-10T08:00:00+0000', end: '2024-12-10T12:30:00+0000' }] })
      .reply(200, { meta: { status: 200 }, data: [{ inboundEmailQueue: [], outboundEmailQueue: [] }], fail: [] });
    const r = await runAction('get_email_queues', { start_date: '2024-12-10T09:00:00+01:00', end_date: '2024-12-10T12:30Z' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ inbound: [], outbound: [] });
  });

  it('returns empty lists when Mimecast omits a queue', async () => {
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [{ inboundEmailQueue: inbound }], fail: [] });
    const r = await runAction('get_email_queues', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ inbound, outbound: [] });
    validateOutput('get_email_queues', r.data);
  });

  it('fails with the Mimecast error when fail[] is set inside HTTP 200', async () => {
    const key = { start: '2020-12-10T10:10:18+0000', end: '2023-12-10T10:10:18+0000' };
    mimecast()
      .post(PATH, { data: [key] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          { key, errors: [{ code: 'err_validation_invalid_date_range', message: 'start is outside the retention period', field: 'start', retryable: false }] },
        ],
      });
    const r = await runAction('get_email_queues', key, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({
      type: 'api_error',
      code: 'err_validation_invalid_date_range',
      message: `POST ${PATH}: start is outside the retention period (err_validation_invalid_date_range)`,
    });
  });

  it.each([
    [{ start: '2024-12-10T10:10:18+0000' }, 'end is required', 'end'],
    [{ end: '2024-12-10T10:10:18+0000' }, 'start is required', 'start'],
    [
      { start: 'yesterday', end: '2024-12-10T10:10:18+0000' },
      'start is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
      'start',
    ],
    [
      { start: '2024-12-09T00:00:00Z', start_date: '2024-12-08T00:00:00Z', end: '2024-12-10T00:00:00Z' },
      'start was given twice (as "start" and as "start_date"); give it once',
      'start',
    ],
  ])('refuses %j before sending anything', async (input, message, field) => {
    const r = await runAction('get_email_queues', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_email_queues (simulator)', () => {
  const h = useSimulator();

  it("answers the seed's example with daily inbound and outbound counts inside the period", async () => {
    const r = await h.run('get_email_queues', example[0]);
    expect(r.status).toBe('success');
    validateOutput('get_email_queues', r.data);
    expect(r.data.inbound.length).toBeGreaterThan(0);
    expect(r.data.outbound.length).toBe(r.data.inbound.length);
    for (const s of r.data.inbound) {
      expect(s.date >= '2023-12-10T10:10:18+0000' && s.date <= '2024-12-10T10:10:18+0000').toBe(true);
      expect(Number.isInteger(s.count)).toBe(true);
    }
    expect(h.sim.requests.at(-1)?.body).toEqual({ data: [{ start: '2023-12-10T10:10:18+0000', end: '2024-12-10T10:10:18+0000' }] });
  });

  it('gives hourly samples for a short period', async () => {
    const r = await h.run('get_email_queues', { start: '2024-12-10T00:00:00Z', end: '2024-12-10T05:00:00Z' });
    expect(r.status).toBe('success');
    expect(r.data.inbound.map((s: { date: string }) => s.date)).toEqual(['00', '01', '02', '03', '04', '05'].map((hh) => `2024-12-10T${hh}:00:00+0000`));
  });

  it('refuses an end before the start before asking Mimecast (which would refuse it too)', async () => {
    const r = await h.run('get_email_queues', { start: '2024-12-10T00:00:00Z', end: '2024-12-01T00:00:00Z' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'input_error', field: 'end' });
    expect(r.meta.requests).toBe(0);
  });
});
