import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_FALSE_POSITIVE_HELD_ID } from '../../src/simulator/routes/gateway-hold.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_hold_message_list.example!;
const PATH = '/api/gateway/get-hold-message-list';

const held = (n: number) => ({
  id: `eNpVzheld${n}`,
  reason: 'Message Hold Applied - Spam Signature policy',
  reasonId: 'MESSAGE_HOLD_APPLIED_SPAM_SIGNATURE_POLICY',
  reasonCode: 'message_hold_applied_spam_signature_policy',
  from: { emailAddress: 'dbnotes@innovation-asylum.b41.one', displayableName: '' },
  fromHeader: { emailAddress: 'dbnotes@innovation-asylum.b41.one', displayableName: '' },
  to: { emailAddress: `user${n}@example.com`, displayableName: 'e-mail_' },
  subject: '#FACS/DATA REUTERS BENCHMARK BONDS AS OF Dec 24, 2001',
  route: 'INBOUND',
  hasAttachments: false,
  size: 7543,
  dateReceived: '2022-08-01T13:10:54+0000',
  policyInfo: 'Relaxed Spam Detection',
});
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, totalCount: 3, ...(next ? { next } : {}) } },
  data: rows,
  fail: [],
});

describe('get_hold_message_list (nock)', () => {
  setupNock();

  it("sends the seed's example as data[0] {admin: true} with pageSize 100 and returns the flat data[] rows", async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ admin: true }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, page([held(1), held(2)]));
    const r = await runAction('get_hold_message_list', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([held(1), held(2)]);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Retrieved 2 held messages (1 page).');
    expect(r.meta).toMatchObject({ requests: 2, pages: 1 });
    validateOutput('get_hold_message_list', r.data);
  });

  it('follows meta.pagination.next with pageToken and merges every page', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [{ admin: true }] })
      .reply(200, page([held(1), held(2)], 'tok-2'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'tok-2' } }, data: [{ admin: true }] })
      .reply(200, page([held(3)]));
    const r = await runAction('get_hold_message_list', { admin: 'true', page_size: '2' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([held(1), held(2), held(3)]);
    expect(r.meta).toMatchObject({ requests: 3, pages: 2 });
  });

  it('stops after no_of_pages and says more pages are available', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [{ admin: true }] })
      .reply(200, page([held(1), held(2)], 'tok-2'));
    const r = await runAction('get_hold_message_list', { admin: true, page_size: 2, no_of_pages: 1 }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(2);
    expect(r.summary).toBe('Retrieved 2 held messages (1 page; more pages are available).');
  });

  it('maps field_name (any case) + value to searchBy and the date labels to start/end', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 50 } },
        data: [
          {
            admin: true,
            start: '2024-10-01T00:00:00+0000',
            end: '2024-10-12T18:30:00+0000',
            searchBy: { fieldName: 'reasonCode', value: 'message_hold_applied_spam_signature_policy' },
          },
        ],
      })
      .reply(200, page([held(1)]));
    const r = await runAction(
      'get_hold_message_list',
      {
        admin: true,
        field_name: 'REASONCODE',
        value: 'message_hold_applied_spam_signature_policy',
        start_date: '2024-10-01',
        end_date: '2024-10-12T20:30:00+02:00',
        page_size: 50,
      },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([held(1)]);
  });

  it('searches all fields when a value comes without a field name, and sends admin false by default', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ admin: false, searchBy: { fieldName: 'all', value: 'invoice' } }] })
      .reply(200, page([]));
    const r = await runAction('get_hold_message_list', { value: 'invoice' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toBe('Retrieved 0 held messages for the authenticated user only (set admin to true for all recipients) (1 page).');
  });

  it('fails with the Mimecast error when fail[] is set inside HTTP 200', async () => {
    const key = { admin: true, searchBy: { fieldName: 'senderIP', value: '10.0.0.300' } };
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key, errors: [{ code: 'err_validation_invalid_value', message: 'Invalid IP address', field: 'value', retryable: false }] }],
      });
    const r = await runAction('get_hold_message_list', { admin: true, field_name: 'senderIP', value: '10.0.0.300' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'api_error',
      code: 'err_validation_invalid_value',
      message: `POST ${PATH}: Invalid IP address (err_validation_invalid_value)`,
    });
  });

  it.each([
    [{ field_name: 'subject' }, 'value is required when field_name is given', 'value'],
    [{ field_name: 'from', value: 'x' }, 'field_name must be one of: all, subject, sender, recipient, reasonCode, senderIP', 'field_name'],
    [{ admin: 'maybe' }, 'admin must be a boolean', 'admin'],
    [{ start: 'last week' }, 'start is not a valid ISO 8601 date-time: "last week" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)', 'start'],
    [{ page_size: 0 }, 'page_size must be >= 1', 'page_size'],
  ])('refuses %j before sending anything', async (input, message, field) => {
    const r = await runAction('get_hold_message_list', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_hold_message_list (simulator)', () => {
  const h = useSimulator();

  it("lists every held message for the seed's example (admin: true), newest first", async () => {
    const r = await h.run('get_hold_message_list', example[0]);
    expect(r.status).toBe('success');
    validateOutput('get_hold_message_list', r.data);
    expect(r.data).toHaveLength(40);
    const dates = r.data.map((m: { dateReceived: string }) => m.dateReceived);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(r.data[0]).toMatchObject({
      id: DEMO_FALSE_POSITIVE_HELD_ID,
      fromHeader: { emailAddress: 'ap@northwind-traders.com' },
      policyInfo: 'Relaxed Spam Detection',
    });
  });

  it('pages through the held list', async () => {
    const r = await h.run('get_hold_message_list', { admin: true, page_size: 15 });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(40);
    expect(r.meta.pages).toBe(3);
    expect(new Set(r.data.map((m: { id: string }) => m.id)).size).toBe(40);
  });

  it('filters by searchBy field and by date', async () => {
    const bySender = await h.run('get_hold_message_list', { admin: true, field_name: 'sender', value: 'northwind-traders.com' });
    expect(bySender.data.map((m: { id: string }) => m.id)).toEqual([DEMO_FALSE_POSITIVE_HELD_ID]);
    const byReason = await h.run('get_hold_message_list', { admin: true, field_name: 'reasonCode', value: 'attachment_management' });
    expect(byReason.data.length).toBeGreaterThan(0);
    expect(byReason.data.every((m: { policyInfo: string }) => m.policyInfo === 'Default Attachment Management Definition - Block Dangerous File Types')).toBe(
      true,
    );
    const all = await h.run('get_hold_message_list', { admin: true });
    const cut = all.data[9].dateReceived;
    const recent = await h.run('get_hold_message_list', { admin: true, start: cut });
    expect(recent.data).toEqual(all.data.slice(0, 10));
  });

  it('lists nothing without admin: the API application has no mailbox of its own', async () => {
    const r = await h.run('get_hold_message_list', {});
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
    expect(r.summary).toContain('set admin to true');
  });
});
