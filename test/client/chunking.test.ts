/**
 * Chunking: lists longer than an endpoint's per-call cap (manifest chunk_size) are split, results
 * merged, item failures kept; a chunk failing outright keeps the earlier successes and lists its
 * items and the unsent ones as failures.
 */
import manifest from '../../src/generated/manifest.js';
import { exitCodeFor, runAction, type RunOptions } from '../../src/runtime/run.js';
import { config, mimecast, setupNock } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };
const PATH = '/api/directory/remove-group-member';
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const items = Array.from({ length: 23 }, (_, i) => ({ id: GROUP_ID, emailAddress: `user${i + 1}@example.com` }));
const removed = (chunk: typeof items) =>
  chunk.map((m, i) => ({ id: `member-${m.emailAddress}`, folderId: GROUP_ID, emailAddress: m.emailAddress, internal: i % 2 === 0 }));
const ok = (chunk: typeof items) => ({ meta: { status: 200 }, data: removed(chunk), fail: [] });

describe('chunking (remove_group_member, chunk_size 10)', () => {
  setupNock();

  it('uses the chunk size from the manifest', () => {
    expect(manifest.actions.remove_group_member.chunk_size).toBe(10);
  });

  it('splits 23 items into calls of 10, 10 and 3, in order, and merges the results', async () => {
    mimecast()
      .post(PATH, { data: items.slice(0, 10) })
      .reply(200, ok(items.slice(0, 10)))
      .post(PATH, { data: items.slice(10, 20) })
      .reply(200, ok(items.slice(10, 20)))
      .post(PATH, { data: items.slice(20) })
      .reply(200, ok(items.slice(20)));
    const r = await runAction('remove_group_member', { member_information: items }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(removed(items.slice(0, 10)).concat(removed(items.slice(10, 20)), removed(items.slice(20))));
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Removed 23 members from profile groups.');
  });

  it('keeps the fail[] entries of every chunk', async () => {
    const bad = items[12];
    const err = { code: 'err_folder_group_member_not_found', message: 'Group member not found', retryable: false };
    mimecast()
      .post(PATH, { data: items.slice(0, 10) })
      .reply(200, ok(items.slice(0, 10)))
      .post(PATH, { data: items.slice(10, 20) })
      .reply(200, { meta: { status: 200 }, data: removed(items.slice(10, 20).filter((m) => m !== bad)), fail: [{ key: bad, errors: [err] }] })
      .post(PATH, { data: items.slice(20) })
      .reply(200, ok(items.slice(20)));
    const r = await runAction('remove_group_member', { member_information: items }, config, opts);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(22);
    expect(r.failures).toEqual([{ ...err, key: bad }]);
    expect(exitCodeFor(r)).toBe(3);
  });

  it('when a later chunk fails outright (503, a write: not re-sent) keeps the earlier successes and lists its items and the unsent ones', async () => {
    mimecast()
      .post(PATH, { data: items.slice(0, 10) })
      .reply(200, ok(items.slice(0, 10)))
      .post(PATH, { data: items.slice(10, 20) })
      .reply(503, '');
    const r = await runAction('remove_group_member', { member_information: items }, config, opts);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual(removed(items.slice(0, 10)));
    expect(r.meta.requests).toBe(3); // token + chunk 1 + chunk 2 once; chunk 3 never sent
    // The second call was sent: its items may have been applied (never "not sent"), the third call's were not sent.
    const failed = `POST ${PATH}: Mimecast answered HTTP 503 (the call was sent: Mimecast may have applied it; check before running it again)`;
    expect(r.failures).toEqual([
      ...items.slice(10, 20).map((key) => ({ code: 'api_error', message: failed, key })),
      ...items.slice(20).map((key) => ({ code: 'not_sent', message: 'Not sent: an earlier call of this action failed', key })),
    ]);
    expect(r.summary).toBe('Removed 10 members from profile groups. (stopped after call 2 of 3: 20 of 23 items sent, 3 not sent; 13 failures, see failures)');
    expect(exitCodeFor(r)).toBe(3);
  });

  it('when the last chunk fails outright, only its items are failures', async () => {
    mimecast()
      .post(PATH, { data: items.slice(0, 10) })
      .reply(200, ok(items.slice(0, 10)))
      .post(PATH, { data: items.slice(10, 20) })
      .reply(200, ok(items.slice(10, 20)))
      .post(PATH, { data: items.slice(20) })
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Forbidden' }] });
    const r = await runAction('remove_group_member', { member_information: items }, config, opts);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(20);
    expect(r.failures.map((f) => f.key)).toEqual(items.slice(20));
    expect(r.failures.map((f) => f.code)).toEqual(['app_forbidden', 'app_forbidden', 'app_forbidden']);
  });

  it('when the first chunk fails outright, the action fails and nothing else is sent', async () => {
    mimecast()
      .post(PATH, { data: items.slice(0, 10) })
      .reply(503, '');
    const r = await runAction('remove_group_member', { member_information: items }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.meta.requests).toBe(2);
  });
});
