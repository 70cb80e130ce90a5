import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.add_group_member.example![0] as { member_information: { id: string; emailAddress: string }[] };
const GROUP = example.member_information[0].id;

describe('add_group_member (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns Mimecast's data", async () => {
    const ok = fixture('api-directory-add-group-member.json');
    mimecast()
      .post('/api/directory/add-group-member', { data: [{ emailAddress: 'john.doe@orgname.com', id: GROUP }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok);
    const r = await runAction('add_group_member', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(ok.data);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    validateOutput('add_group_member', r.data);
  });

  it('reports a member Mimecast refused inside HTTP 200 as a partial failure, keyed by the item', async () => {
    const key = { id: GROUP, emailAddress: 'dup@orgname.com' };
    mimecast()
      .post('/api/directory/add-group-member', { data: [{ id: GROUP, emailAddress: 'new@orgname.com', notes: 'phish click' }, key] })
      .reply(200, {
        meta: { status: 200 },
        data: [{ id: 'm1', folderId: GROUP, emailAddress: 'new@orgname.com', internal: true }],
        fail: [{ key, errors: [{ code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false }] }],
      });
    const r = await runAction(
      'add_group_member',
      { member_information: [{ id: GROUP, emailAddress: 'new@orgname.com', notes: 'phish click' }, key] },
      config,
      fast,
    );
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ id: 'm1', folderId: GROUP, emailAddress: 'new@orgname.com', internal: true }]);
    expect(r.failures).toEqual([{ code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false, key }]);
  });

  it('is failed (exit class 1) when every member failed', async () => {
    mimecast()
      .post('/api/directory/add-group-member')
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: { id: GROUP, domain: 'x.com' }, errors: [{ code: 'err_folder_not_found', message: 'Group not found', retryable: false }] }],
      });
    const r = await runAction('add_group_member', { member_information: { id: GROUP, domain: 'x.com' } }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_folder_not_found' });
  });

  it.each([
    [{ member_information: [{ emailAddress: 'a@b.com' }] }, 'member_information[0].id is required'],
    [{ member_information: [{ id: GROUP }] }, 'member_information[0] needs one of: emailAddress, domain'],
    [{ member_information: [{ id: GROUP, emailAddress: 'not-an-email' }] }, 'member_information[0].emailAddress must be an email address (name@domain)'],
    [{ member_information: [{ id: GROUP, email: 'a@b.com' }] }, 'member_information[0] has an unknown key "email" (allowed: id, emailAddress, domain, notes)'],
    [{}, 'member_information is required'],
    [{ member_information: [] }, 'member_information must have at least one item'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('add_group_member', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('add_group_member (simulator)', () => {
  const h = useSimulator();

  it('adds a member that get_group_members then lists, and a second add fails like Mimecast', async () => {
    const groups = await h.run('search_groups', {});
    const id = groups.data[0].id;
    const first = await h.run('add_group_member', { member_information: [{ id, emailAddress: 'victim@example.com' }] });
    expect(first.status).toBe('success');
    const members = await h.run('get_group_members', { group_id: id });
    expect(members.data.map((m: { emailAddress: string }) => m.emailAddress)).toContain('victim@example.com');
    const again = await h.run('add_group_member', { member_information: [{ id, emailAddress: 'victim@example.com' }] });
    expect(again.status).toBe('failed');
    expect(again.failures[0]).toMatchObject({ code: 'err_folder_group_member_already_exists', key: { id, emailAddress: 'victim@example.com' } });
  });
});
