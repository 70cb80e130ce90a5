import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_PHISH_RECIPIENTS, DEMO_PHISH_SENDER, DEMO_PHISH_TRACKING_ID } from '../../src/simulator/routes/message-finder.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_message_info.example! as { message_id: string }[];
const ID = example[0].message_id;
const PATH = '/api/message-finder/get-message-info';

const messageInfo = {
  fromHeader: 'mark@pilot-meadow.example.net',
  fromEnvelope: 'mark@pilot-meadow.example.net',
  to: ['a@example.com', 'b@example.com'],
  cc: [],
  subject: 'Demand Ken Lay Donate Proceeds',
  sent: '2022-07-18T13:25:21+0000',
  processed: '2022-07-18T13:25:21+0000',
};
const deliveredTo = (rcpt: string) => ({
  messageInfo: { ...messageInfo, route: 'inbound' },
  policyInfo: [{ policyType: 'Spam Scanning', policyName: 'Relaxed Spam Detection', inherited: false }],
  deliveryMetaInfo: { deliveryEvent: 'Email Delivered via Routing Rule', emailAddress: rcpt, remoteIp: '34.235.45.235', transmissionSize: 5754 },
});
const info = {
  recipientInfo: { messageInfo, recipientMetaInfo: { receiptEvent: 'Email Received - SPF check failed', remoteIp: '54.236.186.184' } },
  deliveredMessage: { 'a@example.com': deliveredTo('a@example.com'), 'b@example.com': deliveredTo('b@example.com') },
  retentionInfo: { purgeBasedOn: 'original', retentionAdjustmentDays: -1 },
  status: 'archived',
  spamInfo: { spamScore: 2, detectionLevel: 'relaxed' },
  id: ID,
};

describe('get_message_info (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0].id and keeps Mimecast's record, adding deliveredMessage as a list", async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [info], fail: [] });
    const r = await runAction('get_message_info', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      ...info,
      delivered: [
        { recipient: 'a@example.com', ...deliveredTo('a@example.com') },
        { recipient: 'b@example.com', ...deliveredTo('b@example.com') },
      ],
    });
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('"Demand Ken Lay Donate Proceeds" (archived) was delivered to 2 recipients.');
    expect(r.meta.requests).toBe(2);
    validateOutput('get_message_info', r.data);
  });

  it('gives an empty delivered list when Mimecast delivered nothing (held message)', async () => {
    const held = { ...info, status: 'held', deliveredMessage: {} };
    mimecast()
      .post(PATH, { data: [{ id: 'eNpHeld1' }] })
      .reply(200, { meta: { status: 200 }, data: [held], fail: [] });
    const r = await runAction('get_message_info', { id: 'eNpHeld1' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ ...held, delivered: [] });
    expect(r.summary).toBe('"Demand Ken Lay Donate Proceeds" (held) was delivered to 0 recipients.');
  });

  it("reports Mimecast's fail[] for an unknown id as not_found", async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'eNpGone' }] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          { key: { id: 'eNpGone' }, errors: [{ code: 'err_message_not_found', message: 'The message could not be found', field: 'id', retryable: false }] },
        ],
      });
    const r = await runAction('get_message_info', { message_id: 'eNpGone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'not_found',
      code: 'err_message_not_found',
      message: 'POST /api/message-finder/get-message-info: The message could not be found (err_message_not_found)',
    });
  });

  it('is not_found when Mimecast answers with no record and no fail[]', async () => {
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('get_message_info', { message_id: 'eNpGone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'not_found',
      message: `POST ${PATH}: Mimecast returned no message info for this ID`,
      hint: 'Use a tracking id from the Search action (trackedEmails[].id).',
    });
  });

  it.each([
    [{}, 'message_id is required'],
    [{ message_id: '' }, 'message_id is required'],
    [{ message_id: 'a', ids: ['b'] }, 'input has an unknown key "ids" (allowed: message_id)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_message_info', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_message_info (simulator)', () => {
  const h = useSimulator();

  it("returns the phishing message's record for the seed's example, delivered to each recipient", async () => {
    const r = await h.run('get_message_info', example[0]);
    expect(r.status).toBe('success');
    expect(r.data.id).toBe(DEMO_PHISH_TRACKING_ID);
    expect(r.data.recipientInfo.messageInfo.fromEnvelope).toBe(DEMO_PHISH_SENDER);
    expect(Object.keys(r.data.deliveredMessage)).toEqual(DEMO_PHISH_RECIPIENTS);
    expect(r.data.delivered.map((d: { recipient: string }) => d.recipient)).toEqual(DEMO_PHISH_RECIPIENTS);
    expect(r.data.delivered[0].deliveryMetaInfo.emailAddress).toBe(DEMO_PHISH_RECIPIENTS[0]);
    validateOutput('get_message_info', r.data);
  });

  it('shows a held message found by Search as not delivered, and an unknown id as not_found', async () => {
    const held = await h.run('search', { advanced_track_or_trace_options: { to: 'example.com' }, status: ['held'] });
    const r = await h.run('get_message_info', { message_id: held.data[0].id });
    expect(r.status).toBe('success');
    expect(r.data.status).toBe('held');
    expect(r.data.delivered).toEqual([]);
    const gone = await h.run('get_message_info', { message_id: 'eNpNoSuchMessage' });
    expect(gone.status).toBe('failed');
    expect(gone.error).toMatchObject({ type: 'not_found', code: 'err_message_not_found' });
  });
});
