import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_DEFINITION_ID, EXAMPLE_SET_ID } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.get_address_alteration_definition.example![0] as { routing: string };
const PATH = '/api/policy/address-alteration/get-definition';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const def = (id: string) => ({ id, originalAddress: '@sample.com', newAddress: '@example.com', addressType: 'envelope_to', routing: 'all' });

describe('get_address_alteration_definition (nock)', () => {
  setupNock();

  it("sends the seed's example as {routing} and returns data[0].items[]", async () => {
    mimecast()
      .post(PATH, { data: [{ routing: 'all' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([{ items: [def('a'), def('b')] }]));
    const r = await runAction('get_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([def('a'), def('b')]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Found 2 address alteration definitions.');
    validateOutput('get_address_alteration_definition', r.data);
  });

  it('sends every filter given, by its Mimecast name', async () => {
    mimecast()
      .post(PATH, { data: [{ folderId: 'eNoSet', originalAddress: '@sample.com', newAddress: 'sample1@sample.com', routing: 'inbound' }] })
      .reply(200, ok([{ items: [] }]));
    const r = await runAction(
      'get_address_alteration_definition',
      { folder_id: 'eNoSet', original_address: '@sample.com', new_address: 'sample1@sample.com', routing: 'Inbound' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('Found 0 address alteration definitions.');
  });

  it('retries the read after HTTP 502 (read-only)', async () => {
    mimecast()
      .post(PATH, { data: [{ routing: 'all' }] })
      .reply(502, '')
      .post(PATH, { data: [{ routing: 'all' }] })
      .reply(200, ok([{ items: [def('a')] }]));
    const r = await runAction('get_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    ['input needs one of: folder_id, new_address, original_address, routing', {}],
    ['input needs one of: folder_id, new_address, original_address, routing', { routing: '' }],
    [
      'original_address must be an address in one of the forms localpart@domainpart, @domainpart or localpart@ (e.g. john.doe@example.com, @example.com, john.doe@)',
      { original_address: 'sample' },
    ],
    ['routing must be one of: all, inbound, outbound', { routing: 'both' }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('get_address_alteration_definition', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: message.split(' ')[0] });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_address_alteration_definition (simulator)', () => {
  const h = useSimulator();

  it("finds the seeded definition with the seed's example (routing all)", async () => {
    const r = await h.run('get_address_alteration_definition', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ ...def(EXAMPLE_DEFINITION_ID), folderId: EXAMPLE_SET_ID }]);
    validateOutput('get_address_alteration_definition', r.data);
  });

  it('filters by routing, set and address', async () => {
    expect((await h.run('get_address_alteration_definition', { routing: 'inbound' })).data).toEqual([]);
    expect((await h.run('get_address_alteration_definition', { folder_id: EXAMPLE_SET_ID, new_address: '@example.com' })).data).toHaveLength(1);
    expect((await h.run('get_address_alteration_definition', { original_address: '@other.com' })).data).toEqual([]);
  });
});
