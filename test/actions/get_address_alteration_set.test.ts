import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_SET_ID, ROOT_SET_PARENT_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.get_address_alteration_set.example![0] as { depth: number };
const PATH = '/api/policy/address-alteration/get-address-alteration-set';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const set = (id: string, folders?: unknown[]) => ({
  id,
  description: `Set ${id}`,
  parentId: 'eNoRoot',
  folderCount: folders?.length ?? 0,
  userCount: 0,
  ...(folders ? { folders } : {}),
});

describe('get_address_alteration_set (nock)', () => {
  setupNock();

  it("sends the seed's example as {depth: 0} and returns Mimecast's data[] as is", async () => {
    mimecast()
      .post(PATH, { data: [{ depth: 0 }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([set('a'), set('b')]));
    const r = await runAction('get_address_alteration_set', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([set('a'), set('b')]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Found 2 address alteration sets at the root level (2 including child sets, depth 0).');
    validateOutput('get_address_alteration_set', r.data);
  });

  it('sends the default depth 1 and folderId when folder_id is given; counts the child sets', async () => {
    const tree = [set('a', [set('a1'), set('a2')])];
    mimecast()
      .post(PATH, { data: [{ folderId: 'a', depth: 1 }] })
      .reply(200, ok(tree));
    const r = await runAction('get_address_alteration_set', { folder_id: 'a' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(tree);
    expect(r.summary).toBe('Found 1 address alteration set for the given folder (3 including child sets, depth 1).');
  });

  it('reads depth as a form sends it ("3")', async () => {
    mimecast()
      .post(PATH, { data: [{ depth: 3 }] })
      .reply(200, ok([]));
    const r = await runAction('get_address_alteration_set', { depth: '3' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Found 0 address alteration sets at the root level (0 including child sets, depth 3).');
  });

  it('is failed (not_found) for an unknown folder', async () => {
    mimecast()
      .post(PATH, { data: [{ folderId: 'gone', depth: 1 }] })
      .reply(
        200,
        ok(
          [],
          [
            {
              key: { folderId: 'gone', depth: 1 },
              errors: [
                { code: 'err_address_alteration_set_not_found', message: 'The address alteration set was not found', field: 'folderId', retryable: false },
              ],
            },
          ],
        ),
      );
    const r = await runAction('get_address_alteration_set', { folder_id: 'gone' }, config, fast);
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_set_not_found' });
  });

  it.each([
    ['depth must be >= 0', { depth: -1 }],
    ['depth must be an integer', { depth: 'deep' }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('get_address_alteration_set', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: 'depth' });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_address_alteration_set (simulator)', () => {
  const h = useSimulator();

  it("returns the root-level sets for the seed's example (depth 0: no child sets)", async () => {
    const r = await h.run('get_address_alteration_set', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: EXAMPLE_SET_ID, description: 'Domain migration rewrites', parentId: ROOT_SET_PARENT_ID, folderCount: 0, userCount: 1 }]);
    validateOutput('get_address_alteration_set', r.data);
  });

  it('nests child sets down to depth levels', async () => {
    const child = await h.run('create_address_alteration_set', { description: 'Child', parent_id: EXAMPLE_SET_ID });
    await h.run('create_address_alteration_set', { description: 'Grandchild', parent_id: child.data.id });
    const one = await h.run('get_address_alteration_set', {});
    expect(one.data[0].folders.map((s: { description: string }) => s.description)).toEqual(['Child']);
    expect(one.data[0].folders[0]).toMatchObject({ folderCount: 1 });
    expect(one.data[0].folders[0].folders).toBeUndefined(); // below depth 1: counted, not expanded
    const two = await h.run('get_address_alteration_set', { depth: 2 });
    expect(two.data[0].folders[0].folders.map((s: { description: string }) => s.description)).toEqual(['Grandchild']);
    expect(two.summary).toBe('Found 1 address alteration set at the root level (3 including child sets, depth 2).');
  });
});
