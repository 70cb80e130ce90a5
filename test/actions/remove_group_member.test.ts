import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { ROOT_GROUP_PARENT_ID, groups, members } from '../../src/simulator/routes/directory.js';

const example = manifest.actions.remove_group_member.example![0] as { member_information: { id: string; emailAddress: string }[] };
const GROUP = example.member_information[0].id;
const PATH = '/api/directory/remove-group-member';

const member = (i: number) => ({ id: GROUP, emailAddress: `user${i}@orgname.com` });
const removed = (i: number) => ({ id: `m${i}`, folderId: GROUP, emailAddress: `user${i}@orgname.com`, internal: true });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('remove_group_member (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns Mimecast's data", async () => {
    const answer = fixture('api-directory-remove-group-member.json');
    mimecast()
      .post(PATH, { data: [{ emailAddress: 'john.doe@orgname.com', id: GROUP }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, answer);
    const r = await runAction('remove_group_member', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(answer.data);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Removed 1 member from profile groups.');
    validateOutput('remove_group_member', r.data);
  });

  it('splits 23 members into calls of 10, 10 and 3 (chunk_size 10) and merges the results in order', async () => {
    expect(manifest.actions.remove_group_member.chunk_size).toBe(10);
    const scope = mimecast();
    for (const [from, to] of [
      [0, 10],
      [10, 20],
      [20, 23],
    ]) {
      scope
        .post(PATH, { data: range(from, to).map(member) })
        .matchHeader('authorization', apiHeaders.reqheaders.authorization)
        .reply(200, ok(range(from, to).map(removed)));
    }
    const r = await runAction('remove_group_member', { member_information: range(0, 23).map(member) }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(range(0, 23).map(removed));
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Removed 23 members from profile groups.');
  });

  it('reports a member that is not in the group (fail[] inside HTTP 200) as a partial failure keyed by the item', async () => {
    const key = { id: GROUP, emailAddress: 'stranger@orgname.com' };
    mimecast()
      .post(PATH, { data: [member(1), key] })
      .reply(
        200,
        ok(
          [removed(1)],
          [
            {
              key,
              errors: [
                { code: 'err_folder_email_address_not_found', message: 'The member was not found in the group', field: 'emailAddress', retryable: false },
              ],
            },
          ],
        ),
      );
    const r = await runAction('remove_group_member', { member_information: [member(1), key] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([removed(1)]);
    expect(r.failures).toEqual([
      { code: 'err_folder_email_address_not_found', message: 'The member was not found in the group', field: 'emailAddress', retryable: false, key },
    ]);
    expect(r.summary).toBe('Removed 1 member from profile groups. (1 item failure, see failures)');
  });

  it('is failed when every member failed', async () => {
    const key = { id: GROUP, domain: 'orgname.com' };
    mimecast()
      .post(PATH, { data: [key] })
      .reply(200, ok([], [{ key, errors: [{ code: 'err_folder_not_found', message: 'The group was not found', field: 'id', retryable: false }] }]));
    const r = await runAction('remove_group_member', { member_information: key }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toEqual([]);
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'The item failed; first: The group was not found (err_folder_not_found)',
      code: 'err_folder_not_found',
    });
  });

  it('does not re-send a chunk after HTTP 500 (a write) and lists its items and the unsent ones as failures', async () => {
    mimecast()
      .post(PATH, { data: range(0, 10).map(member) })
      .reply(200, ok(range(0, 10).map(removed)))
      .post(PATH, { data: range(10, 20).map(member) })
      .reply(500, '');
    const r = await runAction('remove_group_member', { member_information: range(0, 23).map(member) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual(range(0, 10).map(removed));
    expect(r.failures).toEqual([
      ...range(10, 20).map((i) => ({
        code: 'api_error',
        message:
          'POST /api/directory/remove-group-member: Mimecast answered HTTP 500 (the call was sent: Mimecast may have applied it; check before running it again)',
        key: member(i),
      })),
      ...range(20, 23).map((i) => ({ code: 'not_sent', message: 'Not sent: an earlier call of this action failed', key: member(i) })),
    ]);
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    [{ member_information: [{ emailAddress: 'a@b.com' }] }, 'member_information[0].id is required'],
    [{ member_information: [{ id: GROUP }] }, 'member_information[0] needs one of: emailAddress, domain'],
    [{ member_information: [{ id: GROUP, emailAddress: 'not-an-email' }] }, 'member_information[0].emailAddress must be an email address (name@domain)'],
    [{ member_information: [{ id: GROUP, domain: 'localhost' }] }, 'member_information[0].domain must be a domain name (example.com)'],
    [
      { member_information: [{ id: GROUP, emailAddress: 'a@b.com', notes: 'x' }] },
      'member_information[0] has an unknown key "notes" (allowed: id, emailAddress, domain)',
    ],
    [{ member_information: [{ id: '', emailAddress: 'a@b.com' }] }, 'member_information[0].id is required'],
    [{}, 'member_information is required'],
    [{ member_information: [] }, 'member_information must have at least one item'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('remove_group_member', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('remove_group_member (simulator)', () => {
  const h = useSimulator();

  /** The seed's examples name a group the simulator's fixture does not hold: add it to the directory state. */
  beforeEach(() => {
    groups(h.sim).set(GROUP, { id: GROUP, description: 'Seed example group', source: 'cloud', parentId: ROOT_GROUP_PARENT_ID, userCount: 0, folderCount: 0 });
    members(h.sim);
  });

  it("adds a member, removes it with the seed's example, and get_group_members no longer lists it", async () => {
    const add = await h.run('add_group_member', manifest.actions.add_group_member.example![0]);
    expect(add.status).toBe('success');
    const listed = await h.run('get_group_members', { group_id: GROUP });
    expect(listed.data.map((m: { emailAddress: string }) => m.emailAddress)).toEqual(['john.doe@orgname.com']);

    const r = await h.run('remove_group_member', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: expect.any(String), folderId: GROUP, emailAddress: 'john.doe@orgname.com', internal: true }]);
    validateOutput('remove_group_member', r.data);

    const after = await h.run('get_group_members', manifest.actions.get_group_members.example![0]);
    expect(after.status).toBe('success');
    expect(after.data).toEqual([]);
  });

  it('fails like Mimecast when the member is not in the group, keyed by the item', async () => {
    const r = await h.run('remove_group_member', example);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_folder_email_address_not_found' });
    expect(r.failures).toEqual([
      {
        code: 'err_folder_email_address_not_found',
        message: 'The member was not found in the group',
        field: 'emailAddress',
        retryable: false,
        key: example.member_information[0],
      },
    ]);
  });
});
