import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_INCIDENT_ID } from '../../src/simulator/routes/remediation.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/remediation/find-incidents';
const example = manifest.actions.find_remediation_incidents.example![0];
const NOW = Date.parse('2024-10-13T17:30:00Z');
const opts = { ...fast, now: () => NOW };
const page1 = { meta: { pagination: { pageSize: 100 } } };

describe('find_remediation_incidents (nock)', () => {
  setupNock();

  it('sends searchBy as an object and filterBy as a one-entry array, and returns data[]', async () => {
    const incident = fixture('api-ttp-remediation-get-incident.json');
    mimecast()
      .post(PATH, { ...page1, data: [{ searchBy: { fieldName: 'reason', value: 'phishing' }, filterBy: [{ fieldName: 'type', value: 'manual' }] }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, incident);
    const r = await runAction('find_remediation_incidents', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(incident.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Found 1 remediation incident.');
    validateOutput('find_remediation_incidents', r.data);
  });

  it('sends start/end (aliases start_date/end_date) in Mimecast form, fieldName in any case, and follows next', async () => {
    const a = { id: 'a', code: 'TR-1', type: 'manual', reason: 'r1' };
    const b = { id: 'b', code: 'TR-2', type: 'automatic', reason: 'r2' };
    const item = { start: '2024-10-01T00:00:00+0000', end: '2024-10-13T00:00:00+0000', searchBy: { fieldName: 'file_hash', value: 'abc' } };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [item] })
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1, next: 'tok2' } }, data: [a], fail: [] })
      .post(PATH, { meta: { pagination: { pageSize: 100, pageToken: 'tok2' } }, data: [item] })
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1 } }, data: [b], fail: [] });
    const r = await runAction(
      'find_remediation_incidents',
      { start_date: '2024-10-01', end_date: '2024-10-13T00:00:00Z', search_by: { fieldName: 'FILE_HASH', value: 'abc' } },
      config,
      opts,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([a, b]);
    expect(r.meta.pages).toBe(2);
  });

  it('sends a search_by without fieldName with fieldName "all" and a filter_by without one with fieldName "type"', async () => {
    const a = { id: 'a', code: 'TR-1', type: 'manual' };
    mimecast()
      .post(PATH, { ...page1, data: [{ searchBy: { fieldName: 'all', value: 'TR-1' }, filterBy: [{ fieldName: 'type', value: 'manual' }] }] })
      .reply(200, { meta: { status: 200 }, data: [a], fail: [] });
    const r = await runAction('find_remediation_incidents', { search_by: { value: 'TR-1' }, filter_by: '{"value": "manual"}' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([a]);
  });

  it('keeps a fieldName that is given', async () => {
    mimecast()
      .post(PATH, { ...page1, data: [{ searchBy: { fieldName: 'code', value: 'TR-1' }, filterBy: [{ fieldName: 'type', value: 'restored' }] }] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction(
      'find_remediation_incidents',
      { search_by: { fieldName: 'code', value: 'TR-1' }, filter_by: { fieldName: 'type', value: 'restored' } },
      config,
      opts,
    );
    expect(r.status).toBe('success');
  });

  it('reads incidents nested as data[0].incidents[] too', async () => {
    const a = { id: 'a', code: 'TR-1' };
    mimecast()
      .post(PATH, { ...page1, data: [{ searchBy: { fieldName: 'all', value: 'TR-1' } }] })
      .reply(200, { meta: { status: 200 }, data: [{ incidents: [a] }], fail: [] });
    const r = await runAction('find_remediation_incidents', { search_by: { value: 'TR-1' } }, config, opts);
    expect(r.data).toEqual([a]);
  });

  it('sends end = now when no parameter is given (Mimecast needs at least one field)', async () => {
    mimecast()
      .post(PATH, { ...page1, data: [{ end: '2024-10-13T17:30:00+0000' }] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('find_remediation_incidents', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
  });

  it('is failed when Mimecast refuses the search', async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ errors: [{ code: 'err_validation_invalid_value', message: 'fieldName is not valid', field: 'searchBy', retryable: false }] }],
      });
    const r = await runAction('find_remediation_incidents', { search_by: { value: 'x' } }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_validation_invalid_value' });
  });

  it.each([
    [{ search_by: { fieldName: 'subject', value: 'x' } }, 'search_by.fieldName must be one of: all, code, file_hash, reason'],
    [{ search_by: { fieldName: 'all' } }, 'search_by.value is required'],
    [{ filter_by: { type: 'manual' } }, 'filter_by has an unknown key "type" (allowed: fieldName, value)'],
    [{ start: '13/10/2024' }, 'start is not a valid ISO 8601 date-time: "13/10/2024" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('find_remediation_incidents', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('find_remediation_incidents (simulator)', () => {
  const h = useSimulator();

  it('runs the example and finds the demo incident; filters by type, code and window', async () => {
    const r = await h.run('find_remediation_incidents', example);
    expect(r.status).toBe('success');
    expect(r.data.map((i: { id: string }) => i.id)).toEqual([DEMO_INCIDENT_ID]);
    validateOutput('find_remediation_incidents', r.data);

    const all = await h.run('find_remediation_incidents', {});
    expect(all.data.map((i: { id: string }) => i.id)).toEqual([DEMO_INCIDENT_ID, 'test-id']);
    const byCode = await h.run('find_remediation_incidents', { search_by: { fieldName: 'code', value: 'tr-csnd1a7780' } });
    expect(byCode.data.map((i: { id: string }) => i.id)).toEqual(['test-id']);
    const restored = await h.run('find_remediation_incidents', { filter_by: { fieldName: 'type', value: 'restored' } });
    expect(restored.data).toEqual([]);
    const old = await h.run('find_remediation_incidents', { start: '2020-01-01T00:00:00Z', end: '2020-12-31T00:00:00Z' });
    expect(old.data.map((i: { id: string }) => i.id)).toEqual(['test-id']);
  });

  it('applies a filter_by without fieldName to the incident type', async () => {
    const created = await h.run('create_remediation_incident', {
      reason: 'fieldless filter',
      search_by: 'hash',
      hash_or_message_id: '44d88612fea8a8f36de82e1278abb02f',
    });
    expect(created.status).toBe('success');
    const restored = await h.run('find_remediation_incidents', { filter_by: { value: 'restored' } });
    expect(restored.status).toBe('success');
    expect(restored.data).toEqual([]);
    const manual = await h.run('find_remediation_incidents', { filter_by: { value: 'manual' }, search_by: { value: 'fieldless' } });
    expect(manual.data.map((i: { reason: string }) => i.reason)).toEqual(['fieldless filter']);
    const sent = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: Record<string, unknown>[] }).data[0]);
    expect(sent).toEqual([
      { filterBy: [{ fieldName: 'type', value: 'restored' }] },
      { searchBy: { fieldName: 'all', value: 'fieldless' }, filterBy: [{ fieldName: 'type', value: 'manual' }] },
    ]);
  });

  it('answers like 2.0: data[0].incidents[] with meta.pagination.next (filterBy as one object applies too); the action reads that shape', async () => {
    const made = await Promise.all(
      ['a', 'b', 'c'].map((x) =>
        h.run('create_remediation_incident', { reason: `paged ${x}`, search_by: 'hash', hash_or_message_id: '44d88612fea8a8f36de82e1278abb02f' }),
      ),
    );
    expect(made.map((m) => m.status)).toEqual(['success', 'success', 'success']);
    // The raw answer, as a client of the API sees it.
    const token = (await (
      await fetch(`${h.sim.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', ...h.sim.credentials }) })
    ).json()) as {
      access_token: string;
    };
    const raw = (await (
      await fetch(`${h.sim.url}${PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          meta: { pagination: { pageSize: 2 } },
          data: [{ searchBy: { fieldName: 'reason', value: 'paged' }, filterBy: { fieldName: 'type', value: 'manual' } }],
        }),
      })
    ).json()) as { meta: { pagination: { next?: string } }; data: { incidents: { reason: string }[] }[] };
    expect(raw.data).toHaveLength(1);
    expect(raw.data[0].incidents).toHaveLength(2);
    expect(raw.meta.pagination.next).toEqual(expect.any(String));

    const r = await h.run('find_remediation_incidents', { search_by: { fieldName: 'reason', value: 'paged' } });
    expect(r.status).toBe('success');
    expect(r.data.map((i: { reason: string }) => i.reason).sort()).toEqual(['paged a', 'paged b', 'paged c']);
    validateOutput('find_remediation_incidents', r.data);
  });
});
