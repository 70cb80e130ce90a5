/**
 * A process that is done exits: once an action has run and the simulator has closed, nothing of
 * the connector or the simulator keeps the event loop alive. It runs the built package (the
 * library and its ./simulator export) in a child process, the way a platform's step or test
 * harness does, against an answer held back far longer than the run's deadline.
 */
import { spawn } from 'node:child_process';
import { NODE, ROOT, requireBuiltCli } from '../helpers/cli.js';

// The child: one action that gives up on a slow answer (its deadline), then close(); it prints what
// still holds its event loop, then has nothing left to do.
const CHILD = `
import { setImmediate as tick } from 'node:timers/promises';
import { runAction } from './dist/index.js';
import { startSimulator } from './dist/simulator.js';
const sim = await startSimulator();
sim.fault({ kind: 'slow', path: '/api/account/get-account', delayMs: 600000 });
const r = await runAction('get_current_account_details', {}, { base_url: sim.url, ...sim.credentials }, { tokenCache: 'memory', deadlineMs: 300 });
await sim.close();
// A closed handle is released in the loop's close phase, after the check phase of the first tick.
await tick();
await tick();
process.stdout.write(JSON.stringify({ error: r.error?.type, held: sim.requests.filter((q) => q.path === '/api/account/get-account').length, active: process.getActiveResourcesInfo() }) + '\\n');
`;

describe('process exit', () => {
  beforeAll(() => requireBuiltCli());

  it('after a run that gave up on a slow answer and the simulator closed, nothing is left and the process exits by itself', async () => {
    const child = spawn(NODE, ['--input-type=module', '-e', CHILD], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c;
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
        });
        child.once('exit', () => reject(new Error(`the child ended without its report: ${stderr}`)));
      });
      const report = JSON.parse(line) as { error?: string; held: number; active: string[] };
      // The run did meet the slow answer and gave up on it.
      expect(report.error).toBe('timeout');
      expect(report.held).toBe(1);
      // No timer, socket or server left (the pipes are the child's stdio to this test).
      expect(report.active.filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap')).toEqual([]);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
  });
});
