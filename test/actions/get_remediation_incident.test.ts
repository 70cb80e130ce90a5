import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_INCIDENT_ID } from '../../src/simulator/routes/remediation.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/remediation/get-incident';
const example = manifest.actions.get_remediation_incident.example![0] as { remediation_incident_ids: string[] };
const notFound = (id: string) => ({ meta: { status: 200 }, data: [], fail: [{ key: { id }, errors: [{ code: 'err_remediation_incident_not_found', message: 'The remediation incident was not found', field: 'id', retryable: false }] }] });

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

  it('sends one request per id; an unknown id is a per-item failure and the run is partial', async () => {
    const a = { ...fixture('api-ttp-remediation-get-incident.json').data[0], id: 'inc-a' };
    mimecast()
      .post(PATH, { data: [{ id: 'inc-a' }] })
      .reply(200, { meta: { status: 200 }, data: [a], fail: [] })
      .post(PATH, { data: [{ id: 'inc-missing' }] })
      .reply(200, notFound('inc-missing'));
    const r = await runAction('get_remediation_incident', { remediation_incident_ids: ['inc-a', 'inc-missing'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([a]);
    expect(r.failures).toEqual([{ code: 'err_remediation_incident_not_found', message: 'The remediation incident was not found', field: 'id', retryable: false, key: { id: 'inc-missing' } }]);
    expect(r.meta.requests).toBe(3);
  });

  it('accepts a single id where a list is expected, and is failed (not_found) when it is unknown', async () => {
    mimecast().post(PATH, { data: [{ id: 'nope' }] }).reply(200, notFound('nope'));
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

  it('returns the known incidents and lists the unknown id as a failure (partial)', async () => {
    const r = await h.run('get_remediation_incident', { remediation_incident_ids: [DEMO_INCIDENT_ID, 'eNoUnknownIncident', 'test-id'] });
    expect(r.status).toBe('partial');
    expect(r.data.map((i: { id: string }) => i.id)).toEqual([DEMO_INCIDENT_ID, 'test-id']);
    expect(r.failures).toEqual([expect.objectContaining({ code: 'err_remediation_incident_not_found', key: { id: 'eNoUnknownIncident' } })]);
  });
});
