/**
 * runAction as a whole: dry runs send nothing, exit codes, URLs stay on the configured base URL.
 * (The action deadline is tested against a real server in test/client/loopback.test.ts.)
 */
import { RequestPipeline } from '../../src/client/pipeline.js';
import { RecordingTransport, placeholderTokens } from '../../src/client/recording.js';
import { DEFAULT_RETRY } from '../../src/client/retry.js';
import { parseConfig } from '../../src/runtime/config.js';
import { exitCodeFor, runAction, type RunOptions } from '../../src/runtime/run.js';
import { BASE, config, dryRunHeaders, setupNock, TOKEN } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';

describe('runAction', () => {
  setupNock();

  it('dry run: shows the exact request, sends nothing (not even a token request) and never shows a token', async () => {
    const r = await runAction('add_group_member', { member_information: { id: GROUP_ID, emailAddress: 'a@example.com' } }, config, { ...opts, dryRun: true });
    expect(r.status).toBe('success');
    expect(r.data).toEqual({
      requests: [
        {
          method: 'POST',
          url: `${BASE}/api/directory/add-group-member`,
          headers: dryRunHeaders,
          body: { data: [{ id: GROUP_ID, emailAddress: 'a@example.com' }] },
        },
      ],
    });
    expect(r.meta).toMatchObject({ requests: 0, dry_run: true });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('maps statuses to exit codes: success 0, partial 3, run-time failure 1, invalid input or config 2', () => {
    expect(exitCodeFor({ status: 'success' })).toBe(0);
    expect(exitCodeFor({ status: 'partial' })).toBe(3);
    expect(exitCodeFor({ status: 'failed', error: { type: 'api_error', message: 'x' } })).toBe(1);
    expect(exitCodeFor({ status: 'failed', error: { type: 'auth_error', message: 'x' } })).toBe(1);
    expect(exitCodeFor({ status: 'failed', error: { type: 'input_error', message: 'x' } })).toBe(2);
    expect(exitCodeFor({ status: 'failed', error: { type: 'config_error', message: 'x' } })).toBe(2);
  });

  it('an input error sends nothing and exits 2', async () => {
    const r = await runAction('add_group_member', { member_information: [] }, config, opts);
    expect(r.error).toEqual({ type: 'input_error', field: 'member_information', message: 'member_information must have at least one item' });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });
});

describe('pipeline.url', () => {
  const client = (base_url = BASE) =>
    new RequestPipeline({
      config: parseConfig({ ...config, base_url }),
      transport: new RecordingTransport(),
      tokens: placeholderTokens,
      readOnly: true,
      retry: DEFAULT_RETRY,
      deadline: new AbortController().signal,
      deadlineAt: Date.now() + 60_000,
    });

  it('builds URLs on the configured base URL, query values repeated for lists', () => {
    expect(client().url('/api/x', { a: [1, 2], b: true, c: 'x y' })).toBe(`${BASE}/api/x?a=1&a=2&b=true&c=x+y`);
    expect(client(`${BASE}/prefix/`).url('/api/x')).toBe(`${BASE}/prefix/api/x`);
  });

  it.each(['//evil.example/api/x', 'api/x', 'https://evil.example/api/x'])('refuses the path %s', (path) => {
    expect(() => client().url(path)).toThrow(/route path must start with a single "\/"/);
  });

  it('never leaves the base origin, whatever the path holds', () => {
    for (const path of ['/@evil.example/x', '/..//evil.example', '/%2F%2Fevil.example', '/.evil.example']) {
      expect(new URL(client().url(path)).origin).toBe(BASE);
    }
  });
});
