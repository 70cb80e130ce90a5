import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_MALICIOUS_SHA256 } from '../../src/simulator/routes/remediation.js';
import { DEMO_PHISH_MESSAGE_ID, DEMO_PHISH_RECIPIENTS } from '../../src/simulator/routes/message-finder.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/remediation/create';
const example = manifest.actions.create_remediation_incident.example![0];
/** 2024-03-31T17:30:00Z: one calendar month before is clamped to 2024-02-29. */
const NOW = Date.parse('2024-03-31T17:30:00Z');
const opts = { ...fast, now: () => NOW };
const WINDOW = { start: '2024-02-29T17:30:00+0000', end: '2024-03-31T17:30:00+0000' };

describe('create_remediation_incident (nock)', () => {
  setupNock();

  it('sends the example with the default window (one calendar month before now → now) and returns the incident', async () => {
    const incident = fixture('api-ttp-remediation-get-incident.json');
    mimecast()
      .post(PATH, { data: [{ reason: 'Phishing campaign reported by users', searchBy: 'hash', hashOrMessageId: DEMO_MALICIOUS_SHA256, ...WINDOW }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, incident);
    const r = await runAction('create_remediation_incident', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(incident.data[0]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe(`Created remediation incident TR-CSND1A7780-00045-M for hash ${DEMO_MALICIOUS_SHA256} (3 message(s) identified).`);
    validateOutput('create_remediation_incident', r.data);
  });

  it.each([
    ['abc@host', '<abc@host>'],
    ['<abc@host>', '<abc@host>'],
    [' <abc@host', '<abc@host>'],
  ])('sends message id %j as %j, search_by in any case, with start_date/end_date aliases', async (given, sent) => {
    const incident = fixture('api-ttp-remediation-get-incident.json');
    mimecast()
      .post(PATH, {
        data: [{ reason: 'CEO fraud', searchBy: 'messageId', hashOrMessageId: sent, start: '2024-03-01T00:00:00+0000', end: '2024-03-02T10:00:00+0000' }],
      })
      .reply(200, incident);
    const r = await runAction(
      'create_remediation_incident',
      { reason: 'CEO fraud', search_by: 'MESSAGEID', hash_or_message_id: given, start_date: '2024-03-01', end_date: '2024-03-02T12:00:00+02:00' },
      config,
      opts,
    );
    expect(r.status).toBe('success');
  });

  it('sends a URL remediation with url (alias of url_value) and no hashOrMessageId', async () => {
    mimecast()
      .post(PATH, { data: [{ reason: 'Credential phish', searchBy: 'url', url: 'https://login.evil.example/verify', ...WINDOW }] })
      .reply(200, fixture('api-ttp-remediation-get-incident.json'));
    const r = await runAction(
      'create_remediation_incident',
      { reason: 'Credential phish', search_by: 'url', url: 'https://login.evil.example/verify' },
      config,
      opts,
    );
    expect(r.status).toBe('success');
  });

  it('an answer without the incident is an api_error naming the call, with what to check before creating it again', async () => {
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('create_remediation_incident', { reason: 'x', hash_or_message_id: DEMO_MALICIOUS_SHA256, search_by: 'hash' }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'api_error',
      message: `POST ${PATH}: Mimecast reported success but returned no incident`,
      hint: 'Check Threat Remediation in the Administration Console before creating the incident again.',
    });
  });

  it('is failed with Mimecast’s error when fail[] refuses the incident', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: {}, errors: [{ code: 'err_validation_blank', message: 'reason must not be blank', field: 'reason', retryable: false }] }],
      });
    const r = await runAction('create_remediation_incident', { reason: 'x', hash_or_message_id: DEMO_MALICIOUS_SHA256, search_by: 'hash' }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_blank', field: 'reason' });
  });

  it('is never re-sent after a 5xx (a write that may have been applied)', async () => {
    mimecast().post(PATH).reply(503, 'Service Unavailable');
    const r = await runAction('create_remediation_incident', { reason: 'x', hash_or_message_id: DEMO_MALICIOUS_SHA256, search_by: 'hash' }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.meta.requests).toBe(2);
  });

  it.each([
    [{ reason: 'x', search_by: 'url' }, 'url_value is required when search_by is url'],
    [{ reason: 'x', search_by: 'url', hash_or_message_id: 'abc@host' }, 'url_value is required when search_by is url'],
    [{ reason: 'x', search_by: 'hash', url_value: 'https://a.example' }, 'hash_or_message_id is required when search_by is hash or messageId'],
    [{ reason: 'x', search_by: 'messageId', url: 'https://a.example' }, 'hash_or_message_id is required when search_by is hash or messageId'],
    [{ reason: 'x' }, 'input needs one of: hash_or_message_id, url_value'],
    [{ hash_or_message_id: DEMO_MALICIOUS_SHA256 }, 'reason is required'],
    [{ reason: 'x', search_by: 'subject', hash_or_message_id: 'a' }, 'search_by must be one of: hash, messageId, url'],
    [
      { reason: 'x', hash_or_message_id: 'a', start: 'yesterday' },
      'start is not a valid ISO 8601 date-time: "yesterday" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('create_remediation_incident', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_remediation_incident (simulator)', () => {
  const h = useSimulator();

  it('creates an incident that find_remediation_incidents and get_remediation_incident then return', async () => {
    const created = await h.run('create_remediation_incident', {
      reason: 'Sim phishing wave 42',
      search_by: 'messageId',
      hash_or_message_id: 'CAF=xyz@mail.example.com',
    });
    expect(created.status).toBe('success');
    validateOutput('create_remediation_incident', created.data);
    expect(created.data.searchCriteria.messageId).toBe('<CAF=xyz@mail.example.com>');
    const found = await h.run('find_remediation_incidents', { search_by: { fieldName: 'reason', value: 'phishing wave 42' } });
    expect(found.status).toBe('success');
    expect(found.data).toEqual([created.data]);
    const got = await h.run('get_remediation_incident', { remediation_incident_ids: [created.data.id] });
    expect(got.status).toBe('success');
    expect(got.data).toEqual([created.data]);
  });

  it('a message id identifies one copy per mailbox it reached, and an unknown one identifies none (said in the summary)', async () => {
    const known = await h.run('create_remediation_incident', { reason: 'IR-1', search_by: 'messageId', hash_or_message_id: DEMO_PHISH_MESSAGE_ID });
    expect(known.status).toBe('success');
    expect(known.data).toMatchObject({ identified: DEMO_PHISH_RECIPIENTS.length, searchCriteria: { messageId: DEMO_PHISH_MESSAGE_ID } });
    expect(known.summary).toMatch(/ \(3 message\(s\) identified\)\.$/);
    const unknown = await h.run('create_remediation_incident', { reason: 'IR-2', search_by: 'messageId', hash_or_message_id: 'no-such-message@example.com' });
    expect(unknown.status).toBe('success');
    expect(unknown.data).toMatchObject({ identified: 0, successful: 0, searchCriteria: { messageId: '<no-such-message@example.com>' } });
    expect(unknown.summary).toBe(
      `Created remediation incident ${unknown.data.code} for messageId <no-such-message@example.com> (no message identified: check the value, or widen start/end).`,
    );
  });

  it("runs the manifest example and identifies the demo hash's messages", async () => {
    const r = await h.run('create_remediation_incident', example);
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ reason: example.reason, type: 'manual', identified: 3, searchCriteria: { fileHash: DEMO_MALICIOUS_SHA256 } });
  });
});
