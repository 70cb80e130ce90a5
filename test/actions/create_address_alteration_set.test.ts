import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_SET_ID, ROOT_SET_PARENT_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.create_address_alteration_set.example![0] as { description: string };
const PATH = '/api/policy/address-alteration/create-address-alteration-set';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const created = { id: 'eNoNewSet', description: 'Sample description', parentId: 'eNoRoot', folderCount: 0, userCount: 0 };

describe('create_address_alteration_set (nock)', () => {
  setupNock();

  it("sends the seed's example as {description} and returns the set Mimecast created", async () => {
    mimecast()
      .post(PATH, { data: [{ description: 'Sample description' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([created]));
    const r = await runAction('create_address_alteration_set', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(created);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Created address alteration set "Sample description" at the root level.');
    validateOutput('create_address_alteration_set', r.data);
  });

  it('sends parentId when parent_id is given', async () => {
    mimecast()
      .post(PATH, { data: [{ description: 'Child', parentId: 'eNoParent' }] })
      .reply(200, ok([{ ...created, description: 'Child', parentId: 'eNoParent' }]));
    const r = await runAction('create_address_alteration_set', { description: 'Child', parent_id: 'eNoParent' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Created address alteration set "Child" inside the parent set.');
  });

  it('is failed with the Mimecast error when the parent is unknown (the write is sent once)', async () => {
    mimecast()
      .post(PATH, { data: [{ description: 'Child', parentId: 'eNoGone' }] })
      .reply(
        200,
        ok(
          [],
          [
            {
              key: { description: 'Child', parentId: 'eNoGone' },
              errors: [
                {
                  code: 'err_address_alteration_set_not_found',
                  message: 'The parent address alteration set was not found',
                  field: 'parentId',
                  retryable: false,
                },
              ],
            },
          ],
        ),
      );
    const r = await runAction('create_address_alteration_set', { description: 'Child', parent_id: 'eNoGone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_set_not_found', field: 'parentId' });
    expect(r.meta.requests).toBe(2);
  });

  it('is an api_error when Mimecast answers success without a set', async () => {
    mimecast().post(PATH).reply(200, ok([]));
    const r = await runAction('create_address_alteration_set', example, config, fast);
    expect(r.error).toMatchObject({ type: 'api_error', message: `POST ${PATH}: Mimecast reported success but returned no set` });
  });

  it('dry run: shows the exact request and sends nothing', async () => {
    const r = await runAction('create_address_alteration_set', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      {
        method: 'POST',
        url: `${BASE}${PATH}`,
        headers: dryRunHeaders,
        body: { data: [{ description: 'Sample description' }] },
      },
    ]);
  });

  it.each([
    ['description is required', {}],
    ['description is required', { description: '' }],
    ['input has an unknown key "name" (allowed: description, parent_id)', { description: 'x', name: 'y' }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('create_address_alteration_set', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_address_alteration_set (simulator)', () => {
  const h = useSimulator();

  it("creates the seed's example set at the root level; Get Address Alteration Set lists it", async () => {
    const r = await h.run('create_address_alteration_set', example);
    expect(r.status).toBe('success');
    validateOutput('create_address_alteration_set', r.data);
    expect(r.data).toEqual({ id: expect.any(String), description: 'Sample description', parentId: ROOT_SET_PARENT_ID, folderCount: 0, userCount: 0 });

    const listed = await h.run('get_address_alteration_set', { depth: 0 });
    expect(listed.data.map((s: { description: string }) => s.description)).toEqual(['Domain migration rewrites', 'Sample description']);
  });

  it('creates a child set inside a parent: the parent lists it in folders[] and counts it', async () => {
    const r = await h.run('create_address_alteration_set', { description: 'Child', parent_id: EXAMPLE_SET_ID });
    expect(r.status).toBe('success');
    const parent = await h.run('get_address_alteration_set', { folder_id: EXAMPLE_SET_ID });
    expect(parent.data).toEqual([
      expect.objectContaining({
        id: EXAMPLE_SET_ID,
        folderCount: 1,
        folders: [expect.objectContaining({ id: r.data.id, description: 'Child', parentId: EXAMPLE_SET_ID })],
      }),
    ]);
  });

  it('fails like Mimecast for an unknown parent', async () => {
    const r = await h.run('create_address_alteration_set', { description: 'Child', parent_id: 'eNoNoSuchSet' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_set_not_found', field: 'parentId' });
  });
});
