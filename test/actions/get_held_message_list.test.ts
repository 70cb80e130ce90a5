import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_held_message_list.example!;
const PATH = '/api/gateway/get-hold-summary-list';

describe('get_held_message_list (nock)', () => {
  setupNock();

  it('sends {"data": []} and returns the hold summary rows as Mimecast gives them', async () => {
    const ok = fixture('api-gateway-get-hold-summary-list.json');
    mimecast()
      .post(PATH, { data: [] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok);
    const r = await runAction('get_held_message_list', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(ok.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('1560 messages held under 3 hold reasons.');
    expect(r.meta.requests).toBe(2);
    validateOutput('get_held_message_list', r.data);
  });

  it('returns an empty list when nothing is held', async () => {
    mimecast()
      .post(PATH, { data: [] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('get_held_message_list', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('0 messages held under 0 hold reasons.');
  });

  it('is a permission_error naming the role permission on HTTP 403', async () => {
    mimecast().post(PATH).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('get_held_message_list', {}, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('permission_error');
    expect(r.error?.hint).toContain('"Account | Monitoring | Held Summary | Read"');
  });

  it('refuses parameters it does not have before sending anything', async () => {
    const r = await runAction('get_held_message_list', { admin: true }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message: 'input has an unknown key "admin"', field: 'input' });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_held_message_list (simulator)', () => {
  const h = useSimulator();
  const countFor = (rows: { policyInfo: string; numberOfItems: number }[], policy: string) => rows.find((r) => r.policyInfo === policy)?.numberOfItems ?? 0;

  it('counts the held messages per hold reason, matching the held list', async () => {
    const r = await h.run('get_held_message_list', example[0]);
    expect(r.status).toBe('success');
    validateOutput('get_held_message_list', r.data);
    const reasons = fixture('api-gateway-get-hold-summary-list.json').data.map((d: { policyInfo: string }) => d.policyInfo);
    expect(r.data.map((d: { policyInfo: string }) => d.policyInfo)).toEqual(reasons);
    const list = await h.run('get_hold_message_list', { admin: true });
    for (const policy of reasons) {
      expect(countFor(r.data, policy)).toBe(list.data.filter((m: { policyInfo: string }) => m.policyInfo === policy).length);
    }
    expect(r.data.reduce((n: number, d: { numberOfItems: number }) => n + d.numberOfItems, 0)).toBe(list.data.length);
  });

  it('drops a released message from its reason count', async () => {
    const list = await h.run('get_hold_message_list', { admin: true });
    const policy = list.data.find((m: { id: string }) => m.id === DEMO_FALSE_POSITIVE_HELD_ID).policyInfo;
    const before = countFor((await h.run('get_held_message_list', {})).data, policy);
    const released = await h.run('release_held_message', { id: DEMO_FALSE_POSITIVE_HELD_ID });
    expect(released.status).toBe('success');
    const after = await h.run('get_held_message_list', {});
    expect(countFor(after.data, policy)).toBe(before - 1);
  });
});
