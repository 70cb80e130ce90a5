/**
 * The journal keeps Mimecast's request id of each answer of a write (X-Request-Id), so a change
 * can be traced with Mimecast support; the token request's answer is not Mimecast's API and has none.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../src/index.js';
import { runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const GROUP = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const member = (emailAddress: string) => ({ id: GROUP, emailAddress });

describe('request ids in the journal (nock)', () => {
  setupNock();

  it('records the x-request-id of every answer of the run, in order, for a write split into two calls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-journal-ids-'));
    const items = Array.from({ length: 12 }, (_, i) => member(`user${i}@example.com`));
    const answer = (rows: unknown[]) => ({ meta: { status: 200 }, data: rows, fail: [] });
    mimecast()
      .post('/api/directory/remove-group-member', { data: items.slice(0, 10) })
      .reply(200, answer(items.slice(0, 10)), { 'x-request-id': 'mc-req-first' })
      .post('/api/directory/remove-group-member', { data: items.slice(10) })
      .reply(200, answer(items.slice(10)), { 'x-request-id': 'mc-req-second' });
    const r = await runAction('remove_group_member', { member_information: items }, config, { ...fast, journal: { dir } });
    expect(r.status).toBe('success');
    const [record] = readJournal(undefined, { dir });
    expect(record.run_id).toBe(r.meta.run_id);
    expect(record.request_ids).toEqual(['mc-req-first', 'mc-req-second']);
  });
});

describe('request ids in the journal (simulator)', () => {
  const h = useSimulator();

  it("keeps the simulator's id of the write's answer (one per API call, none for the token)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-journal-ids-'));
    const groups = await h.run('search_groups', { source: 'cloud' }, { journal: { dir } });
    const r = await h.run('add_group_member', { member_information: [{ id: groups.data[0].id, emailAddress: 'traced@example.com' }] }, { journal: { dir } });
    expect(r.status).toBe('success');
    const [record] = readJournal(undefined, { dir });
    expect(record.action).toBe('add_group_member');
    expect(record.request_ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });
});
