import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_ATTACHMENT_ID } from '../../src/simulator/routes/archive.js';
import { validateOutput } from '../helpers/contract.js';
import { TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_file.example! as { file_or_attachment_id: string }[];
const ID = example[0].file_or_attachment_id;
const PATH = '/api/gateway/message/get-file';
const CONTENT = Buffer.from('<html><body><form action="http://bad.example.net/verify">Sign in</form></body></html>\n');
const SHA = createHash('sha256').update(CONTENT).digest('hex');

describe('get_file (nock)', () => {
  setupNock();

  it('posts data[0].id to the gateway route with Accept */* and saves the stream under its Content-Disposition name', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('accept', '*/*')
      .matchHeader('content-type', 'application/json')
      .reply(200, CONTENT, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="invoice_2024.pdf.html"' });
    const r = await runAction('get_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    const path = join(dir, 'invoice_2024.pdf.html');
    expect(r.data).toEqual({ file_name: 'invoice_2024.pdf.html', path, size: CONTENT.length, sha256: SHA, content_type: 'application/octet-stream' });
    expect(readFileSync(path).equals(CONTENT)).toBe(true);
    expect(r.summary).toBe(`Saved invoice_2024.pdf.html (${CONTENT.length} bytes, sha256 ${SHA.slice(0, 12)}…) to ${path}.`);
    validateOutput('get_file', r.data);
  });

  it('uses file_name (alias attachment_id for the ID) when Mimecast sends no file name', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: 'eNpAtt42' }] })
      .reply(200, CONTENT, { 'content-type': 'text/html' });
    const r = await runAction('get_file', { attachment_id: 'eNpAtt42', file_name: 'sample.html' }, config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ file_name: 'sample.html', path: join(dir, 'sample.html'), size: CONTENT.length, sha256: SHA, content_type: 'text/html' });
  });

  it("turns Mimecast's JSON error envelope into an error and saves no file", async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(
        200,
        {
          meta: { status: 200 },
          data: [],
          fail: [
            { key: { id: ID }, errors: [{ code: 'err_file_not_found', message: 'The requested file could not be found', field: 'id', retryable: false }] },
          ],
        },
        { 'content-type': 'application/json' },
      );
    const r = await runAction('get_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({
      type: 'not_found',
      code: 'err_file_not_found',
      message: 'POST /api/gateway/message/get-file: The requested file could not be found (err_file_not_found)',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats any JSON answer, even one without fail[], as an error and never a file', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] }, { 'content-type': 'application/json; charset=utf-8' });
    const r = await runAction('get_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'api_error',
      message: 'POST /api/gateway/message/get-file: Mimecast returned JSON instead of a file, with no link to one',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports HTTP 403 as a permission_error', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(
        403,
        { fail: [{ code: 'app_forbidden', message: 'Resource or method requested does not exist in any product assigned to the application' }] },
        { 'content-type': 'application/json' },
      );
    const r = await runAction('get_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', http_status: 403, code: 'app_forbidden' });
    // The permission of Mimecast's get-file page (mimecast-api.md §8).
    expect(r.error!.hint).toBe('Give the API application\'s role the "Gateway | Tracking | Read" permission in Mimecast (Administration → Roles).');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [{}, 'file_or_attachment_id is required'],
    [{ file_or_attachment_id: 'a', id: 'b' }, 'file_or_attachment_id was given twice (as "file_or_attachment_id" and as "id"); give it once'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_file', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_file (simulator)', () => {
  const h = useSimulator();

  it("downloads the demo attachment for the manifest's example", async () => {
    expect(ID).toBe(DEMO_ATTACHMENT_ID);
    const dir = tmpDir();
    const r = await h.run('get_file', example[0], { outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data.file_name).toBe('invoice_2024.pdf.html');
    const saved = readFileSync(r.data.path);
    expect(r.data.sha256).toBe(createHash('sha256').update(saved).digest('hex'));
    expect(saved.toString()).toContain('malicious-login-3.example.net');
    validateOutput('get_file', r.data);
  });

  it('fails for an unknown attachment id and writes nothing', async () => {
    const dir = tmpDir();
    const r = await h.run('get_file', { file_or_attachment_id: 'eNpNoSuchAttachment' }, { outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
