/**
 * Deletes and updates read the records first (their before-image, in the journal) and their undo
 * puts the simulator's state back as it was: compared record by record, ignoring what Mimecast
 * assigns anew (ids, creation and update times).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal, undo } from '../../src/index.js';
import { ROOT_GROUP_PARENT_ID } from '../../src/simulator/routes/directory.js';
import { EXAMPLE_DEFINITION_ID } from '../../src/simulator/routes/policy-address-alteration.js';
import { SEEDED_GET_ID, SEEDED_UPDATE_ID } from '../../src/simulator/routes/policy-antispoofing.js';
import { useSimulator } from '../helpers/sim.js';

const h = useSimulator();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mc-journal-before-'));
});

const config = () => ({ base_url: h.sim.url, ...h.sim.credentials });
const opts = () => ({
  tokenCache: 'memory' as const,
  retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 },
  now: () => h.sim.now().getTime(),
  journal: { dir },
});

const NEW_EACH_TIME = new Set(['id', 'createTime', 'lastUpdated']);
/** A record without what Mimecast assigns anew, as canonical JSON (keys sorted). */
function canon(x: unknown): string {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !NEW_EACH_TIME.has(k))
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, val]) => [k, strip(val)]),
          )
        : v;
  return JSON.stringify(strip(x));
}
/** A read's rows as a sorted list of canonical records: the state to compare. */
async function state(action: string, input: Record<string, unknown> = {}): Promise<string[]> {
  const r = await h.run(action, input, { ...opts(), journal: false });
  expect(r.status).toBe('success');
  return (r.data as unknown[]).map(canon).sort();
}

/** Runs the write, checks its record holds a before-image, undoes it; resolves to the undo. */
async function writeThenUndo(action: string, input: Record<string, unknown>) {
  const r = await h.run(action, input, opts());
  expect(r.status).toBe('success');
  const record = readJournal(undefined, { dir }).find((x) => x.run_id === r.meta.run_id)!;
  expect(record.before).toBeDefined();
  expect(record.undo.steps.length).toBeGreaterThan(0);
  const u = await undo(config(), r.meta.run_id!, opts());
  expect(u.status).toBe('success');
  return { r, u, record };
}

const definitions = async () => [
  ...(await state('get_address_alteration_definition', { routing: 'all' })),
  ...(await state('get_address_alteration_definition', { routing: 'inbound' })),
  ...(await state('get_address_alteration_definition', { routing: 'outbound' })),
];

