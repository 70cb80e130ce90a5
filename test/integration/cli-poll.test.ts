/**
 * The built CLI's poll against the simulator: NDJSON to --out, a real SIGKILL mid-run and a
 * restart that neither loses nor repeats an event, --follow ending on SIGTERM with exit 0, and
 * bad flags refused with exit 2 before anything is sent.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { CLI, cleanupTmpDirs, cliEnv, NODE, requireBuiltCli, ROOT, runCli, simEnv, tmpDir } from '../helpers/cli.js';

const NOW = '2026-03-10T12:34:56Z';
let sim: Simulator;
beforeAll(async () => {
  requireBuiltCli();
  sim = await startSimulator({ now: () => new Date(NOW) });
});
afterAll(async () => {
  await sim.close();
  cleanupTmpDirs();
});

const env = () => simEnv(sim, { MIMECAST_SIMULATOR_NOW: NOW, MIMECAST_TOKEN_CACHE: 'memory' });
const args = (d: string) => ['poll', '--stream', 'siem,audit', '--state', join(d, 'state.json'), '--out', join(d, 'out.ndjson'), '--since', '24h'];
const read = (d: string) => readFileSync(join(d, 'out.ndjson'), 'utf8');

test('SIGKILL mid-run, then a restart: the output holds every event exactly once', async () => {
  const ref = tmpDir();
  const first = await runCli(args(ref), { env: env() });
  expect(first.stderr).toContain('siem 5760 event(s)');
  expect(first.code).toBe(0);
  expect(first.stdout).toBe('');

  const d = tmpDir();
  const child = spawn(NODE, [CLI, ...args(d)], { env: cliEnv({ env: env() }), stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_c, s) => r(s)));
  const out = join(d, 'out.ndjson');
  // Killed once it has written some events (a wait for a condition, not a timed assertion).
  while (!(existsSync(out) && statSync(out).size > 50_000) && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const again = await runCli(args(d), { env: env() });
  expect(again.code).toBe(0);
  expect(read(d)).toBe(read(ref));
});

test('progress on stderr: a line per written page of a stream read in several pages; --quiet leaves only the summary', async () => {
  // siem, 3 h at two events per 30 s: 720 events in pages of 100, one event repeated by the cursor
  // on every third page (dropped, so the count grows by 99 there); audit is read in one page: no line.
  const poll = (d: string, ...extra: string[]) =>
    runCli(['poll', '--stream', 'siem,audit', '--state', join(d, 'state.json'), '--out', join(d, 'out.ndjson'), '--since', '3h', ...extra], { env: env() });
  const loud = await poll(tmpDir());
  expect(loud.code).toBe(0);
  expect(loud.stderr.split('\n')).toEqual([
    'siem: page 1: 100 events so far',
    'siem: page 2: 200 events so far',
    'siem: page 3: 300 events so far',
    'siem: page 4: 399 events so far',
    'siem: page 5: 499 events so far',
    'siem: page 6: 599 events so far',
    'siem: page 7: 698 events so far',
    'siem: page 8: 720 events so far',
    'poll: siem 720 event(s), audit 17 event(s)',
    '',
  ]);
  const quiet = await poll(tmpDir(), '--quiet');
  expect(quiet.code).toBe(0);
  expect(quiet.stderr).toBe('poll: siem 720 event(s), audit 17 event(s)\n');
});

test('--follow polls until SIGTERM, then exits 0; stdout carries only events', async () => {
  const d = tmpDir();
  const child = spawn(NODE, [CLI, 'poll', '--stream', 'audit', '--state', join(d, 's.json'), '--since', '1h', '--follow', '--interval', '3600'], {
    env: cliEnv({ env: env() }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const code = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  while (!stderr.includes('poll: audit')) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  expect(await code).toBe(0);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThanOrEqual(5);
  expect(lines.every((l) => l.stream === 'audit' && typeof l.id === 'string')).toBe(true);
  expect(JSON.parse(readFileSync(join(d, 's.json'), 'utf8')).streams.audit.kind).toBe('window');
});

test('poll --help on stdout; a bad flag, an unknown stream or a missing --state exits 2, nothing sent', async () => {
  const help = await runCli(['poll', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('--stream S[,S…]');
  const before = sim.requests.length;
  for (const bad of [
    ['poll', '--stream', 'siem', '--state', 'x', '--bogus'],
    ['poll', '--stream', 'sime', '--state', 'x'],
    ['poll', '--stream', 'siem'],
    ['poll', '--stream', 'siem', '--state', 'x', '--since', 'yesterday'],
  ]) {
    const r = await runCli(bad, { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: /);
  }
  expect(sim.requests.length).toBe(before);
});

// The child: a library poll of every stream, then the simulator closed; it reports what still holds
// its event loop, then has nothing left to do. Its sessions (one per stream, a 24 h deadline each)
// are ended with the poll.
const POLL_CHILD = `
import { setImmediate as tick } from 'node:timers/promises';
import { poll, STREAM_NAMES } from './dist/index.js';
import { startSimulator } from './dist/simulator.js';
const now = Date.parse('${NOW}');
const sim = await startSimulator({ now: () => new Date(now) });
const r = await poll({ base_url: sim.url, ...sim.credentials }, { streams: STREAM_NAMES, since: '1h' }, { tokenCache: 'memory', now: () => now });
await sim.close();
await tick();
await tick();
process.stdout.write(JSON.stringify({ exitCode: r.exitCode, events: r.events.length, active: process.getActiveResourcesInfo() }) + '\\n');
`;

test('a library poll() in a child process: once the poll and the simulator are done, the process exits by itself', async () => {
  const child = spawn(NODE, ['--input-type=module', '-e', POLL_CHILD], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  try {
    expect(await exited).toBe(0);
    const report = JSON.parse(stdout.split('\n')[0] || JSON.stringify({ stderr })) as { exitCode: number; events: number; active: string[] };
    expect(report.exitCode).toBe(0);
    expect(report.events).toBeGreaterThan(100);
    expect(report.active.filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap')).toEqual([]);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
});
