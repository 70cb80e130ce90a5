import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_ATTACHMENT_ID, archiveFiles } from '../../src/simulator/routes/archive.js';
import { validateOutput } from '../helpers/contract.js';
import { TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const example = manifest.actions.get_archive_file.example! as { file_or_attachment_id: string }[];
const ID = example[0].file_or_attachment_id;
const PATH = '/api/archive/get-file';
const CONTENT = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 255, 254, 10]), Buffer.from('binary attachment body\n')]);
const SHA = createHash('sha256').update(CONTENT).digest('hex');
const NOT_FOUND = {
  meta: { status: 200 },
  data: [],
  fail: [{ key: { id: ID }, errors: [{ code: 'err_file_not_found', message: 'The requested file could not be found', field: 'id', retryable: false }] }],
};

describe('get_archive_file (nock)', () => {
  setupNock();

  it("posts the seed's example as {data: [{id}]} with Accept */* and saves the file under its Content-Disposition name", async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, (body) => JSON.stringify(body) === JSON.stringify({ data: [{ id: ID }] }))
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .matchHeader('accept', '*/*')
      .matchHeader('content-type', 'application/json')
      .reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="Q3 invoice.pdf"' });
    const r = await runAction('get_archive_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    const path = join(dir, 'Q3 invoice.pdf');
    expect(r.data).toEqual({ file_name: 'Q3 invoice.pdf', path, size: CONTENT.length, sha256: SHA, content_type: 'application/pdf' });
    expect(readFileSync(path).equals(CONTENT)).toBe(true);
    expect(readdirSync(dir)).toEqual(['Q3 invoice.pdf']);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe(`Saved Q3 invoice.pdf (${CONTENT.length} bytes, sha256 ${SHA.slice(0, 12)}…) to ${path}.`);
    validateOutput('get_archive_file', r.data);
  });

  it('uses file_name (alias id for the ID) when Mimecast sends no file name, and the ID prefix + .bin without one', async () => {
    const dir = tmpDir();
    for (let run = 0; run < 2; run++)
      mimecast()
        .post(PATH, { data: [{ id: 'eNpAttachment42xyz' }] })
        .reply(200, CONTENT, { 'content-type': 'application/octet-stream' });
    const named = await runAction('get_archive_file', { id: 'eNpAttachment42xyz', file_name: 'sample.pdf' }, config, { ...fast, outputDir: dir });
    expect(named.status).toBe('success');
    expect(named.data).toEqual({
      file_name: 'sample.pdf',
      path: join(dir, 'sample.pdf'),
      size: CONTENT.length,
      sha256: SHA,
      content_type: 'application/octet-stream',
    });
    const unnamed = await runAction('get_archive_file', { attachment_id: 'eNpAttachment42xyz' }, config, { ...fast, outputDir: dir });
    expect(unnamed.status).toBe('success');
    expect(unnamed.data).toMatchObject({ file_name: 'mimecast-eNpAttachment42x.bin', path: join(dir, 'mimecast-eNpAttachment42x.bin') });
  });

  it('keeps a hostile Content-Disposition name inside the output directory', async () => {
    const dir = tmpDir();
    mimecast().post(PATH).reply(200, CONTENT, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="../../etc/passwd"' });
    const r = await runAction('get_archive_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ file_name: 'passwd', path: join(dir, 'passwd'), sha256: SHA });
    expect(readdirSync(dir)).toEqual(['passwd']);
  });

  it("turns Mimecast's JSON fail[] answer (err_file_not_found) into a failed not_found and writes no file", async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, NOT_FOUND, { 'content-type': 'application/json' });
    const r = await runAction('get_archive_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toEqual({
      type: 'not_found',
      message: 'POST /api/archive/get-file: The requested file could not be found (err_file_not_found)',
      code: 'err_file_not_found',
      field: 'id',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a JSON answer without fail[] as an error, never as a file', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 200 }, data: [], fail: [] }, { 'content-type': 'application/json;charset=UTF-8' });
    const r = await runAction('get_archive_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', message: 'POST /api/archive/get-file: Mimecast returned JSON instead of a file, with no link to one' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('retries a read after HTTP 503 and saves the file once', async () => {
    const dir = tmpDir();
    mimecast()
      .post(PATH, { data: [{ id: ID }] })
      .reply(503, '<html>Service Unavailable</html>', { 'content-type': 'text/html' })
      .post(PATH, { data: [{ id: ID }] })
      .reply(200, CONTENT, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' });
    const r = await runAction('get_archive_file', example[0], config, { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
    expect(readdirSync(dir)).toEqual(['a.pdf']);
  });

  it.each([
    [{}, 'file_or_attachment_id is required'],
    [{ file_or_attachment_id: '' }, 'file_or_attachment_id is required'],
    [{ file_or_attachment_id: 'a', id: 'b' }, 'file_or_attachment_id was given twice (as "file_or_attachment_id" and as "id"); give it once'],
    [{ file_or_attachment_id: 'a', name: 'x.pdf' }, 'input has an unknown key "name" (allowed: file_or_attachment_id, file_name)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_archive_file', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_archive_file (simulator)', () => {
  const h = useSimulator();

  it("downloads the demo archived file for the seed's example", async () => {
    expect(ID).toBe(DEMO_ATTACHMENT_ID);
    const dir = tmpDir();
    const r = await h.run('get_archive_file', example[0], { outputDir: dir });
    expect(r.status).toBe('success');
    const expected = archiveFiles(h.sim).get(ID)!;
    expect(r.data).toEqual({
      file_name: 'invoice_2024.pdf.html',
      path: join(dir, 'invoice_2024.pdf.html'),
      size: expected.content.length,
      sha256: createHash('sha256').update(expected.content).digest('hex'),
      content_type: 'application/octet-stream',
    });
    expect(readFileSync(r.data.path).equals(expected.content)).toBe(true);
    expect(h.sim.requests.find((q) => q.path === PATH)).toMatchObject({ method: 'POST', body: { data: [{ id: ID }] }, headers: { accept: '*/*' } });
    // 2.0: the answer is a pre-signed link on the download host, fetched once and without the bearer token.
    const fetched = h.sim.requests.filter((q) => q.path.startsWith('/files/'));
    expect(fetched).toEqual([
      expect.objectContaining({ method: 'GET', query: { 'X-Amz-Expires': expect.any(String), 'X-Amz-Signature': expect.any(String) } }),
    ]);
    expect(fetched[0].headers.authorization).toBeUndefined();
    validateOutput('get_archive_file', r.data);
  });

  it('answers like 2.0: JSON with data[0].urls[] on another origin; the download host refuses the link with a bearer token and serves it without', async () => {
    const token = (await (
      await fetch(`${h.sim.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', ...h.sim.credentials }) })
    ).json()) as {
      access_token: string;
    };
    const answer = await fetch(`${h.sim.url}${PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ id: ID }] }),
    });
    expect(answer.headers.get('content-type')).toMatch(/json/);
    const body = (await answer.json()) as { data: { urls: string[] }[] };
    const link = new URL(body.data[0].urls[0]);
    expect(link.origin).not.toBe(new URL(h.sim.url).origin);
    expect(link.hostname).toBe(new URL(h.sim.url).hostname);
    const withToken = await fetch(link, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(withToken.status).toBe(400);
    expect(await withToken.text()).toContain('<Code>InvalidArgument</Code>');
    const forged = new URL(link);
    forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(forged)).status).toBe(403);
    const plain = await fetch(link);
    expect(plain.status).toBe(200);
    expect(Buffer.from(await plain.arrayBuffer()).toString()).toContain('Sign in to view your invoice');
  });

  it('fails with not_found for an unknown ID and writes nothing', async () => {
    const dir = tmpDir();
    const r = await h.run('get_archive_file', { file_or_attachment_id: 'eNpNoSuchFile' }, { outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