describe('before-images: undo restores what the simulator held', () => {
  it('delete_anti_spoofing_policy: the policy is created again as it was', async () => {
    const before = await state('get_anti_spoofing_policy');
    await writeThenUndo('delete_anti_spoofing_policy', { policy_id: [SEEDED_GET_ID] });
    expect(await state('get_anti_spoofing_policy')).toEqual(before);
  });

  it('delete_address_alteration_policy: the policy is created again in its set', async () => {
    const before = await state('get_address_alteration_policy');
    const id = (await h.run('get_address_alteration_policy', {}, { ...opts(), journal: false })).data[0].id;
    await writeThenUndo('delete_address_alteration_policy', { policy_id: [id] });
    expect(await state('get_address_alteration_policy')).toEqual(before);
  });

  it('delete_address_alteration_definition: found by routing (no id filter) and created again', async () => {
    const before = await definitions();
    expect(before.length).toBeGreaterThan(0);
    await writeThenUndo('delete_address_alteration_definition', { id: EXAMPLE_DEFINITION_ID });
    expect(await definitions()).toEqual(before);
  });

  it('delete_managed_url: the entry is created again with its URL, action and options', async () => {
    const before = await state('get_managed_urls');
    const listed = (await h.run('get_managed_urls', {}, { ...opts(), journal: false })).data as Record<string, unknown>[];
    // An entry with a path and options, so the URL is put back together from its parts.
    const target = listed.find((u) => u.matchType !== 'domain' && u.path && u.path !== '/') ?? listed[0];
    await writeThenUndo('delete_managed_url', { id: target.id });
    expect(await state('get_managed_urls')).toEqual(before);
  });

  it('update_anti_spoofing_policy: the policy gets back its option and scope', async () => {
    const before = await state('get_anti_spoofing_policy');
    const { r } = await writeThenUndo('update_anti_spoofing_policy', {
      id: SEEDED_UPDATE_ID,
      option: 'enable_bypass',
      policy: { description: 'changed by mistake', enabled: true },
    });
    expect(r.data).toMatchObject({ id: SEEDED_UPDATE_ID });
    expect(await state('get_anti_spoofing_policy')).toEqual(before);
  });

  it('update_address_alteration_policy: the policy gets back its scope', async () => {
    const before = await state('get_address_alteration_policy');
    const id = (await h.run('get_address_alteration_policy', {}, { ...opts(), journal: false })).data[0].id;
    await writeThenUndo('update_address_alteration_policy', { id, policy: { description: 'changed by mistake', enabled: false } });
    expect(await state('get_address_alteration_policy')).toEqual(before);
  });

  it('update_policy_with_targets: the policy gets back its description, each scope and its whole URL list', async () => {
    const created = await h.run(
      'create_policy_with_targets',
      {
        description: 'Block phishing domain malicious-login-3.example.net',
        policies: { description: 'Block phishing domain', from: { type: 'everyone' }, to: { type: 'everyone' }, comment: 'as set up' },
        urls: [
          { action: 'block', type: 'domain', value: 'malicious-login-3.example.net' },
          { action: 'block', type: 'url', value: 'https://malicious-login-4.example.net/login' },
        ],
      },
      { ...opts(), journal: false },
    );
    expect(created.status).toBe('success');
    const id = (created.data as { id: string }).id;
    const policy = async () => canon((await h.run('get_policy_with_targets', { id }, { ...opts(), journal: false })).data);
    const before = await policy();
    const { record } = await writeThenUndo('update_policy_with_targets', {
      id,
      description: 'changed by mistake',
      policies: [{ comment: 'changed by mistake', enabled: false }],
      urls: [{ action: 'allow', type: 'domain', value: 'mistake.example.com' }],
    });
    expect(record.undo.undo_note).toBe('The policy is updated back to its before-image: description, every scope, the whole URL list.');
    expect(await policy()).toEqual(before);
  });

  it('update_group: each group gets back its description and parent', async () => {
    const before = await state('search_groups');
    const groups = (await h.run('search_groups', {}, { ...opts(), journal: false })).data as Record<string, unknown>[];
    // b is moved under a, and back to the root it hangs from.
    const [a, b] = groups.filter((g) => g.parentId === ROOT_GROUP_PARENT_ID);
    await writeThenUndo('update_group', {
      groups_information: [
        { id: a.id, description: 'renamed by mistake' },
        { id: b.id, description: 'moved by mistake', parentId: a.id },
      ],
    });
    expect(await state('search_groups')).toEqual(before);
  });

  it('counts the before-image read (and its token request) in meta.requests and in the record', async () => {
    h.sim.requests.length = 0;
    const r = await h.run('delete_anti_spoofing_policy', { policy_id: [SEEDED_GET_ID] }, opts());
    expect(r.status).toBe('success');
    expect(h.sim.requests.map((x) => x.path)).toEqual([
      '/oauth/token',
      '/api/policy/antispoofing-bypass/get-policy',
      '/api/policy/antispoofing-bypass/delete-policy',
    ]);
    expect(r.meta.requests).toBe(3);
    expect(readJournal(undefined, { dir })[0].requests).toBe(3);
  });

  it('a dry run reads nothing before the write', async () => {
    h.sim.requests.length = 0;
    const r = await h.run('delete_anti_spoofing_policy', { policy_id: [SEEDED_GET_ID] }, { ...opts(), dryRun: true });
    expect(r.status).toBe('success');
    expect(h.sim.requests).toEqual([]);
    expect(readJournal(undefined, { dir })).toEqual([]);
  });
});
