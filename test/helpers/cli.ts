/**
 * Runs the BUILT CLI (dist/cli.js) as a child process, the way a SOAR playbook step does.
 * Always asynchronous (spawn, never spawnSync): the simulator lives in the test process and
 * must keep answering while the child runs.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clockFromEnv } from '../../src/runtime/dates.js';
import { members } from '../../src/simulator/routes/directory.js';
import type { Fault } from '../../src/simulator/types.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

export const ROOT = process.cwd();
export const CLI = resolve(ROOT, 'dist/cli.js');

/** The bundle needs Node >= 22.19 (undici 8): prefer the running Node, else the pinned one. */
function nodeBinary(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  const pinned = resolve(ROOT, 'node_modules/node/bin/node');
  if (existsSync(pinned)) return pinned;
  return process.execPath;
}

export const NODE = nodeBinary();

/** Fails the suite with a clear message when the bundle was not built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} does not exist: build it first with \`node build.mjs\` (npm test builds before running jest).`);
  }
}

const made: string[] = [];

/** A fresh temp dir, removed by cleanupTmpDirs() (call it from afterAll). */
export function tmpDir(prefix = 'mc-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTmpDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The built CLI's suite: one simulator for the suite, reset before each test; the suite's temp
 * directories are removed after it. Use the returned holder's `sim` inside hooks and tests.
 */
export function useCliSimulator(): { readonly sim: Simulator } {
  const h = {} as { sim: Simulator };
  beforeAll(async () => {
    requireBuiltCli();
    h.sim = await startSimulator();
  });
  beforeEach(() => h.sim.reset());
  afterAll(async () => {
    await h.sim?.close();
    cleanupTmpDirs();
  });
  return h;
}

/** The documented example inputs of an action (its manifest entry's `example`). */
export function actionExample(id: string): Record<string, unknown>[] {
  return (JSON.parse(readFileSync(join(ROOT, 'manifest/actions', `${id}.json`), 'utf8')) as { example: Record<string, unknown>[] }).example;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not JSON). */
  json: any;
}

export interface CliOptions {
  /** Extra environment (MIMECAST_* etc.). Values set to undefined are removed. */
  env?: Record<string, string | undefined>;
  /** XDG_CACHE_HOME for the run; default: a fresh temp dir per call. */
  cacheHome?: string;
  stdin?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A clean environment: no MIMECAST_* from the developer's shell, CI=true, a fresh token cache. */
export function cliEnv(opts: CliOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A proxy of the developer's shell would route the child's loopback requests elsewhere.
    // MIMECAST_SIMULATOR_NOW stays: the suite's faked-clock runs give it to the simulator and the CLI alike.
    if ((k.startsWith('MIMECAST_') && k !== 'MIMECAST_SIMULATOR_NOW') || k === 'NODE_OPTIONS' || /^(https?|no)_proxy$/i.test(k)) continue;
    env[k] = v;
  }
  env.CI = 'true';
  env.XDG_CACHE_HOME = opts.cacheHome ?? tmpDir('mc-cache-');
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  requireBuiltCli();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: cliEnv(opts), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: CliResult = {
        code,
        signal,
        stdout,
        stderr,
        get json() {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`stdout is not JSON (exit ${code}):\n--- stdout\n${stdout}\n--- stderr\n${stderr}`);
          }
        },
      };
      resolvePromise(result);
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/**
 * The clock of a simulator the CLI starts itself (--simulator): MIMECAST_SIMULATOR_NOW when the
 * suite runs with a faked clock, else the real one. Date windows in tests come from a clock, never from Date.now().
 */
export const embeddedSimNow = (): Date => (clockFromEnv() ?? (() => new Date()))();

/** An ISO instant `hours` before (negative: after) the clock's now. */
export const hoursBefore = (now: Date, hours: number): string => new Date(now.getTime() - hours * 3600_000).toISOString();

/** The MIMECAST_* environment that points the CLI at a simulator. */
export function simEnv(sim: Simulator, over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { MIMECAST_BASE_URL: sim.url, MIMECAST_CLIENT_ID: sim.credentials.client_id, MIMECAST_CLIENT_SECRET: sim.credentials.client_secret, ...over };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTP request on a fresh connection (no keep-alive pool left behind). */
export function http(method: string, url: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { method, headers: { connection: 'close', ...opts.headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Queues a fault through the simulator's HTTP control endpoint (as an external test driver would). */
export async function postFault(sim: Simulator, fault: Fault): Promise<void> {
  const res = await http('POST', `${sim.url}/__sim/faults`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (res.status !== 200) throw new Error(`the simulator refused the fault: HTTP ${res.status} ${res.text}`);
}

/** The requests the simulator received on one path. */
export function requestsTo(sim: Simulator, path: string): Simulator['requests'] {
  return sim.requests.filter((r) => r.path === path);
}

/** The members the simulator holds for a group right now (its own state, not an HTTP answer). */
export function simMembers(sim: Simulator, groupId: string): string[] {
  const list = members(sim).get(groupId) ?? [];
  return list.map((m) => m.emailAddress ?? m.domain ?? '');
}
