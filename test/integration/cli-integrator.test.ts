/**
 * What an integrator relies on beyond the result: the token cache choice from the environment,
 * `simulate --env` lines that point the connector at the simulator, and user-facing text that
 * speaks of the app's documentation (never of the "seed" document it was built from).
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeAction } from '../../src/cli/describe.js';
import manifest from '../../src/generated/manifest.js';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../../src/simulator/server.js';
import { CLI, cliEnv, NODE, ROOT, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();

/** Every file under dir (none when it does not exist). */
const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : [];

describe('MIMECAST_TOKEN_CACHE', () => {
  it('memory: the run works and writes no cache file; by default the cache file is written', async () => {
    const memoryHome = tmpDir('mc-cache-memory-');
    const env = simEnv(cli.sim, { MIMECAST_TOKEN_CACHE: 'memory' });
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env, cacheHome: memoryHome });
      expect(r.code).toBe(0);
    }
    expect(filesUnder(memoryHome)).toEqual([]);
    expect(cli.sim.stats.token_requests).toBe(2); // each process asked for its own token

    const fileHome = tmpDir('mc-cache-file-');
    const r = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env: simEnv(cli.sim), cacheHome: fileHome });
    expect(r.code).toBe(0);
    expect(filesUnder(join(fileHome, 'mimecast-connector')).length).toBeGreaterThan(0);
  });

  it('any other value is a config_error, exit 2, and nothing is sent', async () => {
    const r = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env: simEnv(cli.sim, { MIMECAST_TOKEN_CACHE: 'disk' }) });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'config_error', message: 'MIMECAST_TOKEN_CACHE must be "memory" or "file" (got "disk")' });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });
});

describe('simulate --env', () => {
  it('prints the export lines on stdout, secret included, and they point the connector at the simulator', async () => {
    const child = spawn(NODE, [CLI, 'simulate', '--env'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const stdout = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`simulate --env printed no lines in time: ${text}`)), 10_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          text += d;
          if (text.split('\n').length > 3) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.on('close', () => reject(new Error('simulate exited early')));
      });
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^export MIMECAST_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines.slice(1)).toEqual([`export MIMECAST_CLIENT_ID=${SIM_CLIENT_ID}`, `export MIMECAST_CLIENT_SECRET=${SIM_CLIENT_SECRET}`]);

      // What `. ./sim.env` would set.
      const env = Object.fromEntries(lines.map((l) => /^export (\w+)=(.*)$/.exec(l)!.slice(1, 3)));
      const r = await runCli(['run', 'get_current_account_details'], { env });
      expect(r.code).toBe(0);
      expect(r.json.status).toBe('success');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('no "seed" in user-facing text', () => {
  const SEED = /seed/i;

  it('the documentation (README.md, CONTRIBUTING.md, docs/) and the console manifest (dist/manifest.json)', () => {
    const docs = readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f));
    expect(docs).toContain('docs/actions.md');
    for (const file of ['README.md', 'CONTRIBUTING.md', ...docs]) {
      expect({ file, seed: SEED.test(readFileSync(join(ROOT, file), 'utf8')) }).toEqual({ file, seed: false });
    }
    expect(readFileSync(join(ROOT, 'dist/manifest.json'), 'utf8')).not.toMatch(SEED);
  });

  it.each(Object.keys(manifest.actions))('describe %s, as text and as JSON', (id) => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    try {
      describeAction(id, false);
      describeAction(id, true);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain(id);
    expect(written.join('')).not.toMatch(SEED);
  });

  it('the usage of every command and the refusal of bad input', async () => {
    const help = await runCli(['help', 'run']);
    const usage = await runCli(['help']);
    const badJson = await runCli(['run', 'search_groups', '--dry-run', '--input', '{not json']);
    expect(badJson.code).toBe(2);
    for (const r of [help, usage, badJson]) expect(r.stdout + r.stderr).not.toMatch(SEED);
  });
});
