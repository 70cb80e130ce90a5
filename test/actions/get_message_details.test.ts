import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_ATTACHMENT_ID } from '../../src/simulator/routes/archive.js';
import { DEMO_ARCHIVE_MESSAGE_ID } from '../../src/simulator/routes/archive-messages.js';
import { DEMO_PHISH_MESSAGE_ID, DEMO_PHISH_SENDER } from '../../src/simulator/routes/message-finder.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_message_details.example! as { message_id: string }[];
const ID = example[0].message_id;
const PATH = '/api/archive/get-message-detail';

const detail = {
  id: ID,
  subject: 'Overdue invoice - action required',
  from: { displayableName: 'Accounts Payable', emailAddress: 'billing@bad.example.net' },
  to: [{ displayableName: '', emailAddress: 'user1@example.com' }],
  cc: [],
  replyTo: { displayableName: 'Accounts Payable', emailAddress: 'billing@bad.example.net' },
  envelopeFrom: { displayableName: '', emailAddress: 'bounce@bad.example.net' },
  headerDate: '2024-10-12T18:30:00+0000',
  processed: '2024-10-12T18:30:02+0000',
  size: 4121,
  hasHtmlBody: true,
  headers: [
    { name: 'Message-ID', values: ['<x.1@bad.example.net>'] },
    { name: 'Subject', values: ['Overdue invoice - action required'] },
  ],
  attachments: [{ id: 'eNpAtt1', filename: 'invoice.pdf.html', sha256: 'ab'.repeat(32), size: 121, extension: 'html', contentType: 'text/html' }],
};

describe('get_message_details (nock)', () => {
  setupNock();

  it('sends the example as data[0].id and returns data[0] as Mimecast sends it', async () => {
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, { meta: { status: 200 }, data: [detail], fail: [] });
    const r = await runAction('get_message_details', example[0], config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(detail);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('"Overdue invoice - action required" from billing@bad.example.net has 1 attachment.');
    expect(r.meta.requests).toBe(2);
    validateOutput('get_message_details', r.data);
  });

  it('accepts id as the label-free alias and reports a message without attachments', async () => {
    const plain = { ...detail, id: 'eNpPlain', attachments: [] };
    mimecast()
      .post(PATH, { data: [{ id: 'eNpPlain' }] })
      .reply(200, { meta: { status: 200 }, data: [plain], fail: [] });
    const r = await runAction('get_message_details', { id: 'eNpPlain' }, config, fast);
    expect(r.status).toBe('success');
    expect(r.summary).toBe('"Overdue invoice - action required" from billing@bad.example.net has 0 attachments.');
  });

  it("reports Mimecast's fail[] as the action's error", async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'eNpGone' }] })
      .reply(200, {
        meta: { status: 200 },
        data: [],
        fail: [{ key: { id: 'eNpGone' }, errors: [{ code: 'err_message_not_found', message: 'The message could not be found', retryable: false }] }],
      });
    const r = await runAction('get_message_details', { message_id: 'eNpGone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_message_not_found' });
  });

  it('turns HTTP 403 into a permission_error naming the seed permission', async () => {
    mimecast()
      .post(PATH)
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Resource or method requested does not exist in any product assigned to the application' }] });
    const r = await runAction('get_message_details', { message_id: ID }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'permission_error',
      http_status: 403,
      code: 'app_forbidden',
      hint: 'Give the API application\'s role the "Archive | Search Content View" permission in Mimecast (Administration → Roles).',
    });
  });

  it('is not_found when Mimecast answers with no record and no fail[]', async () => {
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('get_message_details', { message_id: ID }, config, fast);
    expect(r.error).toEqual({
      type: 'not_found',
      message: `POST ${PATH}: Mimecast returned no message for this ID`,
      hint: 'Use an archive message id from the List Messages action.',
    });
  });

  it.each([
    [{}, 'message_id is required'],
    [{ message_id: 'a', mailbox: 'x@y.com' }, 'input has an unknown key "mailbox" (allowed: message_id)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_message_details', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_message_details (simulator)', () => {
  const h = useSimulator();

  it('details the phishing message found by List Messages; its attachment downloads with the same sha256', async () => {
    const list = await h.run('list_messages', { view: 'INBOX' });
    const phish = list.data.find((m: { from: { emailAddress: string } }) => m.from.emailAddress === DEMO_PHISH_SENDER);
    expect(phish.id).toBe(DEMO_ARCHIVE_MESSAGE_ID);
    const r = await h.run('get_message_details', { message_id: phish.id });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({
      id: DEMO_ARCHIVE_MESSAGE_ID,
      from: { emailAddress: DEMO_PHISH_SENDER },
      attachments: [{ id: DEMO_ATTACHMENT_ID, filename: 'invoice_2024.pdf.html' }],
    });
    expect(r.data.headers).toContainEqual({ name: 'Message-ID', values: [DEMO_PHISH_MESSAGE_ID] });
    validateOutput('get_message_details', r.data);
    const file = await h.run('get_file', { file_or_attachment_id: r.data.attachments[0].id }, { outputDir: tmpDir() });
    expect(file.status).toBe('success');
    expect(file.data).toMatchObject({ file_name: 'invoice_2024.pdf.html', sha256: r.data.attachments[0].sha256, size: r.data.attachments[0].size });
  });

  it("succeeds for the manifest's example and fails like Mimecast for an unknown id", async () => {
    const ok = await h.run('get_message_details', example[0]);
    expect(ok.status).toBe('success');
    const gone = await h.run('get_message_details', { message_id: 'eNpNoSuchMessage' });
    expect(gone.status).toBe('failed');
    expect(gone.error).toMatchObject({ type: 'not_found', code: 'err_message_not_found' });
  });
});
