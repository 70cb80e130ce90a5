/**
 * Every item sent comes back once, keyed by what is unique about it: several ids in one request
 * item are accounted one by one, group members by their own address (not the group id they all
 * share), a failure keyed to no item sent is reported once and not counted as an item. Answers of
 * any size (a fail[] or a page of 150,000 entries) end as ordinary results, and a read ends at an
 * empty page.
 */
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

const GROUP = 'eNoGroupSharedByEveryMember1';
const NO_OUTCOME = 'Mimecast answered the call but said nothing about this item; check its state in Mimecast';
const BIG = 150_000;

describe('item accounting', () => {
  setupNock();

  it('reject: three ids in one item, the answer covers two: partial (exit 3), the third is no_outcome', async () => {
    mimecast()
      .post('/api/gateway/hold-reject', { data: [{ ids: ['h1', 'h2', 'h3'], notify: false }] })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { id: 'h1', reject: true },
          { id: 'h3', reject: true },
        ],
        fail: [],
      });
    const r = await runAction('reject_held_message', { ids: ['h1', 'h2', 'h3'] }, config, fast);
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual([
      { id: 'h1', reject: true },
      { id: 'h3', reject: true },
    ]);
    expect(r.failures).toEqual([{ code: 'no_outcome', message: NO_OUTCOME, key: { id: 'h2' } }]);
    expect(r.summary).toBe('Rejected 2 held messages. (1 item failure, see failures)');
  });

  it('reject: an answer that names none of the ids is failed, every id no_outcome', async () => {
    mimecast()
      .post('/api/gateway/hold-reject', { data: [{ ids: ['h1', 'h2'], notify: false }] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('reject_held_message', { ids: ['h1', 'h2'] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures.map((f) => f.key)).toEqual([{ id: 'h1' }, { id: 'h2' }]);
    expect(r.error?.message).toBe(`All 2 items failed; first: ${NO_OUTCOME} (no_outcome)`);
  });

  it('group members: one member refused, the other unanswered: the refusal is keyed to its member only, the other is no_outcome', async () => {
    const a = { id: GROUP, emailAddress: 'a@example.com' };
    const b = { id: GROUP, emailAddress: 'b@example.com' };
    mimecast()
      .post('/api/directory/add-group-member', { data: [a, b] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: a, errors: [{ code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false }] }],
      });
    const r = await runAction('add_group_member', { member_information: [a, b] }, config, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.failures).toEqual([
      { code: 'err_folder_group_member_already_exists', message: 'Group member already exists', retryable: false, key: a },
      { code: 'no_outcome', message: NO_OUTCOME, key: b },
    ]);
  });

  it("group members: the answer's data entries (member id, folderId) are paired by address, so the unanswered member is the one reported", async () => {
    const a = { id: GROUP, emailAddress: 'a@example.com' };
    const b = { id: GROUP, domain: 'b.example.com' };
    mimecast()
      .post('/api/directory/remove-group-member', { data: [a, b] })
      .reply(200, { meta: { status: 200 }, data: [{ id: 'eNoMemberB', folderId: GROUP, domain: 'b.example.com', internal: false }], fail: [] });
    const r = await runAction('remove_group_member', { member_information: [a, b] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.failures).toEqual([{ code: 'no_outcome', message: NO_OUTCOME, key: a }]);
  });

  it('a failure keyed to no member that was sent is reported once as such, and counted as no item ("The item failed", not "All 2 items")', async () => {
    const a = { id: GROUP, emailAddress: 'a@example.com' };
    const other = { id: GROUP, emailAddress: 'someone-else@example.com' };
    mimecast()
      .post('/api/directory/add-group-member', { data: [a] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: other, errors: [{ code: 'err_folder_email_address_not_found', message: 'Not found', retryable: false }] }],
      });
    const r = await runAction('add_group_member', { member_information: [a] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([
      {
        code: 'err_folder_email_address_not_found',
        message: "Not found (Mimecast's key for this failure names no item that was sent)",
        retryable: false,
        key: other,
      },
      { code: 'no_outcome', message: NO_OUTCOME, key: a },
    ]);
    expect(r.error?.message).toBe(`The item failed; first: ${NO_OUTCOME} (no_outcome)`);
  });
});

describe('large answers', () => {
  setupNock();

  it(`a hold-release answered with a fail[] of ${BIG} entries ends as an ordinary failed result, not an internal error`, async () => {
    const fail = Array.from({ length: BIG }, (_, i) => ({ key: { id: 'eNoHeld1' }, errors: [{ code: 'err_held', message: `refused ${i}` }] }));
    mimecast()
      .post('/api/gateway/hold-release')
      .reply(200, { meta: { status: 200 }, data: [], fail });
    const r = await runAction('release_held_message', { id: ['eNoHeld1'] }, config, fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_held', message: 'The item failed; first: refused 0 (err_held)' });
    expect(r.failures).toHaveLength(BIG);
  });

  it(`a page of ${BIG} rows is read whole`, async () => {
    const folders = Array.from({ length: BIG }, (_, i) => ({ id: `g${i}`, description: 'x' }));
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, { meta: { status: 200, pagination: { pageSize: 100 } }, data: [{ folders }], fail: [] });
    const r = await runAction('search_groups', {}, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(BIG);
  });

  it(`a search-hash answer with ${BIG} failed hashes is an ordinary partial result`, async () => {
    const hashes = ['a'.repeat(64), 'b'.repeat(64)];
    const failedHashes = Array.from({ length: BIG }, (_, i) => ({ hash: hashes[1], errors: [{ code: 'err_hash', message: `no ${i}` }] }));
    mimecast()
      .post('/api/ttp/remediation/search-hash')
      .reply(200, { meta: { status: 200 }, data: [{ hashStatus: [{ hash: hashes[0], detected: false }], failedHashes }], fail: [] });
    const r = await runAction('search_file_hash', { hashes }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.failures).toHaveLength(BIG);
  });
});

describe('paging ends cleanly', () => {
  setupNock();
  const page = (folders: unknown[], next?: string) => ({
    meta: { status: 200, pagination: { pageSize: 2, ...(next ? { next } : {}) } },
    data: [{ folders }],
    fail: [],
  });

  it('an empty page that still carries next is the end: no further request, success, no resume token', async () => {
    mimecast()
      .post('/api/directory/find-groups', (b) => !b.meta.pagination.pageToken)
      .reply(200, page([{ id: 'g1' }, { id: 'g2' }], 'tok-1'))
      .post('/api/directory/find-groups', (b) => b.meta.pagination.pageToken === 'tok-1')
      .reply(200, page([], 'tok-2'));
    // Nothing answers tok-2: a request for it would fail the test (nock: no match).
    const r = await runAction('search_groups', { page_size: 2 }, config, fast);
    expect(r.status).toBe('success');
    expect(exitCodeFor(r)).toBe(0);
    expect(r.data).toEqual([{ id: 'g1' }, { id: 'g2' }]);
    expect(r.meta.requests).toBe(3);
    expect(r.meta.pages).toBe(2);
    expect(r.meta.next_page_token).toBeUndefined();
  });
});
