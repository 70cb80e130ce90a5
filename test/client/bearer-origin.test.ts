/**
 * The bearer token goes to the base URL's origin only: a file link on the same host but another
 * port or scheme is another origin, fetched without any Authorization header.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { runAction } from '../../src/runtime/run.js';
import { BASE, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const CONTENT = Buffer.from('%PDF-1.7\nsame host, other origin\n');
const SHA = createHash('sha256').update(CONTENT).digest('hex');

describe('the bearer token and a file link on the same host', () => {
  setupNock();

  it.each([
    ['another port', 'https://127.0.0.1:9444'],
    ['another scheme', 'http://127.0.0.1:9443'],
  ])('%s: the link is fetched without the token', async (_what, origin) => {
    expect(new URL(origin).hostname).toBe(new URL(BASE).hostname);
    mimecast()
      .post('/api/gateway/message/get-file')
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .reply(200, { meta: { status: 200 }, data: [{ urls: [`${origin}/files/abc.pdf`] }], fail: [] });
    nock(origin, { badheaders: ['authorization'] })
      .get('/files/abc.pdf')
      .reply(200, CONTENT, { 'content-type': 'application/pdf' });
    const r = await runAction('get_file', { id: 'eNpSameHost1', file_name: 'abc.pdf' }, config, { ...fast, outputDir: tmpDir() });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ file_name: 'abc.pdf', size: CONTENT.length, sha256: SHA });
    expect(r.meta.requests).toBe(3); // token, get-file, the link
  });
});
