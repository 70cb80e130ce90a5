/**
 * The built CLI's other commands: list, describe, check, test-connectivity, simulate, and the
 * invocation errors around them.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../../src/simulator/server.js';
import { CLI, cliEnv, http, NODE, requireBuiltCli, ROOT, runCli, simEnv, useCliSimulator } from '../helpers/cli.js';

interface BuiltManifest {
  app: { version: string };
  actions: Record<
    string,
    {
      id: string;
      name: string;
      read_only: boolean;
      beta?: boolean;
      routes: string[];
      example?: unknown[];
      input: { properties?: Record<string, { enum?: string[]; default?: unknown; title?: string }>; required?: string[] };
    }
  >;
}

let manifest: BuiltManifest;
const cli = useCliSimulator();

beforeAll(async () => {
  // dist/manifest.json is written by the same build as dist/cli.js.
  manifest = JSON.parse(readFileSync(join(ROOT, 'dist/manifest.json'), 'utf8')) as BuiltManifest;
});

describe('list and describe', () => {
  it('list prints a table with every action', async () => {
    const r = await runCli(['list']);
    expect(r.code).toBe(0);
    const ids = Object.keys(manifest.actions);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${ids.length} actions`);
    expect(lines).toHaveLength(ids.length + 1);
    for (const id of ids) expect(lines.some((l) => l.startsWith(`${id} `))).toBe(true);
    expect(lines.find((l) => l.startsWith('add_group_member '))).toMatch(/WRITE\s+Add Group Member$/);
    expect(lines.find((l) => l.startsWith('get_archive_file '))).toMatch(/read\s+Get Archive File \(Beta\)$/);
  });

  it('list --json prints the actions as JSON', async () => {
    const r = await runCli(['list', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.map((a: { id: string }) => a.id)).toEqual(Object.keys(manifest.actions));
    expect(r.json.find((a: { id: string }) => a.id === 'add_group_member')).toEqual({
      id: 'add_group_member',
      name: 'Add Group Member',
      read_only: false,
      routes: ['POST /api/directory/add-group-member'],
    });
  });

  it('describe shows parameters, labels, allowed values, defaults, aliases and the example', async () => {
    const r = await runCli(['describe', 'get_ttp_url_logs']);
    expect(r.code).toBe(0);
    const a = manifest.actions.get_ttp_url_logs;
    expect(r.stdout).toContain(`${a.name}  [get_ttp_url_logs]`);
    expect(r.stdout).toContain('Mimecast route(s): POST /api/ttp/url/get-logs');
    for (const [key, p] of Object.entries(a.input.properties ?? {})) {
      expect(r.stdout).toMatch(new RegExp(`^  ${key}(?: \\(required\\))?: `, 'm'));
      if (p.title) expect(r.stdout).toContain(`label: ${p.title}`);
    }
    expect(r.stdout).toContain('allowed values: clean, malicious, suspicious, all');
    expect(r.stdout).toContain('allowed values: inbound, outbound, internal, all');
    expect(r.stdout).toContain('also accepted as: start_date');
    expect(r.stdout).toContain(`Example:\n  mimecast-connector run get_ttp_url_logs --input '${JSON.stringify(a.example![0])}'\n`);
  });

  it('describe marks required parameters and shows the seed example', async () => {
    const r = await runCli(['describe', 'add_group_member']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('member_information (required): List (array)');
    expect(r.stdout).toContain('item keys: id (required), emailAddress, domain, notes');
    expect(r.stdout).toContain(`  mimecast-connector run add_group_member --input '${JSON.stringify(manifest.actions.add_group_member.example![0])}'\n`);
    expect(r.stdout).toMatch(/Permission: Directories \| Groups \| Edit/);
  });

  it('describe --json prints the manifest entry', async () => {
    const r = await runCli(['describe', 'search_groups', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toEqual(manifest.actions.search_groups);
  });

  it('describe of an unknown action exits 2 with a message on stderr', async () => {
    const r = await runCli(['describe', 'no_such_action']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown action "no_such_action"/);
  });

  it('an unknown command exits 2; no command exits 2; --version prints the version', async () => {
    const bad = await runCli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown command "frobnicate"/);
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Usage:/);
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(manifest.app.version);
  });
});

describe('check and test-connectivity', () => {
  it('check validates every action and example', async () => {
    const r = await runCli(['check']);
    expect(r.code).toBe(0);
    const n = Object.keys(manifest.actions).length;
    const examples = Object.values(manifest.actions).reduce((s, a) => s + (a.example?.length ?? 0), 0);
    expect(r.json).toEqual({ status: 'success', actions: n, examples, problems: [] });
  });

  it('test-connectivity against the simulator: a token request and one cheap read', async () => {
    const r = await runCli(['test-connectivity'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(r.json.action).toBe('test_connectivity');
    expect(r.json.summary).toContain(cli.sim.url);
    expect(cli.sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /oauth/token', 'POST /api/account/get-account']);
  });

  it('test-connectivity --simulator', async () => {
    const r = await runCli(['test-connectivity', '--simulator']);
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
  });

  it('test-connectivity with a wrong secret exits 1 with an auth_error and a hint', async () => {
    const r = await runCli(['test-connectivity'], { env: simEnv(cli.sim, { MIMECAST_CLIENT_SECRET: 'wrong-secret-0000' }) });
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('auth_error');
    expect(r.json.error.hint).toEqual(expect.any(String));
  });
});

describe('simulate', () => {
  it('--port of a port in use: says so, names the port, exit 2', async () => {
    const r = await runCli(['simulate', '--port', String(cli.sim.port)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: --port ${cli.sim.port}: the port is in use on 127.0.0.1 (another simulator, or another program)\nhint: Pick another --port, or leave it out (or give 0) for a free one.\n`,
    );
  });

  it('starts, prints JSON with base_url, serves a token request, and stops on SIGTERM', async () => {
    requireBuiltCli();
    const child = spawn(NODE, [CLI, 'simulate', '--port', '0'], { cwd: ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    try {
      const info = await new Promise<{ base_url: string; client_id: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`simulate printed no JSON in time; stderr:\n${stderr}`)), 10_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          try {
            const v = JSON.parse(stdout);
            clearTimeout(timer);
            resolve(v);
          } catch {
            /* not complete yet */
          }
        });
        child.on('close', () => reject(new Error(`simulate exited early; stderr:\n${stderr}`)));
      });
      expect(info.base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.client_id).toBe(SIM_CLIENT_ID);
      const res = await http('POST', `${info.base_url}/oauth/token`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SIM_CLIENT_ID, client_secret: SIM_CLIENT_SECRET }).toString(),
      });
      expect(res.status).toBe(200);
      const tok = res.json as { access_token: string; token_type: string };
      expect(tok.token_type).toBe('Bearer');
      expect(tok.access_token.length).toBeGreaterThan(10);
      // The secret is not printed by the simulate command either.
      expect(stdout + stderr).not.toContain(SIM_CLIENT_SECRET);
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const end = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 5_000)))]);
      clearTimeout(timer);
      expect(end).toEqual({ code: 0, signal: null });
      await expect(http('POST', `${info.base_url}/oauth/token`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
