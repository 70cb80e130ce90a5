/**
 * The library entry (src/index.ts) against the simulator over loopback: the typed runAction and
 * Connector.run return the engine's envelope, the caller's AbortSignal cancels a run, a bad action
 * id or configuration is reported the same way by runAction and createConnector, and runAction
 * calls in one process share the tenant's token and quota.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  closeSharedConnections,
  createConnector,
  exitCodeFor,
  runAction,
  runActionById,
  type InstanceConfigInput,
  type ResultEnvelope,
  type RunOptions,
} from '../../src/index.js';
import { NOT_RESENT } from '../../src/client/retry.js';
import { sharedConnectionCount } from '../../src/runtime/shared-connections.js';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { NODE, requireBuiltCli, ROOT } from '../helpers/cli.js';

let sim: Simulator;
let config: InstanceConfigInput;
// `satisfies`, not `: RunOptions`: options typed RunOptions may be a dry run, and data would be typed as either.
const fast = { tokenCache: 'memory', retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } } satisfies RunOptions;

beforeAll(async () => {
  sim = await startSimulator();
  config = { base_url: sim.url, ...sim.credentials };
});
beforeEach(() => sim.reset());
afterEach(() => closeSharedConnections());
afterAll(() => sim.close());

describe('typed runAction and Connector.run', () => {
  it('runAction resolves to the envelope with the typed data', async () => {
    const r = await runAction('search_groups', { source: 'cloud' }, config, fast);
    expect(r.status).toBe('success');
    const ids: string[] = (r.data ?? []).map((g) => g.id);
    expect(ids).toContain(DEMO_GROUP_ID);
  });

  it('Connector.run takes the same typed input and shares one token between runs', async () => {
    const c = createConnector(config, { tokenCache: 'memory' });
    try {
      const groups = await c.run('search_groups', { source: 'cloud' }, { retry: fast.retry });
      const members = await c.run('get_group_members', { group_id: groups.data![0].id });
      expect(members.status).toBe('success');
      expect(members.data!.map((m) => m.emailAddress)).toEqual(expect.arrayContaining([expect.stringContaining('@')]));
      expect(sim.stats.token_requests).toBe(1);
    } finally {
      await c.close();
    }
  });
});

describe('options.signal', () => {
  it('an aborted signal cancels a read while it waits for Mimecast: a timeout failure, well before the deadline', async () => {
    sim.fault({ kind: 'slow', path: '/api/directory/find-groups', delayMs: 800 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await runAction('search_groups', { query: 'x' }, config, { ...fast, signal: controller.signal, deadlineMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(600);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'timeout', message: 'the run was cancelled (its signal was aborted)' });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('a write cut by the signal is not re-sent, and the hint says to check Mimecast', async () => {
    sim.fault({ kind: 'slow', path: '/api/directory/add-group-member', delayMs: 800 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await runAction('add_group_member', { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'late@example.com' }] }, config, {
      ...fast,
      signal: controller.signal,
    });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'timeout', message: 'the run was cancelled (its signal was aborted)', hint: NOT_RESENT });
    expect(sim.requests.filter((q) => q.path === '/api/directory/add-group-member')).toHaveLength(1);
  });

  it('a signal aborted before the run sends nothing', async () => {
    const r = await runAction('search_groups', { query: 'x' }, config, { ...fast, signal: AbortSignal.abort() });
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'timeout', message: 'the run was cancelled before it started (its signal was aborted); nothing was sent' });
    expect(sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });
});

describe('an unknown action id', () => {
  const unknown = { type: 'input_error', field: 'action', message: 'unknown action "serch_groups"; did you mean search_groups?' };

  it('runActionById names the closest id, and sends nothing (exit 2)', async () => {
    const r = await runActionById('serch_groups', { query: 'x' }, config, fast);
    expect(r).toMatchObject({ status: 'failed', action: 'serch_groups', data: null, error: unknown });
    expect(r.error?.hint).toMatch(/^The \d+ actions are the keys of manifest.actions/);
    expect(exitCodeFor(r)).toBe(2);
    expect(sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('Connector.runById says the same', async () => {
    const c = createConnector(config, { tokenCache: 'memory' });
    const r = await c.runById('serch_groups', {});
    await c.close();
    expect(r.error).toMatchObject(unknown);
  });

  it('an id close to none is named alone', async () => {
    const r = await runActionById('quarantine_everything', {}, config, fast);
    expect(r.error).toMatchObject({ type: 'input_error', message: 'unknown action "quarantine_everything"' });
  });

  it('runActionById runs a known id like runAction', async () => {
    const r = await runActionById('search_groups', { source: 'cloud' }, config, fast);
    expect(r.status).toBe('success');
  });
});

describe('a bad configuration: runAction and createConnector report it the same way', () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['a misspelt key', { timout: 30 }, { field: 'timout', message: 'configuration has an unknown key "timout"; did you mean timeout?' }],
    ['a timeout out of range', { timeout: 10 }, { field: 'timeout', message: 'timeout must be 15-120' }],
    [
      'a placeholder secret',
      { client_secret: 'secret' },
      {
        field: 'client_secret',
        message: 'client_secret is shorter than 8 characters: a placeholder, not a Mimecast client secret',
        hint: 'Copy the Client Secret Mimecast showed when the API 2.0 application was created (Reset Keys gives a new one).',
      },
    ],
  ];

  it.each(cases)('%s: a failed envelope with the config_error, exit 2, nothing sent, from both', async (_, change, error) => {
    const bad = { ...config, ...change } as InstanceConfigInput;
    const viaRun = await runAction('search_groups', { query: 'x' }, bad, fast);
    const connector = createConnector(bad, { tokenCache: 'memory' });
    expect(connector.config).toBeUndefined();
    const viaConnector = await connector.run('search_groups', { query: 'x' }, { retry: fast.retry });
    const again = await connector.run('get_group_members', { group_id: DEMO_GROUP_ID });
    await connector.close();
    const shape = (r: ResultEnvelope) => ({ status: r.status, error: r.error, requests: r.meta.requests, exit: exitCodeFor(r) });
    expect(shape(viaRun)).toEqual({ status: 'failed', error: { type: 'config_error', ...error }, requests: 0, exit: 2 });
    expect(shape(viaConnector)).toEqual(shape(viaRun));
    expect(shape(again)).toEqual(shape(viaRun));
    expect(sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('both check the input first, as runAction always did: an input error wins over the config error', async () => {
    const bad = { ...config, timeout: 10 };
    const viaRun = await runAction('search_groups', { page_size: 0 }, bad, fast);
    const viaConnector = await createConnector(bad).run('search_groups', { page_size: 0 });
    expect(viaRun.error).toEqual({ type: 'input_error', field: 'page_size', message: 'page_size must be >= 1' });
    expect(viaConnector.error).toEqual(viaRun.error);
  });

  it('a good configuration is parsed once and shown on the connector', async () => {
    const c = createConnector({ ...config, timeout: 30 }, { tokenCache: 'memory' });
    expect(c.config?.timeout).toBe(30);
    await c.close();
  });
});

describe('runAction calls in one process share the tenant', () => {
  let limited: Simulator;
  let limitedConfig: InstanceConfigInput;
  beforeAll(async () => {
    limited = await startSimulator({ rateLimit: 20, rateWindowMs: 500, enforceRateLimit: true });
    limitedConfig = { base_url: limited.url, ...limited.credentials };
  });
  beforeEach(() => limited.reset());
  afterAll(() => limited.close());

  it('concurrent calls make one token request and pace themselves as one client (no 429 storm)', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => runAction('search_groups', { query: 'q' }, limitedConfig, fast)));
    expect(results.filter((r) => r.status !== 'success').map((r) => r.summary)).toEqual([]);
    expect(limited.stats.token_requests).toBe(1);
    // 60 calls into 20 per 500 ms: one pacer probes once and then keeps to the quota.
    expect(limited.stats.rate_limited ?? 0).toBeLessThanOrEqual(6);
    expect(sharedConnectionCount()).toBe(1);
  });

  it('consecutive calls reuse the token until the connection is closed', async () => {
    await runAction('search_groups', { query: 'q' }, limitedConfig, fast);
    await runAction('get_group_members', { group_id: DEMO_GROUP_ID }, limitedConfig, fast);
    expect(limited.stats.token_requests).toBe(1);
    await closeSharedConnections();
    expect(sharedConnectionCount()).toBe(0);
    await runAction('search_groups', { query: 'q' }, limitedConfig, fast);
    expect(limited.stats.token_requests).toBe(2);
  });

  it('another client, secret or setting is another connection, with its own token', async () => {
    limited.reset();
    await Promise.all([
      runAction('search_groups', { query: 'q' }, limitedConfig, fast),
      runAction('search_groups', { query: 'q' }, { ...limitedConfig, timeout: 30 }, fast),
      runAction('search_groups', { query: 'q' }, { ...limitedConfig, timeout: '15' as never }, fast), // the same as the default once parsed
    ]);
    expect(sharedConnectionCount()).toBe(2);
    expect(limited.stats.token_requests).toBe(2);
  });

  it('a process that ran one runAction exits on its own, with nothing left holding it open', async () => {
    requireBuiltCli();
    const script = `
import { runAction } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};
const r = await runAction('search_groups', { query: 'q' }, { base_url: process.env.SIM_URL, client_id: process.env.SIM_ID, client_secret: process.env.SIM_SECRET }, { tokenCache: 'memory' });
// The timers still holding the event loop once the run resolved (an unref'd one is not listed).
process.stdout.write(JSON.stringify({ status: r.status, timers: process.getActiveResourcesInfo().filter((x) => x === 'Timeout') }));
`;
    const child = spawn(NODE, ['--input-type=module', '-e', script], {
      env: { ...process.env, SIM_URL: limited.url, SIM_ID: limited.credentials.client_id, SIM_SECRET: limited.credentials.client_secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The shared connection's idle close is 30 s away: were its timer holding the process, this would not resolve in the test's time.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ status: 'success', timers: [] });
  }, 15_000);
});
