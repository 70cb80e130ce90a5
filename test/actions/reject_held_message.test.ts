import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.reject_held_message.example! as { ids: string[] }[];
const SEED_ID = example[0].ids[0];
const PATH = '/api/gateway/hold-reject';

describe('reject_held_message (nock)', () => {
  setupNock();

  it("sends the seed's example as ONE data item {ids, notify: false} and returns Mimecast's data", async () => {
    mimecast()
      .post(PATH, { data: [{ ids: [SEED_ID], notify: false }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [{ id: SEED_ID, reject: true }], fail: [] });
    const r = await runAction('reject_held_message', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: SEED_ID, reject: true }]);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Rejected 1 held message.');
    expect(r.meta.requests).toBe(2);
    validateOutput('reject_held_message', r.data);
  });

  it('sends every parameter in one item: ids, message, reasonType (any case in), notify', async () => {
    mimecast()
      .post(PATH, { data: [{ ids: ['a', 'b'], message: 'Rejected by the SOC: phishing.', reasonType: 'MESSAGE CONTAINS UNDESIRABLE CONTENT', notify: true }] })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { id: 'a', reject: true },
          { id: 'b', reject: true },
        ],
        fail: [],
      });
    const r = await runAction(
      'reject_held_message',
      { ids: ['a', 'b'], message: 'Rejected by the SOC: phishing.', reason_type: 'message contains undesirable content', notify: 'True' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([
      { id: 'a', reject: true },
      { id: 'b', reject: true },
    ]);
    expect(r.summary).toBe('Rejected 2 held messages and notified the senders.');
  });

  it('takes one ID given as a plain string', async () => {
    mimecast()
      .post(PATH, { data: [{ ids: ['a'], notify: false }] })
      .reply(200, { meta: { status: 200 }, data: [{ id: 'a', reject: true }], fail: [] });
    const r = await runAction('reject_held_message', { ids: 'a' }, config, fast);
    expect(r.status).toBe('success');
  });

  it('reports an ID answered with reject: false as a failed item (partial)', async () => {
    mimecast()
      .post(PATH, { data: [{ ids: ['a', 'b'], notify: false }] })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { id: 'a', reject: true },
          { id: 'b', reject: false },
        ],
        fail: [],
      });
    const r = await runAction('reject_held_message', { ids: ['a', 'b'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: 'a', reject: true }]);
    expect(r.failures).toEqual([{ code: 'reject_failed', message: 'Mimecast answered reject: false for this item', key: { id: 'b', reject: false } }]);
    expect(r.summary).toBe('Rejected 1 held message. (1 item failure, see failures)');
  });

  it('is failed when Mimecast refuses the item in fail[]', async () => {
    const key = { ids: ['a'], reasonType: 'MESSAGE GOES AGAINST EMAIL POLICIES', notify: false };
    mimecast()
      .post(PATH, { data: [key] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key, errors: [{ code: 'err_xdk_operation_forbidden', message: 'Forbidden', retryable: false }] }],
      });
    const r = await runAction('reject_held_message', { ids: ['a'], reason_type: 'Message Goes Against Email Policies' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([{ code: 'err_xdk_operation_forbidden', message: 'Forbidden', retryable: false, key }]);
    expect(r.error).toMatchObject({
      type: 'permission_error',
      code: 'err_xdk_operation_forbidden',
      hint: 'Give the API application\'s role the "Account | Monitoring | Held | Edit" permission in Mimecast (Administration → Roles).',
    });
  });

  it.each([
    [{}, 'ids is required', 'ids'],
    [{ ids: [] }, 'ids must have at least one item', 'ids'],
    [{ ids: [''] }, 'ids[0] must not be empty', 'ids[0]'],
    [
      { ids: ['a'], reason_type: 'SPAM' },
      'reason_type must be one of: MESSAGE CONTAINS UNDESIRABLE CONTENT, MESSAGE CONTAINS CONFIDENTIAL INFORMATION, REVIEWER DISAPPROVES OF CONTENT, INAPPROPRIATE COMMUNICATION, MESSAGE GOES AGAINST EMAIL POLICIES',
      'reason_type',
    ],
    [{ ids: ['a'], notify: 'perhaps' }, 'notify must be a boolean', 'notify'],
  ])('refuses %j before sending anything', async (input, message, field) => {
    const r = await runAction('reject_held_message', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field });
    expect(r.meta.requests).toBe(0);
  });
});

describe('reject_held_message (simulator)', () => {
  const h = useSimulator();
  const heldIds = async () => (await h.run('get_hold_message_list', { admin: true })).data.map((m: { id: string }) => m.id);

  it("rejects the seed's example message, which then leaves the held list", async () => {
    expect(await heldIds()).toContain(SEED_ID);
    const r = await h.run('reject_held_message', example[0]);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: SEED_ID, reject: true }]);
    validateOutput('reject_held_message', r.data);
    expect(await heldIds()).not.toContain(SEED_ID);
  });

  it('answers reject: false for an unknown ID: partial with one held and one unknown', async () => {
    const r = await h.run('reject_held_message', {
      ids: [DEMO_FALSE_POSITIVE_HELD_ID, 'eNpVzNotHeld'],
      reason_type: 'inappropriate communication',
      notify: true,
    });
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: DEMO_FALSE_POSITIVE_HELD_ID, reject: true }]);
    expect(r.failures).toEqual([
      { code: 'reject_failed', message: 'Mimecast answered reject: false for this item', key: { id: 'eNpVzNotHeld', reject: false } },
    ]);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => q.body)).toEqual([
      { data: [{ ids: [DEMO_FALSE_POSITIVE_HELD_ID, 'eNpVzNotHeld'], reasonType: 'INAPPROPRIATE COMMUNICATION', notify: true }] },
    ]);
    const gone = await h.run('reject_held_message', { ids: [DEMO_FALSE_POSITIVE_HELD_ID] });
    expect(gone.status).toBe('failed');
  });
});
