/**
 * Binary downloads (get_archive_file): streamed to --output-dir under the Content-Disposition
 * name, size and sha256 reported, names cannot escape the directory, a JSON answer is an error.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileNameFromDisposition, safeFileName } from '../../src/client/download.js';
import { runAction, type RunOptions } from '../../src/runtime/run.js';
import { TOKEN, config, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };
const PATH = '/api/archive/get-file';
const ID = 'eNpNj91Og0AQhd9lr0tc2kVoEy8KqZZKWyqtBWJCYJkASZdt9gclxncX1Kg3k0nO';
const CONTENT = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256))]);
const SHA = createHash('sha256').update(CONTENT).digest('hex');

describe('download (get_archive_file)', () => {
  setupNock();

  it('saves the file under its Content-Disposition name in --output-dir with the right size and sha256', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('accept', '*/*')
      .reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="invoice 2024.pdf"' });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.status).toBe('success');
    const path = join(dir, 'invoice 2024.pdf');
    expect(r.data).toEqual({ file_name: 'invoice 2024.pdf', path, size: CONTENT.length, sha256: SHA, content_type: 'application/pdf' });
    expect(readFileSync(path).equals(CONTENT)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['invoice 2024.pdf']); // no .part file left behind
    expect(r.summary).toBe(`Saved invoice 2024.pdf (${CONTENT.length} bytes, sha256 ${SHA.slice(0, 12)}…) to ${path}.`);
  });

  it('does not overwrite an existing file of the same name', async () => {
    const dir = tmpDir();
    for (let run = 0; run < 2; run++) {
      mimecast().post(PATH).reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' });
    }
    const first = await runAction('get_archive_file', { id: ID }, config, { ...opts, outputDir: dir });
    const second = await runAction('get_archive_file', { id: ID }, config, { ...opts, outputDir: dir });
    expect((first.data as { path: string }).path).toBe(join(dir, 'a.pdf'));
    expect((second.data as { path: string }).path).toBe(join(dir, 'a (1).pdf'));
    expect(readdirSync(dir).sort()).toEqual(['a (1).pdf', 'a.pdf']);
  });

  it.each([
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ["attachment; filename*=UTF-8''..%2F..%2F.bashrc", 'bashrc'],
    ['attachment; filename="..\\\\..\\\\evil.exe"', 'evil.exe'],
    ['attachment; filename=".."', 'attachment'],
  ])('keeps a path-traversal name (%s) inside the output directory', async (disposition, expected) => {
    const root = tmpDir();
    const dir = join(root, 'out', 'deep');
    mimecast().post(PATH).reply(200, CONTENT, { 'content-type': 'application/octet-stream', 'content-disposition': disposition });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.status).toBe('success');
    const data = r.data as { file_name: string; path: string };
    expect(data.file_name).toBe(expected);
    expect(dirname(data.path)).toBe(dir);
    expect(readdirSync(dir)).toEqual([expected]);
    expect(readdirSync(join(root, 'out'))).toEqual(['deep']);
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('uses file_name when Mimecast sends no Content-Disposition', async () => {
    const dir = tmpDir();
    mimecast().post(PATH).reply(200, CONTENT, { 'content-type': 'application/octet-stream' });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID, file_name: 'sample.eml' }, config, { ...opts, outputDir: dir });
    expect(r.data).toMatchObject({
      file_name: 'sample.eml',
      path: join(dir, 'sample.eml'),
      size: CONTENT.length,
      sha256: SHA,
      content_type: 'application/octet-stream',
    });
  });

  it('turns a JSON error envelope into an error and writes no file', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(
        200,
        { meta: { status: 200 }, data: [], fail: [{ key: { id: ID }, errors: [{ code: 'err_file_not_found', message: 'File not found', retryable: false }] }] },
        { 'content-type': 'application/json' },
      );
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found', message: `POST ${PATH}: File not found (err_file_not_found)` });
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    expect(r.meta.requests).toBe(2);
  });

  it('turns a JSON body without fail[] into an error too, never a saved file', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [{ id: ID }] }, { 'content-type': 'application/json;charset=UTF-8' });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: `POST ${PATH}: Mimecast returned JSON instead of a file, with no link to one` });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('maps an HTTP error of the download like any call (403 → permission_error) and writes no file', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(403, { fail: [{ code: 'app_forbidden', message: 'Forbidden' }] });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.error).toMatchObject({
      type: 'permission_error',
      http_status: 403,
      hint: `Give the API application's role the "Archive | Read" permission in Mimecast (Administration → Roles).`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries the (read-only) download after a 503 and replays after a 401 with a new token', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(503, '')
      .post(PATH)
      .reply(401, '')
      .post('/oauth/token')
      .reply(200, { access_token: 'second-token-abcdef123456', token_type: 'Bearer', expires_in: 1799 })
      .post(PATH)
      .matchHeader('authorization', 'Bearer second-token-abcdef123456')
      .reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="x.pdf"' });
    const r = await runAction('get_archive_file', { file_or_attachment_id: ID }, config, { ...opts, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ file_name: 'x.pdf', size: CONTENT.length, sha256: SHA });
    expect(r.meta.requests).toBe(5);
    expect(readdirSync(dir)).toEqual(['x.pdf']);
  });
});

describe('file names', () => {
  it.each([
    ['attachment; filename="report.pdf"', 'report.pdf'],
    ['attachment; filename=report.pdf', 'report.pdf'],
    ['attachment; filename="fallback.txt"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.pdf', 'résumé.pdf'],
    ['inline', undefined],
    [undefined, undefined],
  ])('fileNameFromDisposition(%j) = %j', (cd, name) => {
    expect(fileNameFromDisposition(cd)).toBe(name);
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\system32\\evil.dll', 'evil.dll'],
    ['.hidden', 'hidden'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['', 'attachment'],
  ])('safeFileName(%j) = %j', (raw, safe) => {
    expect(safeFileName(raw)).toBe(safe);
  });

  it('safeFileName caps a name at 200 characters', () => {
    expect(safeFileName('x'.repeat(300))).toBe('x'.repeat(200));
  });
});
