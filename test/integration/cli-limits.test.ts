/**
 * Bounded work from the CLI: an array input shares one time limit and one call budget (elements
 * that cannot start within them are reported as not run), and a run's call budget (--max-calls) is
 * checked before the first call.
 */
import { performance } from 'node:perf_hooks';
import { postFault, runCli, simEnv, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();

describe('bounded work', () => {
  it('an array input of slow elements takes one time limit in all, not one per element', async () => {
    await postFault(cli.sim, { kind: 'slow', path: '/api/directory/find-groups', delayMs: 4_000, times: 3 });
    const input = JSON.stringify([{ query: 'a' }, { query: 'b' }, { query: 'c' }]);
    const t0 = performance.now();
    const r = await runCli(['run', 'search_groups', '--input', input, '--deadline', '1.5'], { env: simEnv(cli.sim) });
    const took = performance.now() - t0;
    expect(r.code).toBe(1);
    const results = r.json as { status: string; error?: { type: string; message: string } }[];
    expect(results).toHaveLength(3);
    expect(results.map((x) => x.error?.type)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(results[2].error?.message).toMatch(/^not run: the time limit for the whole input \(2 s\) ran out before element 3$/);
    expect(took).toBeLessThan(4_000 * 2); // not 3 × 4 s
  });

  it('--max-calls refuses a list that needs more calls, before anything is sent (exit 2)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `eNoHeldLimit${i}`);
    const r = await runCli(['run', 'release_held_message', '--input', JSON.stringify({ id: ids }), '--max-calls', '1'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'input_error', field: 'max_calls' });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('--max-calls bounds the whole array input, token requests included: an element past it is not run, and the exit is 1, not 2', async () => {
    const input = JSON.stringify([{ query: 'a' }, { query: 'b' }, { query: 'c' }]);
    const r = await runCli(['run', 'search_groups', '--input', input, '--max-calls', '2'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(1);
    const results = r.json as { status: string; meta: { requests: number }; error?: { type: string; field?: string; message: string } }[];
    expect(results).toHaveLength(3);
    expect(results[0].status).toBe('success');
    expect(results[2].status).toBe('failed');
    expect(results[2].error).toMatchObject({ type: 'rate_limited', field: 'max_calls' });
    expect(results[2].error?.message).toMatch(/^not run: the elements before element 3 made 2 requests, the most the whole input may make \(max_calls 2\)$/);
    // Two requests in all (a token request and one search, or two searches with the token cached), not two per element.
    expect(cli.sim.stats.token_requests + cli.sim.stats.api_requests).toBe(2);
  });

  it('--deadline past 86400 seconds (more than a timer of the whole run holds) is refused before anything is sent', async () => {
    const r = await runCli(['run', 'search_groups', '--deadline', '3000000'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({
      type: 'input_error',
      message: '--deadline "3000000" must be at most 86400 seconds (24 hours), like the deadline setting',
    });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('--max-calls takes a whole number only', async () => {
    const r = await runCli(['run', 'search_groups', '--max-calls', 'lots'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('--max-calls');
  });
});

describe('a reader that stops early', () => {
  it('closing stdout after a few bytes (| head -c 10) ends the CLI quietly, with no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI, NODE, cliEnv } = await import('../helpers/cli.js');
    const child = spawn(NODE, [CLI, 'describe', 'search'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|at .*\(|Error:/);
    expect(code).toBe(0);
  });
});
