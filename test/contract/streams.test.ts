/** The event streams as data: the six streams in the manifest, and the rules generate.mjs holds them to. */
import manifest from '../../src/generated/manifest.js';
import { checkStream } from '../../scripts/manifest-checks.mjs';

const good = {
  name: 'audit',
  description: 'd',
  route: 'POST /api/audit/get-audit-events',
  cursor: 'window',
  window_fields: { from: 'startDateTime', to: 'endDateTime' },
  records: '',
  time_field: 'eventTime',
  id_field: 'id',
  retention_hours: 1440,
  filter: {},
  permission: 'Account | Logs | Read',
};

test('the manifest declares the six streams, each with its cursor kind and retention', () => {
  expect(Object.keys(manifest.streams)).toEqual(['ttp_url', 'ttp_attachment', 'ttp_impersonation', 'held_messages', 'audit', 'siem']);
  expect(manifest.streams.siem).toMatchObject({ route: 'GET /siem/v1/events/cg', cursor: 'cursor', id_field: 'hash', retention_hours: 24 });
  expect(manifest.streams.ttp_url.filter).toMatchObject({ scanResult: 'malicious' });
  for (const s of Object.values(manifest.streams)) expect(checkStream(`${s.name}.json`, s)).toEqual([]);
});

test('a broken stream declaration is named with the field and the reason', () => {
  expect(checkStream('audit.json', good)).toEqual([]);
  expect(checkStream('audit.json', { ...good, cursor: 'offset' })).toEqual(['manifest/streams/audit.json: "cursor" must be one of window, cursor']);
  expect(checkStream('audit.json', { ...good, retention_hours: 0 })).toEqual(['manifest/streams/audit.json: "retention_hours" must be a positive integer']);
  expect(checkStream('audit.json', { ...good, filter: { startDateTime: 'x' } })).toEqual([
    'manifest/streams/audit.json: "filter" must not set the window key "startDateTime"',
  ]);
  expect(checkStream('other.json', good)).toEqual(['manifest/streams/other.json: "name" must match the file name (is "audit")']);
  expect(checkStream('audit.json', { ...good, window_fields: { from: 'startDateTime' } })[0]).toMatch(/window_fields/);
});
