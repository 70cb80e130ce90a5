import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';
import { SEEDED_WEB_POLICY_ID } from '../../src/simulator/routes/policy-webwhiteurl.js';

const example = manifest.actions.get_policy_with_targets.example![0] as { id: string };
const PATH = '/api/policy/webwhiteurl/get-policy-with-targets';
const ok = (data: unknown[], fail: unknown[] = []) => ({ meta: { status: 200 }, data, fail });

const policy = {
  id: example.id,
  description: 'Block known phishing sites',
  policies: [
    {
      id: 'eNo1jk0Lscope',
      policy: {
        description: 'Block known phishing sites',
        from: { type: 'everyone' },
        to: { type: 'everyone' },
        fromType: 'everyone',
        toType: 'everyone',
        enabled: true,
      },
    },
  ],
  urls: [
    { id: 'eNo1jk0Lurl1', action: 'block', type: 'domain', value: 'malicious-login-1.example.net' },
    { id: 'eNo1jk0Lurl2', action: 'allow', type: 'url', value: 'https://intranet.example.com/wiki' },
  ],
};

describe('get_policy_with_targets (nock)', () => {
  setupNock();

  it("sends the example's ID as the one data item and returns the policy", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, ok([policy]));
    const r = await runAction('get_policy_with_targets', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(policy);
    expect(r.meta.requests).toBe(2);
    expect(r.summary).toBe('Web Security policy "Block known phishing sites" (1 scope; 2 URL entries: 1 blocked, 1 allowed).');
    validateOutput('get_policy_with_targets', r.data);
  });

  it('is a not_found error when Mimecast does not know the ID (fail[] inside HTTP 200)', async () => {
    const key = { id: 'eNoUnknown' };
    mimecast()
      .post(PATH, { data: [key] })
      .reply(200, ok([], [{ key, errors: [{ code: 'err_policy_not_found', message: 'The policy was not found', field: 'id', retryable: false }] }]));
    const r = await runAction('get_policy_with_targets', key, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('is a not_found error when Mimecast answers with no policy and no failure', async () => {
    mimecast().post(PATH).reply(200, ok([]));
    const r = await runAction('get_policy_with_targets', example, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', message: `POST ${PATH}: Mimecast returned no policy for this ID` });
  });

  it('retries a read after HTTP 503', async () => {
    mimecast()
      .post(PATH)
      .reply(503, '')
      .post(PATH, { data: [{ id: example.id }] })
      .reply(200, ok([policy]));
    const r = await runAction('get_policy_with_targets', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(3);
  });

  it.each([
    [{}, 'id is required'],
    [{ id: '' }, 'id is required'],
    [{ id: ['a', 'b'] }, 'id must be a string'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_policy_with_targets', input, config, fast);
    expect(r.error).toEqual({ type: 'input_error', message, field: 'id' });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_policy_with_targets (simulator)', () => {
  const h = useSimulator();

  it("returns the simulator's seeded policy for the example", async () => {
    expect(example.id).toBe(SEEDED_WEB_POLICY_ID);
    const r = await h.run('get_policy_with_targets', example);
    expect(r.status).toBe('success');
    validateOutput('get_policy_with_targets', r.data);
    expect(r.data).toMatchObject({ id: SEEDED_WEB_POLICY_ID, description: 'Block known phishing sites' });
    expect(r.data.urls.map((u: { value: string }) => u.value)).toEqual(['malicious-login-1.example.net', 'http://login-verify-2.example.net/account/update']);
  });

  it('is not_found like Mimecast for an unknown ID', async () => {
    const r = await h.run('get_policy_with_targets', { id: 'eNo1jk0LnoSuchPolicy' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });
});
