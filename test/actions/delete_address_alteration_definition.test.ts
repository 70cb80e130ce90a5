import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_DEFINITION_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.delete_address_alteration_definition.example![0] as { id: string };
const PATH = '/api/policy/address-alteration/delete-definition';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

describe('delete_address_alteration_definition (nock)', () => {
  setupNock();

  it("sends the seed's example as {id} and returns Mimecast's answer", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([{ id: example.id, success: true }]));
    const r = await runAction('delete_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: example.id, success: true }]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Deleted the address alteration definition.');
    validateOutput('delete_address_alteration_definition', r.data);
  });

  it('is failed when Mimecast answers success: false', async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .reply(200, ok([{ id: example.id, success: false }]));
    const r = await runAction('delete_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([
      { code: 'success_failed', message: 'Mimecast answered success: false for this item', key: { id: example.id, success: false } },
    ]);
  });

  it('does not re-send the delete after HTTP 500 (a write): the action fails and says so', async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .reply(500, '');
    const r = await runAction('delete_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 500 });
    expect(r.error!.hint).toMatch(/not re-sent/);
    expect(r.meta.requests).toBe(2);
  });

  it('dry run: shows the exact request and sends nothing', async () => {
    const r = await runAction('delete_address_alteration_definition', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      {
        method: 'POST',
        url: `${BASE}${PATH}`,
        headers: dryRunHeaders,
        body: { data: [{ id: example.id }] },
      },
    ]);
    expect(r.meta.requests).toBe(0);
  });

  it.each([
    ['id is required', {}],
    ['id is required', { id: '' }],
    ['id must be a string', { id: ['a', 'b'] }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('delete_address_alteration_definition', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: 'id' });
    expect(r.meta.requests).toBe(0);
  });
});

describe('delete_address_alteration_definition (simulator)', () => {
  const h = useSimulator();

  it("deletes the seed's example definition; it is gone from get-definition, and deleting it again is not_found", async () => {
    expect((await h.run('get_address_alteration_definition', { routing: 'all' })).data.map((d: { id: string }) => d.id)).toEqual([EXAMPLE_DEFINITION_ID]);
    const r = await h.run('delete_address_alteration_definition', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: EXAMPLE_DEFINITION_ID, success: true }]);
    expect((await h.run('get_address_alteration_definition', { routing: 'all' })).data).toEqual([]);
    const again = await h.run('delete_address_alteration_definition', example);
    expect(again.status).toBe('failed');
    expect(again.error).toMatchObject({ type: 'not_found', code: 'err_address_alteration_definition_not_found' });
    expect(again.failures).toEqual([expect.objectContaining({ key: { id: EXAMPLE_DEFINITION_ID } })]);
  });

  it('a definition created through the connector can be deleted with the id it returned (the declared undo)', async () => {
    expect(manifest.actions.create_address_alteration_definition.undo).toBe('delete_address_alteration_definition');
    const created = await h.run('create_address_alteration_definition', {
      original_address: 'a@example.com',
      new_address: 'b@example.com',
      address_type: 'all',
      routing: 'outbound',
    });
    const r = await h.run('delete_address_alteration_definition', { id: created.data[0].id });
    expect(r.status).toBe('success');
    expect((await h.run('get_address_alteration_definition', { routing: 'outbound' })).data).toEqual([]);
  });
});
