/**
 * The journal and undo against the simulator (real sockets, the real client): each write records
 * what it changed, and undo reverses exactly that.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal, undo } from '../../src/index.js';
import { SEEDED_WEB_POLICY_ID } from '../../src/simulator/routes/policy-webwhiteurl.js';
import { useSimulator } from '../helpers/sim.js';

const h = useSimulator();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mc-journal-test-'));
});

const config = () => ({ base_url: h.sim.url, ...h.sim.credentials });
const fast = () => ({
  tokenCache: 'memory' as const,
  retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 },
  now: () => h.sim.now().getTime(),
  journal: { dir },
});
const apiCalls = () => h.sim.requests.filter((r) => r.path !== '/oauth/token');

describe('journal of writes', () => {
  it('records a write with its run id, per-item outcome and plan; a read and a dry run record nothing', async () => {
    const groups = await h.run('search_groups', {}, fast());
    const id = groups.data[0].id;
    expect(groups.meta.run_id).toBeUndefined();
    const dry = await h.run('add_group_member', { member_information: [{ id, emailAddress: 'dry@example.com' }] }, { ...fast(), dryRun: true });
    expect(dry.meta.run_id).toBeUndefined();
    expect(readJournal(undefined, { dir })).toEqual([]);

    const r = await h.run('add_group_member', { member_information: [{ id, emailAddress: 'analyst@example.com' }] }, fast());
    expect(r.status).toBe('success');
    const records = readJournal(undefined, { dir });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      run_id: r.meta.run_id,
      action: 'add_group_member',
      status: 'success',
      time: h.sim.now().toISOString().slice(0, 16) + records[0].time.slice(16),
      input: { member_information: [{ id, emailAddress: 'analyst@example.com' }] },
      requests: 2, // the token request and the add
      undo: {
        action: 'remove_group_member',
        steps: [{ action: 'remove_group_member', input: { member_information: [{ id, emailAddress: 'analyst@example.com' }] } }],
      },
    });
    expect(statSync(join(dir, 'journal.ndjson')).mode & 0o777).toBe(0o600);
  });

  it('undoes a partial add: only the member that was added is removed', async () => {
    const id = (await h.run('search_groups', {}, fast())).data[0].id;
    await h.run('add_group_member', { member_information: [{ id, emailAddress: 'already@example.com' }] }, { ...fast(), journal: false });
    const r = await h.run(
      'add_group_member',
      {
        member_information: [
          { id, emailAddress: 'already@example.com' },
          { id, emailAddress: 'wrong-group@example.com' },
        ],
      },
      fast(),
    );
    expect(r.status).toBe('partial');
    h.sim.requests.length = 0;
    const u = await undo(config(), r.meta.run_id!, fast());
    expect(u).toMatchObject({ status: 'success', action: 'undo', data: { undone_run_id: r.meta.run_id, action: 'add_group_member' } });
    expect(apiCalls().map((c) => [c.path, c.body])).toEqual([
      ['/api/directory/remove-group-member', { data: [{ id, emailAddress: 'wrong-group@example.com' }] }],
    ]);
    const members = await h.run('get_group_members', { group_id: id }, fast());
    const emails = members.data.map((m: { emailAddress: string }) => m.emailAddress);
    expect(emails).toContain('already@example.com');
    expect(emails).not.toContain('wrong-group@example.com');
    // The undo's own record, linked to the original, and it cannot be undone in turn.
    const records = readJournal(undefined, { dir });
    const own = records.find((x) => x.undo_of === r.meta.run_id)!;
    expect(own).toMatchObject({ action: 'remove_group_member', undo: { action: null, steps: [] } });
    const again = await undo(config(), own.run_id, fast());
    expect(again.error).toMatchObject({ type: 'input_error', field: 'run_id' });
    expect(again.error!.message).toContain('an undo is not undone');
  });

  it('undoes a created managed URL by the id Mimecast returned, and refuses a second undo', async () => {
    const r = await h.run('create_managed_url', { url_information: [{ url: 'https://needed-by-business.example.com/app', action: 'block' }] }, fast());
    expect(r.status).toBe('success');
    const createdId = r.data[0].id;
    h.sim.requests.length = 0;
    const u = await undo(config(), r.meta.run_id!, fast());
    expect(u.status).toBe('success');
    expect(apiCalls().map((c) => [c.path, c.body])).toEqual([['/api/ttp/url/delete-managed-url', { data: [{ id: createdId }] }]]);
    h.sim.requests.length = 0;
    const second = await undo(config(), r.meta.run_id!, fast());
    expect(second.status).toBe('failed');
    expect(second.error).toMatchObject({ type: 'input_error' });
    expect(second.error!.message).toMatch(/already undone/);
    expect(h.sim.requests).toEqual([]);
  });

  it('restores a deleted policy from its before-image', async () => {
    const before = await h.run('get_policy_with_targets', { id: SEEDED_WEB_POLICY_ID }, fast());
    const r = await h.run('delete_policy_with_targets', { id: [SEEDED_WEB_POLICY_ID] }, fast());
    expect(r.status).toBe('success');
    const record = readJournal(undefined, { dir })[0];
    expect(record.before).toEqual({ [SEEDED_WEB_POLICY_ID]: before.data });
    const u = await undo(config(), r.meta.run_id!, fast());
    expect(u.status).toBe('success');
    const createdId = (u.data!.steps[0].result.data as { id: string }).id;
    const restored = await h.run('get_policy_with_targets', { id: createdId }, fast());
    expect(restored.data.description).toBe(before.data.description);
    expect(restored.data.urls.map((x: Record<string, unknown>) => [x.action, x.type, x.value])).toEqual(
      before.data.urls.map((x: Record<string, unknown>) => [x.action, x.type, x.value]),
    );
  });

  it('refuses an action without an inverse with its reason, and sends nothing', async () => {
    const r = await h.run(
      'permit_or_block_sender',
      { permit_block_information: [{ action: 'block', to: 'cfo@example.com', sender: 'partner@example.net' }] },
      fast(),
    );
    expect(r.status).toBe('success');
    expect(r.meta.run_id).toBeDefined();
    h.sim.requests.length = 0;
    const u = await undo(config(), r.meta.run_id!, fast());
    expect(u.status).toBe('failed');
    expect(u.error).toMatchObject({ type: 'input_error', field: 'run_id' });
    expect(u.error!.message).toContain('cannot be undone: The connector has no action that removes a managed sender entry');
    expect(h.sim.requests).toEqual([]);
  });

  it('rotates past its size cap: the previous file is kept as journal.1.ndjson and still read', async () => {
    const small = { ...fast(), journal: { dir, maxBytes: 1500 } };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await h.run('create_managed_url', { url_information: [{ url: `https://rotate-${i}.example.com/`, action: 'block' }] }, small);
      ids.push(r.meta.run_id!);
    }
    expect(statSync(join(dir, 'journal.1.ndjson')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean).length).toBeLessThan(3);
    expect(readJournal(undefined, { dir }).map((r) => r.run_id)).toEqual(expect.arrayContaining(ids.slice(1)));
  });

  it('keeps no secret: a canary in the input is masked in the journal', async () => {
    const secret = h.sim.credentials.client_secret;
    const r = await h.run(
      'create_managed_url',
      { url_information: [{ url: 'https://canary.example.com/', action: 'block', comment: `canary ${secret}` }] },
      fast(),
    );
    expect(r.meta.run_id).toBeDefined();
    const text = readFileSync(join(dir, 'journal.ndjson'), 'utf8');
    expect(text).toContain('canary');
    expect(text).not.toContain(secret);
  });
});
