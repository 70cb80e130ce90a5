/**
 * Get File / Get Archive File on API 2.0: the answer may be JSON linking to the file
 * (data[0].urls[0] or data[0].url). The link is followed and the bytes saved like a streamed file;
 * the bearer token goes only to the base URL's origin, never to a pre-signed link elsewhere.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { runAction } from '../../src/runtime/run.js';
import { BASE, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const OTHER = 'https://127.0.0.2:9444';
const ID = 'eNpAttachmentLink1';
const CONTENT = Buffer.from('%PDF-1.7\nlinked file\n');
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const link = (urls: unknown) => ({ meta: { status: 200 }, data: [urls], fail: [] });

describe('file links (JSON answer to get-file)', () => {
  setupNock();

  it.each([
    ['get_file', '/api/gateway/message/get-file'],
    ['get_archive_file', '/api/archive/get-file'],
  ])('%s follows data[0].urls[0] on another origin without any Authorization header and saves the bytes', async (action, path) => {
    const dir = tmpDir();
    mimecast()
      .post(path, { data: [{ id: ID }] })
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, link({ urls: [`${OTHER}/files/abc.pdf?X-Amz-Signature=s3cr3t`] }), { 'content-type': 'application/json' });
    nock(OTHER, { badheaders: ['authorization', 'cookie'] })
      .get('/files/abc.pdf')
      .query({ 'X-Amz-Signature': 's3cr3t' })
      .reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="abc.pdf"' });
    const r = await runAction(action, { id: ID }, config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ file_name: 'abc.pdf', path: join(dir, 'abc.pdf'), size: CONTENT.length, sha256: SHA, content_type: 'application/pdf' });
    expect(readFileSync(join(dir, 'abc.pdf')).equals(CONTENT)).toBe(true);
    expect(r.meta.requests).toBe(3); // token, get-file, the link
  });

  it('follows data[0].url on the base URL with the bearer token', async () => {
    const dir = tmpDir();
    mimecast()
      .post('/api/gateway/message/get-file')
      .reply(200, link({ url: `${BASE}/download/xyz` }))
      .get('/download/xyz')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, CONTENT, { 'content-type': 'application/octet-stream' });
    const r = await runAction('get_file', { id: ID, file_name: 'linked.bin' }, config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ file_name: 'linked.bin', size: CONTENT.length, sha256: SHA });
  });

  it('a JSON answer with fail[] is still Mimecast error, and no link is fetched', async () => {
    mimecast()
      .post('/api/gateway/message/get-file')
      .reply(200, {
        meta: { status: 200 },
        data: [{ urls: [`${OTHER}/never`] }],
        fail: [{ errors: [{ code: 'err_file_not_found', message: 'File not found' }] }],
      });
    const r = await runAction('get_file', { id: ID }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found' });
  });

  it('refuses a plain http link to another host, sending nothing to it', async () => {
    mimecast()
      .post('/api/gateway/message/get-file')
      .reply(200, link({ urls: ['http://files.example.net/abc.pdf'] }));
    const r = await runAction('get_file', { id: ID }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: 'Mimecast answered with a file link that is not https (http:); it was not fetched' });
  });

  it('does not follow a redirect from the link, and never names the signed query in the error', async () => {
    mimecast()
      .post('/api/gateway/message/get-file')
      .reply(200, link({ urls: [`${OTHER}/files/r?sig=topsecret`] }));
    nock(OTHER)
      .get('/files/r')
      .query(true)
      .reply(302, '', { location: `${BASE}/steal` });
    const r = await runAction('get_file', { id: ID }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error?.http_status).toBe(302);
    expect(JSON.stringify(r)).not.toContain('topsecret');
  });
});
