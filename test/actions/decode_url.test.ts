import { runAction } from '../../src/runtime/run.js';
import { validateOutput, callSizes } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.decode_url.example![0];
const PATH = '/api/ttp/url/decode-url';
const encoded = (n: number) => Array.from({ length: n }, (_, i) => `https://protect-eu.mimecast.com/s/code${i + 1}?domain=site${i + 1}.example.com`);
const decodedOf = (urls: string[]) => ({
  meta: { status: 200 },
  data: urls.map((u) => ({ url: `https://${new URL(u).searchParams.get('domain')}/`, success: true })),
  fail: [],
});
/** The simulator's encoding of a URL (see src/simulator/routes/ttp-managed-url.ts). */
const simEncode = (url: string) => `https://protect-us.mimecast.com/s/${Buffer.from(url).toString('base64url')}`;

describe('decode_url (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns the decoded URL", async () => {
    const reply = { meta: { status: 200 }, data: [{ url: 'https://www.example.com/', success: true }], fail: [] };
    mimecast()
      .post(PATH, { data: [{ url: 'https://protect-xx.mimecast.com/' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, reply);
    const r = await runAction('decode_url', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(reply.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Decoded 1 URL of 1.');
    expect(r.meta.requests).toBe(2);
    validateOutput('decode_url', r.data);
  });

  it('splits 30 URLs into calls of 25 and 5 (chunk_size) and merges the results', async () => {
    const urls = encoded(30);
    mimecast()
      .post(PATH, { data: urls.slice(0, 25).map((url) => ({ url })) })
      .reply(200, decodedOf(urls.slice(0, 25)))
      .post(PATH, { data: urls.slice(25).map((url) => ({ url })) })
      .reply(200, decodedOf(urls.slice(25)));
    const r = await runAction('decode_url', { encoded_urls: urls.map((url) => ({ url })) }, config, fast);
    expect(r.status).toBe('success');
    expect((r.data as { url: string }[]).map((d) => d.url)).toEqual(urls.map((_, i) => `https://site${i + 1}.example.com/`));
    expect(r.summary).toBe('Decoded 30 URLs of 30.');
    expect(r.meta.requests).toBe(3);
  });

  it('is partial when Mimecast answers success: false for one URL (a failure of that item, not hidden in data)', async () => {
    const urls = encoded(3);
    mimecast()
      .post(PATH, { data: urls.map((url) => ({ url })) })
      .reply(200, {
        meta: { status: 200 },
        data: [
          { url: 'https://site1.example.com/', success: true },
          { url: urls[1], success: false },
          { url: 'https://site3.example.com/', success: true },
        ],
        fail: [],
      });
    const r = await runAction('decode_url', { encoded_urls: urls.map((url) => ({ url })) }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([
      { url: 'https://site1.example.com/', success: true },
      { url: 'https://site3.example.com/', success: true },
    ]);
    expect(r.failures).toEqual([{ code: 'success_failed', message: 'Mimecast answered success: false for this item', key: { url: urls[1], success: false } }]);
    expect(r.summary).toBe('Decoded 2 URLs of 3. (1 item failure, see failures)');
  });

  it('reads plain strings in the list (and a single string) as {"url": ...}', async () => {
    const [a, b] = encoded(2);
    mimecast()
      .post(PATH, { data: [{ url: a }, { url: b }] })
      .reply(200, decodedOf([a, b]));
    mimecast()
      .post(PATH, { data: [{ url: a }] })
      .reply(200, decodedOf([a])); // a run of its own: its own token
    expect((await runAction('decode_url', { encoded_urls: [a, { url: b }] }, config, fast)).status).toBe('success');
    expect((await runAction('decode_url', { encoded_urls: a }, config, fast)).status).toBe('success');
  });

  it('retries a read after a 503 (decode-url is read-only)', async () => {
    mimecast()
      .post(PATH)
      .reply(503, { fail: [{ code: 'server_error', message: 'Service unavailable' }] })
      .post(PATH, { data: [{ url: 'https://protect-xx.mimecast.com/' }] })
      .reply(200, { meta: { status: 200 }, data: [{ url: 'https://www.example.com/', success: true }], fail: [] });
    const r = await runAction('decode_url', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    [{}, 'encoded_urls is required'],
    [{ encoded_urls: [] }, 'encoded_urls must have at least one item'],
    [{ encoded_urls: [{}] }, 'encoded_urls[0].url is required'],
    [{ encoded_urls: [{ url: 'https://protect-xx.mimecast.com/', id: 1 }] }, 'encoded_urls[0] has an unknown key "id" (allowed: url)'],
    [{ encoded_urls: [42] }, 'encoded_urls[0] must be an object'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('decode_url', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('decode_url (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example", async () => {
    const r = await h.run('decode_url', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ url: 'https://www.example.com/', success: true }]);
    validateOutput('decode_url', r.data);
  });

  it('decodes 30 rewritten links over two calls and reports a URL that is not a Mimecast link (partial)', async () => {
    const originals = Array.from({ length: 29 }, (_, i) => `https://intranet.example.com/page/${i + 1}?q=${i}`);
    const r = await h.run('decode_url', { encoded_urls: [...originals.map(simEncode), 'https://not-rewritten.example.org/x'] });
    expect(r.status).toBe('partial');
    expect((r.data as { url: string }[]).map((d) => d.url)).toEqual(originals);
    expect(r.failures).toEqual([
      {
        code: 'success_failed',
        message: 'Mimecast answered success: false for this item',
        key: { url: 'https://not-rewritten.example.org/x', success: false },
      },
    ]);
    const calls = h.sim.requests.filter((q) => q.path === PATH);
    expect(calls.map((q) => (q.body as { data: unknown[] }).data.length)).toEqual(callSizes('decode_url', 30));
  });
});
