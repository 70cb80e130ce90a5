/**
 * A fail[] entry without a key (Mimecast's answer for some refusals) is the failure of an item it
 * cannot name: with the other items answered, it accounts for the one left, which is not reported
 * a second time as no_outcome.
 */
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

const GROUP = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const A = { id: GROUP, emailAddress: 'a@example.com' };
const B = { id: GROUP, emailAddress: 'b@example.com' };
const C = { id: GROUP, emailAddress: 'c@example.com' };
const refusal = { code: 'err_validation_domain_not_found', message: 'The domain is not one of this account' };

describe('keyless failures', () => {
  setupNock();

  it('one answered item and one keyless failure: partial, with that failure once and no no_outcome', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [A, B] })
      .reply(200, {
        meta: { status: 200 },
        data: [{ id: 'm1', folderId: GROUP, emailAddress: 'a@example.com', internal: true }],
        fail: [{ errors: [{ ...refusal, retryable: false }] }],
      });
    const r = await runAction('add_group_member', { member_information: [A, B] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: 'm1', folderId: GROUP, emailAddress: 'a@example.com', internal: true }]);
    expect(r.failures).toEqual([{ ...refusal, retryable: false }]);
    expect(exitCodeFor(r)).toBe(3);
  });

  it('two keyless failures for two items: failed, each reported once', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [A, B] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [{ errors: [refusal] }, { errors: [refusal] }] });
    const r = await runAction('add_group_member', { member_information: [A, B] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures.map((f) => f.code)).toEqual([refusal.code, refusal.code]);
    expect(r.error).toMatchObject({ type: 'not_found', message: `All 2 items failed; first: ${refusal.message} (${refusal.code})` });
  });

  it('three items, one answered and one keyless failure: the third alone is no_outcome', async () => {
    mimecast()
      .post('/api/directory/add-group-member', { data: [A, B, C] })
      .reply(200, {
        meta: { status: 200 },
        data: [{ id: 'm1', folderId: GROUP, emailAddress: 'a@example.com', internal: true }],
        fail: [{ errors: [refusal] }],
      });
    const r = await runAction('add_group_member', { member_information: [A, B, C] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.failures).toEqual([
      refusal,
      { code: 'no_outcome', message: 'Mimecast answered the call but said nothing about this item; check its state in Mimecast', key: C },
    ]);
  });
});
