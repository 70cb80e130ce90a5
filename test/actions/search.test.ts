import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_PHISH_MESSAGE_ID, DEMO_PHISH_SENDER, DEMO_PHISH_SENDER_IP, DEMO_PHISH_TRACKING_ID } from '../../src/simulator/routes/message-finder.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.search.example!;
const PATH = '/api/message-finder/search';

describe('search (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0].advancedTrackAndTraceOptions and returns data[0].trackedEmails[]", async () => {
    const ok = fixture('api-message-finder-search.json');
    mimecast()
      .post(PATH, { data: [{ advancedTrackAndTraceOptions: { senderIP: '54.243.138.179' } }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok);
    const r = await runAction('search', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(ok.data[0].trackedEmails);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Found 1 tracked message.');
    expect(r.meta.requests).toBe(2);
    validateOutput('search', r.data);
  });

  it('accepts the label form of the options and senderIp, and sends senderIP', async () => {
    mimecast()
      .post(PATH, { data: [{ advancedTrackAndTraceOptions: { senderIP: '198.51.100.7', subject: 'Invoice' } }] })
      .reply(200, { meta: { status: 200 }, data: [{ trackedEmails: [] }], fail: [] });
    const r = await runAction('search', { advanced_track_and_trace_options: { senderIp: '198.51.100.7', subject: 'Invoice' } }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('Found 0 tracked messages.');
  });

  it('puts dates, search reason, message id, route, status and attachments in data[0] and only the trace keys inside the options', async () => {
    mimecast()
      .post(PATH, {
        data: [
          {
            start: '2024-10-01T00:00:00+0000',
            end: '2024-10-12T18:30:00+0000',
            searchReason: 'IR-4411 phishing triage',
            messageId: '<abc.123@mail.example.net>',
            route: ['inbound', 'internal'],
            status: ['held', 'archived'],
            attachments: true,
            advancedTrackAndTraceOptions: {
              from: 'bad.example.net',
              to: 'user1@example.com',
              subject: 'Invoice',
              senderIP: '203.0.113.9',
              url: 'http://bad.example.net/x',
            },
          },
        ],
      })
      .reply(200, fixture('api-message-finder-search.json'));
    const r = await runAction(
      'search',
      {
        start_date: '2024-10-01T00:00:00Z',
        end_date: '2024-10-12T20:30:00+02:00',
        search_reason: 'IR-4411 phishing triage',
        message_id: '<abc.123@mail.example.net>',
        route: '["Inbound", "internal"]',
        status: ['HELD', 'archived'],
        attachments: 'True',
        advanced_track_or_trace_options:
          '{"from": "bad.example.net", "to": "user1@example.com", "subject": "Invoice", "senderIp": "203.0.113.9", "url": "http://bad.example.net/x"}',
      },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(1);
  });

  it('searches by message id alone, without an options object', async () => {
    mimecast()
      .post(PATH, { data: [{ messageId: '<abc.123@mail.example.net>' }] })
      .reply(200, fixture('api-message-finder-search.json'));
    const r = await runAction('search', { message_id: '<abc.123@mail.example.net>', route: [], advanced_track_or_trace_options: '' }, config, fast);
    expect(r.status).toBe('success');
  });

  it('fails with the code Mimecast reports in fail[] inside HTTP 200 (start date too far back)', async () => {
    mimecast()
      .post(PATH, { data: [{ start: '2024-01-01T00:00:00+0000', advancedTrackAndTraceOptions: { from: 'x@y.com' } }] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          {
            key: { start: '2024-01-01T00:00:00+0000' },
            errors: [{ code: 'err_track_and_trace_invalid_start_date', message: 'Invalid start date', retryable: false }],
          },
        ],
      });
    const r = await runAction('search', { start: '2024-01-01', advanced_track_or_trace_options: { from: 'x@y.com' } }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({
      type: 'api_error',
      code: 'err_track_and_trace_invalid_start_date',
      message: 'POST /api/message-finder/search: Invalid start date (err_track_and_trace_invalid_start_date)',
    });
  });

  it.each([
    [{}, 'input needs one of: message_id, advanced_track_or_trace_options'],
    [{ search_reason: 'why', route: ['inbound'] }, 'input needs one of: message_id, advanced_track_or_trace_options'],
    [{ advanced_track_or_trace_options: {} }, 'advanced_track_or_trace_options needs one of: from, to, subject, senderIP, url'],
    [
      { advanced_track_or_trace_options: { sender: 'a@b.com' } },
      'advanced_track_or_trace_options has an unknown key "sender" (allowed: from, to, subject, senderIP, url)',
    ],
    [{ message_id: '<a@b>', route: ['all'] }, 'route[0] must be one of: internal, inbound, outbound'],
    [
      { message_id: '<a@b>', status: 'delivered' },
      'status[0] must be one of: accepted, processing, bulk_processing, delivery, bulk_delivery, held, bounced, deferred, rejected, archived',
    ],
    [
      { message_id: '<a@b>', start: 'yesterday' },
      'start is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    ],
    [{ message_id: '<a@b>', attachments: 'maybe' }, 'attachments must be a boolean'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('search', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('search (simulator)', () => {
  const h = useSimulator();
  const ids = (r: { data: { id: string }[] }) => r.data.map((e) => e.id);

  it("finds the phishing message with the seed's example (sender IP)", async () => {
    const r = await h.run('search', example[0]);
    expect(r.status).toBe('success');
    expect(ids(r)).toEqual([DEMO_PHISH_TRACKING_ID]);
    expect(r.data[0]).toMatchObject({ senderIP: DEMO_PHISH_SENDER_IP, fromEnv: { emailAddress: DEMO_PHISH_SENDER }, attachments: true, route: 'inbound' });
    validateOutput('search', r.data);
  });

  it('finds it by internet message id and by sender domain, and the tracking id leads to get_message_info', async () => {
    const byId = await h.run('search', { message_id: DEMO_PHISH_MESSAGE_ID, search_reason: 'phishing triage' });
    expect(ids(byId)).toEqual([DEMO_PHISH_TRACKING_ID]);
    const byDomain = await h.run('search', { advanced_track_or_trace_options: { from: DEMO_PHISH_SENDER.split('@')[1] } });
    expect(ids(byDomain)).toEqual([DEMO_PHISH_TRACKING_ID]);
    const info = await h.run('get_message_info', { message_id: byId.data[0].id });
    expect(info.status).toBe('success');
    expect(info.data.id).toBe(DEMO_PHISH_TRACKING_ID);
  });

  it('applies route, status and attachments filters at the item level', async () => {
    const all = await h.run('search', { advanced_track_or_trace_options: { to: 'example.com' } });
    expect(all.data.length).toBeGreaterThan(10);
    const held = await h.run('search', { advanced_track_or_trace_options: { to: 'example.com' }, status: ['held'] });
    expect(held.data.length).toBeGreaterThan(0);
    expect(held.data.every((e: { status: string }) => e.status === 'held')).toBe(true);
    const outbound = await h.run('search', { advanced_track_or_trace_options: { from: 'example.com' }, route: ['outbound'], attachments: true });
    expect(outbound.data.length).toBeGreaterThan(0);
    expect(outbound.data.every((e: { route: string; attachments: boolean }) => e.route === 'outbound' && e.attachments)).toBe(true);
    const none = await h.run('search', { advanced_track_or_trace_options: { senderIP: DEMO_PHISH_SENDER_IP }, route: ['outbound'] });
    expect(none.status).toBe('success');
    expect(none.data).toEqual([]);
  });

  it('refuses a start date more than 30 days back the way Mimecast does', async () => {
    const old = new Date(h.sim.now().getTime() - 40 * 86_400_000).toISOString();
    const r = await h.run('search', { start: old, advanced_track_or_trace_options: { from: DEMO_PHISH_SENDER } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'err_track_and_trace_invalid_start_date' });
  });
});
