import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_INCIDENT_ID } from '../../src/simulator/routes/remediation.js';
import { validateOutput, callSizes } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/remediation/get-incident';
const example = manifest.actions.get_remediation_incident.example![0] as { remediation_incident_ids: string[] };
const notFound = (id: string) => ({
  meta: { status: 200 },
  data: [],
  fail: [
    { key: { id }, errors: [{ code: 'err_remediation_incident_not_found', message: 'The remediation incident was not found', field: 'id', retryable: false }] },
  ],
});

describe('get_remediation_incident (nock)', () => {
  setupNock();

  it("sends the example's id as data[{id}] and returns the incident", async () => {
    const incident = fixture('api-ttp-remediation-get-incident.json');
    mimecast()
      .post(PATH, { data: [{ id: example.remediation_incident_ids[0] }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, incident);
    const r = await runAction('get_remediation_incident', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(incident.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Retrieved 1 remediation incident of 1 requested.');
    validateOutput('get_remediation_incident', r.data);
  });

  it('sends several ids in one call; an unknown id is a per-item failure keyed by its id and the run is partial', async () => {
    const a = { ...fixture('api-ttp-remediation-get-incident.json').data[0], id: 'inc-a' };
    mimecast()
      .post(PATH, { data: [{ id: 'inc-a' }, { id: 'inc-missing' }] })
      .reply(200, { ...notFound('inc-missing'), data: [a] });
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ['inc-a', 'inc-missing'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([a]);
    expect(r.failures).toEqual([
      {
        code: 'err_remediation_incident_not_found',
        message: 'The remediation incident was not found',
        field: 'id',
        retryable: false,
        key: { id: 'inc-missing' },
      },
    ]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Retrieved 1 remediation incident of 2 requested. (1 item failure, see failures)');
  });

  it('sends 30 ids as 2 calls of 25 and 5 and merges the incidents in order', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `inc-${i + 1}`);
    const base = fixture('api-ttp-remediation-get-incident.json').data[0];
    const answer = (part: string[]) => ({ meta: { status: 200 }, data: part.map((id) => ({ ...base, id })), fail: [] });
    mimecast()
      .post(PATH, { data: ids.slice(0, 25).map((id) => ({ id })) })
      .reply(200, answer(ids.slice(0, 25)))
      .post(PATH, { data: ids.slice(25).map((id) => ({ id })) })
      .reply(200, answer(ids.slice(25)));
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ids }, config, fast);
    expect(r.status).toBe('success');
    expect((r.data as { id: string }[]).map((i) => i.id)).toEqual(ids);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Retrieved 30 remediation incidents of 30 requested.');
    validateOutput('get_remediation_incident', r.data);
  });

  it('asks for a repeated id once', async () => {
    const a = { ...fixture('api-ttp-remediation-get-incident.json').data[0], id: 'inc-a' };
    mimecast()
      .post(PATH, { data: [{ id: 'inc-a' }] })
      .reply(200, { meta: { status: 200 }, data: [a], fail: [] });
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ['inc-a', 'inc-a'] }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([a]);
    expect(r.summary).toBe('Retrieved 1 remediation incident of 1 requested.');
  });

  it('keeps the incidents of the first call when the second fails outright, and lists its ids as failures', async () => {
    const ids = Array.from({ length: 27 }, (_, i) => `inc-${i + 1}`);
    const base = fixture('api-ttp-remediation-get-incident.json').data[0];
    mimecast()
      .post(PATH, { data: ids.slice(0, 25).map((id) => ({ id })) })
      .reply(200, { meta: { status: 200 }, data: ids.slice(0, 25).map((id) => ({ ...base, id })), fail: [] })
      .post(PATH, { data: ids.slice(25).map((id) => ({ id })) })
      .reply(400, { meta: { status: 400 }, data: [], fail: [{ errors: [{ code: 'err_validation_blank', message: 'Bad request', retryable: false }] }] });
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ids }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(25);
    expect(r.failures).toEqual(ids.slice(25).map((id) => ({ code: 'err_validation_blank', message: expect.stringContaining('Bad request'), key: { id } })));
  });

  it('shows the two calls of 30 ids in a dry run, sending nothing', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `inc-${i + 1}`);
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ids }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    const requests = (r.data as { requests: { url: string; body: unknown }[] }).requests;
    expect(requests.map((q) => q.body)).toEqual([{ data: ids.slice(0, 25).map((id) => ({ id })) }, { data: ids.slice(25).map((id) => ({ id })) }]);
  });

  it('accepts a single id where a list is expected, and is failed (not_found) when it is unknown', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'nope' }] })
      .reply(200, notFound('nope'));
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: 'nope' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_remediation_incident_not_found' });
  });

  it.each([
    [{}, 'remediation_incident_ids is required'],
    [{ remediation_incident_ids: [] }, 'remediation_incident_ids must have at least one item'],
    [{ remediation_incident_ids: ['a'], id: 'b' }, 'input has an unknown key "id" (allowed: remediation_incident_ids)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_remediation_incident', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_remediation_incident (simulator)', () => {
  const h = useSimulator();

  it('runs the example against the demo incident', async () => {
    const r = await h.run('get_remediation_incident', example);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(1);
    expect(r.data[0]).toMatchObject({ id: DEMO_INCIDENT_ID, type: 'manual' });
    validateOutput('get_remediation_incident', r.data);
  });

  it('returns the known incidents and lists the unknown id as a failure (partial), in one call', async () => {
    const r = await h.run('get_remediation_incident', { remediation_incident_ids: [DEMO_INCIDENT_ID, 'eNoUnknownIncident', 'test-id'] });
    expect(r.status).toBe('partial');
    expect(r.data.map((i: { id: string }) => i.id)).toEqual([DEMO_INCIDENT_ID, 'test-id']);
    expect(r.failures).toEqual([expect.objectContaining({ code: 'err_remediation_incident_not_found', key: { id: 'eNoUnknownIncident' } })]);
    expect(h.sim.requests.filter((q) => q.path === PATH)).toHaveLength(1);
  });

  it('asks for 30 ids in 2 calls of 25 and 5', async () => {
    const ids = [DEMO_INCIDENT_ID, ...Array.from({ length: 29 }, (_, i) => `eNoUnknown${i}`)];
    const r = await h.run('get_remediation_incident', { remediation_incident_ids: ids });
    expect(r.status).toBe('partial');
    expect(r.data.map((i: { id: string }) => i.id)).toEqual([DEMO_INCIDENT_ID]);
    expect(r.failures.map((f) => f.key)).toEqual(ids.slice(1).map((id) => ({ id })));
    const sizes = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: unknown[] }).data.length);
    expect(sizes).toEqual(callSizes('get_remediation_incident', 30));
  });
});
