/**
 * The library entry (src/index.ts) against the simulator over loopback: the typed runAction and
 * Connector.run return the engine's envelope, and the caller's AbortSignal cancels a run.
 */
import { createConnector, exitCodeFor, runAction, type InstanceConfigInput, type RunOptions } from '../../src/index.js';
import { NOT_RESENT } from '../../src/client/retry.js';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

let sim: Simulator;
let config: InstanceConfigInput;
// `satisfies`, not `: RunOptions`: options typed RunOptions may be a dry run, and data would be typed as either.
const fast = { tokenCache: 'memory', retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } } satisfies RunOptions;

beforeAll(async () => {
  sim = await startSimulator();
  config = { base_url: sim.url, ...sim.credentials };
});
beforeEach(() => sim.reset());
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
