import { createHash } from 'node:crypto';
import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_MALICIOUS_SHA256 } from '../../src/simulator/routes/remediation.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/remediation/search-hash';
const example = manifest.actions.search_file_hash.example![0] as { hashes: string[] };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ok = (hashStatus: unknown[], failedHashes: unknown[] = []) => ({ meta: { status: 200 }, data: [{ hashStatus, failedHashes }], fail: [] });

describe('search_file_hash (nock)', () => {
  setupNock();

  it("sends the seed's example as one item holding the hashes array and returns hashStatus", async () => {
    const hash = example.hashes[0];
    mimecast()
      .post(PATH, { data: [{ hashes: [hash] }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok([{ hash, detected: true }]));
    const r = await runAction('search_file_hash', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ hash, detected: true }]);
    expect(r.failures).toEqual([]);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Checked 1 hash: 1 seen within the account.');
    validateOutput('search_file_hash', r.data);
  });

  it("splits 45 hashes into calls of 20, 20 and 5 (Mimecast's recommended cap) and merges the results in order", async () => {
    const hashes = Array.from({ length: 45 }, (_, i) => sha256(`h${i}`));
    const scope = mimecast();
    for (const [from, to] of [
      [0, 20],
      [20, 40],
      [40, 45],
    ]) {
      const part = hashes.slice(from, to);
      scope.post(PATH, { data: [{ hashes: part }] }).reply(200, ok(part.map((hash, i) => ({ hash, detected: from + i === 33 }))));
    }
    const r = await runAction('search_file_hash', { hashes }, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(4);
    const data = r.data as { hash: string; detected: boolean }[];
    expect(data).toHaveLength(45);
    expect(data.map((d) => d.hash)).toEqual(hashes);
    expect(data.filter((d) => d.detected)).toEqual([{ hash: hashes[33], detected: true }]);
    expect(r.summary).toBe('Checked 45 hashes: 1 seen within the account.');
    validateOutput('search_file_hash', r.data);
  });

  it('keeps every call of 20 SHA-256 hashes under the 2,048-byte request limit', async () => {
    const hashes = Array.from({ length: 20 }, (_, i) => sha256(`b${i}`));
    let sent = '';
    mimecast()
      .post(PATH, (body) => ((sent = JSON.stringify(body)), true))
      .reply(200, ok(hashes.map((hash) => ({ hash, detected: false }))));
    const r = await runAction('search_file_hash', { hashes }, config, fast);
    expect(r.status).toBe('success');
    expect(JSON.parse(sent)).toEqual({ data: [{ hashes }] });
    expect(Buffer.byteLength(sent)).toBeLessThan(2048);
  });

  it('shows the three calls of a 45-hash list in a dry run, sending nothing', async () => {
    const hashes = Array.from({ length: 45 }, (_, i) => sha256(`d${i}`));
    const r = await runAction('search_file_hash', { hashes }, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    const requests = (r.data as { requests: { body: { data: { hashes: string[] }[] } }[] }).requests;
    expect(requests.map((q) => q.body.data[0].hashes)).toEqual([hashes.slice(0, 20), hashes.slice(20, 40), hashes.slice(40)]);
  });

  it('accepts MD5, SHA-1 and SHA-256 in any letter case, sent as given', async () => {
    const hashes = ['44D88612FEA8A8F36DE82E1278ABB02F', '3395856ce81f2b7382dee72602f798b642f14140', DEMO_MALICIOUS_SHA256.toUpperCase()];
    mimecast()
      .post(PATH, { data: [{ hashes }] })
      .reply(200, ok(hashes.map((hash) => ({ hash, detected: false }))));
    const r = await runAction('search_file_hash', { hashes }, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(hashes.map((hash) => ({ hash, detected: false })));
  });

  it('reports failedHashes as per-hash failures (partial), string or object entries', async () => {
    const good = sha256('good');
    const bad1 = sha256('bad1');
    const bad2 = sha256('bad2');
    mimecast()
      .post(PATH, { data: [{ hashes: [good, bad1, bad2] }] })
      .reply(
        200,
        ok(
          [{ hash: good, detected: false }],
          [bad1, { hash: bad2, errors: [{ code: 'err_hash_unsupported', message: 'Image hashes are not supported', retryable: false }] }],
        ),
      );
    const r = await runAction('search_file_hash', { hashes: [good, bad1, bad2] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([{ hash: good, detected: false }]);
    expect(r.failures).toEqual([
      { code: 'hash_not_checked', message: 'Mimecast could not check this hash', key: { hash: bad1 } },
      { code: 'err_hash_unsupported', message: 'Image hashes are not supported', key: { hash: bad2 } },
    ]);
  });

  it('is failed when Mimecast could check none of the hashes', async () => {
    const h = sha256('x');
    mimecast()
      .post(PATH)
      .reply(200, ok([], [h]));
    const r = await runAction('search_file_hash', { hashes: [h] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'hash_not_checked' });
  });

  it('keeps the first calls when a later call fails outright, and lists the hashes of the failed call', async () => {
    const hashes = Array.from({ length: 30 }, (_, i) => sha256(`f${i}`));
    mimecast()
      .post(PATH, { data: [{ hashes: hashes.slice(0, 20) }] })
      .reply(200, ok(hashes.slice(0, 20).map((hash) => ({ hash, detected: false }))))
      .post(PATH, { data: [{ hashes: hashes.slice(20) }] })
      .reply(400, {
        meta: { status: 400 },
        data: [],
        fail: [{ errors: [{ code: 'err_validation_max_items', message: 'Too many hashes', retryable: false }] }],
      });
    const r = await runAction('search_file_hash', { hashes }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toHaveLength(20);
    // Each hash of the failed call is listed, keyed like Mimecast's own failedHashes entries.
    expect(r.failures).toEqual(
      hashes.slice(20).map((hash) => ({ code: 'err_validation_max_items', message: expect.stringContaining('Too many hashes'), key: { hash } })),
    );
  });

  it.each([
    [{ hashes: [DEMO_MALICIOUS_SHA256, 'not-a-hash'] }, 'hashes[1] must be an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hexadecimal characters)'],
    [{ hashes: [DEMO_MALICIOUS_SHA256.slice(1)] }, 'hashes[0] must be an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hexadecimal characters)'],
    [{ hashes: [`${DEMO_MALICIOUS_SHA256.slice(1)}g`] }, 'hashes[0] must be an MD5, SHA-1 or SHA-256 hash (32, 40 or 64 hexadecimal characters)'],
    [{ hashes: [] }, 'hashes must have at least one item'],
    [{}, 'hashes is required'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('search_file_hash', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('search_file_hash (simulator)', () => {
  const h = useSimulator();

  it("reports the seed's example hash as detected and an unknown hash as not detected", async () => {
    const unknown = sha256('clean file');
    const r = await h.run('search_file_hash', { hashes: [example.hashes[0], unknown, '44d88612fea8a8f36de82e1278abb02f'] });
    expect(r.status).toBe('success');
    expect(r.data).toEqual([
      { hash: DEMO_MALICIOUS_SHA256, detected: true },
      { hash: unknown, detected: false },
      { hash: '44d88612fea8a8f36de82e1278abb02f', detected: true },
    ]);
    validateOutput('search_file_hash', r.data);
  });

  it('answers 45 hashes in 3 calls of at most 20', async () => {
    const hashes = Array.from({ length: 45 }, (_, i) => sha256(`s${i}`));
    const r = await h.run('search_file_hash', { hashes: [...hashes.slice(0, 30), DEMO_MALICIOUS_SHA256, ...hashes.slice(30, 44)] });
    expect(r.status).toBe('success');
    expect(r.data).toHaveLength(45);
    expect(r.data.filter((d: { detected: boolean }) => d.detected)).toEqual([{ hash: DEMO_MALICIOUS_SHA256, detected: true }]);
    const sizes = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: { hashes: string[] }[] }).data[0].hashes.length);
    expect(sizes).toEqual([20, 20, 5]);
  });

  it('puts malformed hashes in failedHashes (sent past the connector with the generic action)', async () => {
    const r = await h.run('generic_action', { method: 'POST', endpoint: PATH, payload: { data: [{ hashes: [DEMO_MALICIOUS_SHA256, 'xyz'] }] } });
    expect(r.data.body.data).toEqual([{ hashStatus: [{ hash: DEMO_MALICIOUS_SHA256, detected: true }], failedHashes: ['xyz'] }]);
  });
});
