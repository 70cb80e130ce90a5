/**
 * Each stream's record schema (schemas/streams/<name>.json, in the manifest as `record`): every
 * record the simulator serves on each of the six streams fits it, and so does the SIEM record of
 * Mimecast's own example answer; a record without the stream's time (or id) does not.
 */
import { Ajv } from 'ajv';
import manifest from '../../src/generated/manifest.js';
import { poll } from '../../src/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(Object.entries(manifest.streams).map(([name, s]) => [name, ajv.compile(s.record)]));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => new Date('2026-03-10T12:00:00Z') });
});
afterAll(() => sim.close());

test('every stream declares a record schema that requires its time (and its id unless hashed)', () => {
  expect(Object.keys(validators).sort()).toEqual(['audit', 'held_messages', 'siem', 'ttp_attachment', 'ttp_impersonation', 'ttp_url']);
  for (const s of Object.values(manifest.streams)) {
    expect(s.record.required).toContain(s.time_field);
    if (s.id_field !== 'hash') expect(s.record.required).toContain(s.id_field);
  }
});

test('every record the simulator serves on each stream fits its schema', async () => {
  const config = { base_url: sim.url, ...sim.credentials };
  const r = await poll(
    config,
    { streams: ['ttp_url', 'ttp_attachment', 'ttp_impersonation', 'held_messages', 'audit', 'siem'], since: '24h' },
    { tokenCache: 'memory', now: () => Date.parse('2026-03-10T12:00:00Z') },
  );
  expect(r.exitCode).toBe(0);
  const seen = new Set<string>();
  for (const e of r.events) {
    seen.add(e.stream);
    const valid = validators[e.stream](e.event);
    expect({ stream: e.stream, errors: valid ? null : validators[e.stream].errors }).toEqual({ stream: e.stream, errors: null });
  }
  expect([...seen].sort()).toEqual(['audit', 'held_messages', 'siem', 'ttp_attachment', 'ttp_impersonation', 'ttp_url']);
});

test("Mimecast's example SIEM record fits the siem schema; records without time or id do not", () => {
  // value[0] of the SIEM events example answer (the fixture siem-v1-events-cg.json).
  const example = {
    numberAttachments: '0',
    subject: 'Test Email Subject',
    senderEnvelope: 'sender@example.com',
    rejectionType: 'Header Rejected',
    aggregateId: 'mock_aggregate_id_abc123',
    processingId: 'mock_processing_id_xyz789_1234567890',
    tlsCipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    action: 'Rej',
    spamInfo: null,
    senderIp: '192.0.2.100',
    timestamp: 1704067200000,
    direction: 'internal',
    spamProcessingDetail: null,
    spamDetectionLevel: null,
    tlsVersion: 'TLSv1.2',
    messageId: '<mock.message.id.12345@example.mimecast.lan>',
    senderHeader: 'sender@example.com',
    eventType: 'receipt',
    accountId: 'MOCK_ACCOUNT_123',
    virusFound: 'Rejected by header based Blocked Senders: sender@example.com',
    rejectionInfo: 'Rejected by header based Blocked Senders: sender@example.com',
    recipients: 'recipient@example.com',
    rejectionCode: '0',
    spamScore: null,
    subType: 'Rej',
    receiptErrors: null,
  };
  expect(validators.siem(example)).toBe(true);
  const { timestamp: _t, ...untimed } = example;
  expect(validators.siem(untimed)).toBe(false);
  expect(validators.ttp_impersonation({ eventTime: '2026-03-10T12:00:00+0000' })).toBe(false); // no id
  expect(validators.audit({ id: 'a1', eventTime: '2026-03-10T12:00:00+0000', auditType: 'User Logged On' })).toBe(true);
});
