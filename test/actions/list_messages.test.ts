import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_ARCHIVE_MESSAGE_ID } from '../../src/simulator/routes/archive-messages.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.list_messages.example!;
const PATH = '/api/archive/get-message-list';
// 31 March 10:00 UTC: one calendar month back is clamped to 29 February (leap year).
const NOW = Date.UTC(2024, 2, 31, 10, 0, 0);
const at = { ...fast, now: () => NOW };

const msg = (n: number) => ({
  id: `eNpVjsArchived${n}`,
  subject: `Message ${n}`,
  from: { displayableName: 'Sender', emailAddress: `sender${n}@example.org` },
  to: [{ displayableName: '', emailAddress: 'user1@example.com' }],
  received: '2024-03-20T08:00:00+0000',
  size: 4096 + n,
  attachmentCount: n % 2,
});
const page = (rows: unknown[], next?: string) => ({
  meta: { status: 200, pagination: { pageSize: rows.length, totalCount: 3, ...(next ? { next } : {}) } },
  data: rows,
  fail: [],
});

describe('list_messages (nock)', () => {
  setupNock();

  it("sends the seed's example with the documented defaults (one calendar month back to the end of today) and returns the flat data[]", async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 100 } },
        data: [{ view: 'INBOX', start: '2024-02-29T10:00:00+0000', end: '2024-03-31T23:59:59+0000', includeDelegates: false, includeAliases: true }],
      })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, page([msg(1), msg(2)]));
    const r = await runAction('list_messages', example[0], config, at);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([msg(1), msg(2)]);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe(
      "Listed 2 archived messages in the INBOX of the API user's mailbox from 2024-02-29T10:00:00+0000 to 2024-03-31T23:59:59+0000 (1 page).",
    );
    expect(r.meta).toMatchObject({ requests: 2, pages: 1 });
    validateOutput('list_messages', r.data);
  });

  it('sends view upper-case, the mailbox, both flags and the given dates, and follows next across pages', async () => {
    const item = {
      view: 'SENT',
      start: '2024-03-01T00:00:00+0000',
      end: '2024-03-15T12:00:00+0000',
      includeDelegates: true,
      includeAliases: false,
      mailbox: 'user1@example.com',
    };
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 2 } }, data: [item] })
      .reply(200, page([msg(1), msg(2)], 'tok-2'))
      .post(PATH, { meta: { pagination: { pageSize: 2, pageToken: 'tok-2' } }, data: [item] })
      .reply(200, page([msg(3)]));
    const r = await runAction(
      'list_messages',
      {
        view: 'sent',
        mailbox: 'user1@example.com',
        include_delegates: 'true',
        include_aliases: 'false',
        start: '2024-03-01',
        end: '2024-03-15T14:00:00+02:00',
        page_size: '2',
      },
      config,
      at,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([msg(1), msg(2), msg(3)]);
    expect(r.meta).toMatchObject({ requests: 3, pages: 2 });
    expect(r.summary).toBe('Listed 3 archived messages in the SENT of user1@example.com from 2024-03-01T00:00:00+0000 to 2024-03-15T12:00:00+0000 (2 pages).');
  });

  it('stops after no_of_pages and says more pages are available', async () => {
    mimecast()
      .post(PATH)
      .reply(200, page([msg(1)], 'tok-2'));
    const r = await runAction('list_messages', { view: 'inbox', page_size: 1, no_of_pages: 1 }, config, at);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([msg(1)]);
    expect(r.summary).toMatch(/\(1 page; more pages are available\)\.$/);
  });

  it("fails with the error Mimecast reports in fail[] (no permission for another user's mailbox)", async () => {
    mimecast()
      .post(PATH)
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [
          {
            key: { view: 'INBOX', mailbox: 'ceo@example.com' },
            errors: [{ code: 'err_xdk_operation_forbidden_for_address', message: '0003 Forbidden To Perform Operation For Address', retryable: false }],
          },
        ],
      });
    const r = await runAction('list_messages', { view: 'INBOX', mailbox: 'ceo@example.com' }, config, at);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'permission_error',
      code: 'err_xdk_operation_forbidden_for_address',
      hint: 'Give the API application\'s role the "Archive | Search | Read" permission in Mimecast (Administration → Roles).',
    });
  });

  it.each([
    [{}, 'view is required'],
    [{ view: 'drafts' }, 'view must be one of: INBOX, SENT'],
    [{ view: 'INBOX', mailbox: 'not-an-address' }, 'mailbox must be an email address (name@domain)'],
    [{ view: 'INBOX', start: '31/03/2024' }, 'start is not a valid ISO 8601 date-time: "31/03/2024" (e.g. 2024-10-12T18:30:00Z or 2024-10-12T18:30:00+0000)'],
    [{ view: 'INBOX', page_size: 0 }, 'page_size must be >= 1'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('list_messages', input, config, at);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('list_messages (simulator)', () => {
  const h = useSimulator();
  const subjects = (r: { data: { subject: string }[] }) => r.data.map((m) => m.subject);

  it("lists the API user's inbox for the seed's example: last month only, aliases included, delegates not", async () => {
    const r = await h.run('list_messages', example[0]);
    expect(r.status).toBe('success');
    expect(r.data.map((m: { id: string }) => m.id)).toContain(DEMO_ARCHIVE_MESSAGE_ID);
    expect(subjects(r)).toContain('This week in email security'); // sent to an alias of the mailbox
    expect(subjects(r)).not.toContain('Kick-off notes (last quarter)'); // 45 days old
    expect(subjects(r)).not.toContain('Remittance advice 2291'); // delegated mailbox
    validateOutput('list_messages', r.data);
  });

  it('widens and narrows the list with dates, include_aliases, include_delegates and view, and pages the same rows', async () => {
    const start = new Date(h.sim.now().getTime() - 90 * 86_400_000).toISOString();
    const wide = await h.run('list_messages', { view: 'inbox', start, include_delegates: true, include_aliases: false });
    expect(subjects(wide)).toEqual(expect.arrayContaining(['Kick-off notes (last quarter)', 'Remittance advice 2291']));
    expect(subjects(wide)).not.toContain('This week in email security');
    const paged = await h.run('list_messages', { view: 'inbox', start, include_delegates: true, include_aliases: false, page_size: 2 });
    expect(paged.data).toEqual(wide.data);
    expect(paged.meta.pages).toBe(Math.ceil(wide.data.length / 2));
    const sent = await h.run('list_messages', { view: 'SENT', start });
    expect(subjects(sent)).toEqual(expect.arrayContaining(['Proposal follow-up', 'Re: Kick-off notes (last quarter)']));
    expect(sent.data.every((m: { from: { emailAddress: string } }) => m.from.emailAddress === 'user1@example.com')).toBe(true);
    const other = await h.run('list_messages', { view: 'INBOX', mailbox: 'user4@example.com' });
    expect(subjects(other)).toContain('Invoice INV-2291');
    expect(subjects(other)).not.toContain('Lunch on Thursday?');
  });
});
