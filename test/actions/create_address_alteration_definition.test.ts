import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, BASE, config, dryRunHeaders, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { definitions, EXAMPLE_SET_ID, MAX_API_DEFINITIONS } from '../../src/simulator/routes/policy-address-alteration.js';

const example = manifest.actions.create_address_alteration_definition.example![0] as Record<string, string>;
const PATH = '/api/policy/address-alteration/create-definition';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });
const definition = { original_address: 'john.doe@example.com', new_address: 'jdoe@example.com', address_type: 'to_cc_bcc', routing: 'all' };
const body = (folderId?: string) => ({
  data: [
    {
      ...(folderId ? { folderId } : {}),
      addressAlterations: [{ originalAddress: 'john.doe@example.com', newAddress: 'jdoe@example.com', addressType: 'to_cc_bcc', routing: 'all' }],
    },
  ],
});

describe('create_address_alteration_definition (nock)', () => {
  setupNock();

  it('sends the documented body: addressAlterations[{originalAddress, newAddress, addressType, routing}], no folderId at the root', async () => {
    mimecast()
      .post(PATH, {
        data: [{ addressAlterations: [{ originalAddress: '@example.com', newAddress: '@example.org', addressType: 'envelope_to', routing: 'inbound' }] }],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([{ id: 'eNoDef', success: true }]));
    const r = await runAction('create_address_alteration_definition', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: 'eNoDef', success: true }]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Created the address alteration definition @example.com → @example.org (envelope_to, inbound) at the root level.');
    validateOutput('create_address_alteration_definition', r.data);
  });

  it('sends folderId when folder_id is given; reads allowed values in any letter case', async () => {
    mimecast()
      .post(PATH, body('eNoSet'))
      .reply(200, ok([{ id: 'eNoDef', success: true }]));
    const r = await runAction(
      'create_address_alteration_definition',
      { ...definition, address_type: 'TO_CC_BCC', routing: 'All', folder_id: 'eNoSet' },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.summary).toBe('Created the address alteration definition john.doe@example.com → jdoe@example.com (to_cc_bcc, all) in the address alteration set.');
  });

  it('is failed when Mimecast answers success: false (e.g. the API cap of 3000 definitions)', async () => {
    mimecast()
      .post(PATH, body())
      .reply(200, ok([{ success: false }]));
    const r = await runAction('create_address_alteration_definition', definition, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toEqual([]);
    expect(r.failures).toEqual([{ code: 'success_failed', message: 'Mimecast answered success: false for this item', key: { success: false } }]);
  });

  it('is failed with the Mimecast error from fail[], keyed by the request item', async () => {
    const err = {
      code: 'err_address_alteration_domain_not_internal',
      message: 'newAddress uses other.net, which is not an internal domain',
      field: 'newAddress',
      retryable: false,
    };
    mimecast()
      .post(PATH, body())
      .reply(200, ok([], [{ key: body().data[0], errors: [err] }]));
    const r = await runAction('create_address_alteration_definition', definition, config, fast);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([{ ...err, key: body().data[0] }]);
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_address_alteration_domain_not_internal' });
  });

  it('dry run: shows the exact request and sends nothing', async () => {
    const r = await runAction('create_address_alteration_definition', { ...definition, folder_id: 'eNoSet' }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    expect((r.data as { requests: unknown[] }).requests).toEqual([
      {
        method: 'POST',
        url: `${BASE}${PATH}`,
        headers: dryRunHeaders,
        body: body('eNoSet'),
      },
    ]);
  });

  it.each(['john.doe@example.com', '@example.com', 'john.doe@', '*@example.com', 'john.doe@*', 'first.last+tag@mail.example.co.uk'])(
    'accepts the address form %s',
    async (address) => {
      const r = await runAction('create_address_alteration_definition', { ...definition, original_address: address, new_address: address }, config, {
        ...fast,
        dryRun: true,
      });
      expect(r.status).toBe('success');
      expect((r.data as { requests: { body: typeof body }[] }).requests[0].body).toEqual({
        data: [{ addressAlterations: [{ originalAddress: address, newAddress: address, addressType: 'to_cc_bcc', routing: 'all' }] }],
      });
    },
  );

  const FORMS = 'must be an address in one of the forms localpart@domainpart, @domainpart or localpart@ (e.g. john.doe@example.com, @example.com, john.doe@)';
  it.each([
    [`original_address ${FORMS}`, { ...definition, original_address: 'john.doe' }],
    [`original_address ${FORMS}`, { ...definition, original_address: 'a@b@example.com' }],
    [`original_address ${FORMS}`, { ...definition, original_address: 'john doe@example.com' }],
    [`new_address ${FORMS}`, { ...definition, new_address: '@' }],
    [`new_address ${FORMS}`, { ...definition, new_address: '*@*' }],
    [`new_address ${FORMS}`, { ...definition, new_address: '@localhost' }],
    [`new_address ${FORMS}`, { ...definition, new_address: 'john@.example.com' }],
    ['address_type must be one of: all, envelope_from, envelope_to, from, reply_to, to_cc_bcc, sender', { ...definition, address_type: 'cc' }],
    ['routing must be one of: all, inbound, outbound', { ...definition, routing: 'internal' }],
    ['routing is required', { ...definition, routing: undefined }],
    ['new_address is required', { ...definition, new_address: '' }],
  ])('refuses before sending anything: %s', async (message, input) => {
    const r = await runAction('create_address_alteration_definition', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: message.split(' ')[0] });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_address_alteration_definition (simulator)', () => {
  const h = useSimulator();

  it('creates a definition in a set; Get Address Alteration Definition finds it by its set', async () => {
    const r = await h.run('create_address_alteration_definition', { ...definition, folder_id: EXAMPLE_SET_ID });
    expect(r.status).toBe('success');
    validateOutput('create_address_alteration_definition', r.data);
    const [created] = r.data as { id: string }[];
    const found = await h.run('get_address_alteration_definition', { folder_id: EXAMPLE_SET_ID, original_address: 'john.doe@example.com' });
    expect(found.data).toEqual([
      {
        id: created.id,
        folderId: EXAMPLE_SET_ID,
        originalAddress: 'john.doe@example.com',
        newAddress: 'jdoe@example.com',
        addressType: 'to_cc_bcc',
        routing: 'all',
      },
    ]);
  });

  it('refuses a domain that is not internal, like Mimecast (fail[] keyed by the item)', async () => {
    const r = await h.run('create_address_alteration_definition', { ...definition, new_address: '@other.net' });
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([expect.objectContaining({ code: 'err_address_alteration_domain_not_internal', field: 'newAddress' })]);
  });

  it('answers success: false once the API cap of definitions is reached, and the action fails', async () => {
    const store = definitions(h.sim);
    for (let i = store.size; i < MAX_API_DEFINITIONS; i++)
      store.set(`eNoFill${i}`, {
        id: `eNoFill${i}`,
        originalAddress: `u${i}@example.com`,
        newAddress: `v${i}@example.com`,
        addressType: 'all',
        routing: 'all',
      });
    const r = await h.run('create_address_alteration_definition', definition);
    expect(r.status).toBe('failed');
    expect(r.failures).toEqual([{ code: 'success_failed', message: 'Mimecast answered success: false for this item', key: { success: false } }]);
  });
});
