/**
 * The built package as a TypeScript consumer sees it: a project in a temp dir that depends on
 * mimecast-connector (a link to this checkout: package.json `types` and `exports` → dist/index.d.ts
 * and, for mimecast-connector/simulator, dist/simulator.d.ts) and compiles with strict settings.
 * The files ok.ts and sim.ts must compile; every marked line of bad.ts must be refused, and nothing else.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTmpDirs, NODE, requireBuiltCli, ROOT, tmpDir } from '../helpers/cli.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function exec(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CONFIG = `const config = { base_url: 'https://api.services.mimecast.com', client_id: 'id', client_secret: 'consumer-secret-01' };`;

const MUST_COMPILE = `
import { runAction, runActionById, createConnector, closeSharedConnections, parseConfig, ConnectorError, manifest, poll } from 'mimecast-connector';
import type { ActionId, Checkpoint, ConnectorConfig, ErrorInfo, ErrorType, Failure, InstanceConfig, ResultEnvelope, RunOptions, SearchGroupsOutput, Status, StreamName } from 'mimecast-connector';
${CONFIG}

// Every optional key of the configuration, typed.
const full: ConnectorConfig = { ...config, timeout: 30, deadline: 120, verify: true, proxy: 'http://proxy:3128', ca_file: '/ca.pem', max_response_mb: 8, max_download_mb: 64, max_calls: 50 };
// A parsed configuration is taken too.
const parsed: InstanceConfig = parseConfig({ ...config, timeout: '30' });
await runAction('search_groups', {}, parsed);

const result = await runAction('search_groups', { query: 'x' }, config);
const status: Status = result.status;
const groups: SearchGroupsOutput | null = result.data;
const firstId: string | undefined = result.data?.[0]?.id;
const users: number | undefined = result.data?.[0]?.userCount;
const error: ErrorInfo | undefined = result.error;
const type: ErrorType | undefined = result.error?.type;
const failures: Failure[] = result.failures;

// A dry run's data is the requests that would be sent.
const dry = await runAction('add_group_member', { member_information: [{ id: 'g', emailAddress: 'a@example.com' }] }, config, { dryRun: true });
const url: string | undefined = dry.data?.requests[0]?.url;

// The documented options.
const controller = new AbortController();
const options: RunOptions = { tokenCache: 'memory', cacheDir: '/tmp/c', outputDir: '/tmp/o', deadlineMs: 30_000, signal: controller.signal };
const withOptions = await runAction('get_group_members', { group_id: 'g' }, config, options);

// An id known only at run time: runActionById, typed unknown.
const someId: string = process.argv[2] ?? 'search_groups';
const loose: ResultEnvelope<unknown> = await runActionById(someId, { query: 'x', page_size: '10' }, config);
const looseDry = await runActionById(someId, {}, config, { dryRun: true });
const looseUrl: string | undefined = looseDry.data?.requests[0]?.url;

const connector = createConnector(config);
const members = await connector.run('get_group_members', { group_id: 'g' });
const email: string | undefined = members.data?.[0]?.emailAddress;
const byId: ResultEnvelope<unknown> = await connector.runById(someId, { query: 'x' });
const parsedOrRefused: InstanceConfig | undefined = connector.config;
await connector.close();
await closeSharedConnections();

// poll: each event's record typed by its stream (schemas/streams), told apart by \`stream\`.
const stored: Checkpoint | undefined = undefined;
const polled = await poll(config, { streams: ['ttp_url', 'siem'], checkpoint: stored, maxEvents: 10 });
const next: Checkpoint = polled.checkpoint;
for (const e of polled.events) {
  if (e.stream === 'ttp_url') {
    const verdict: string | undefined = e.event.scanResult;
    const clickedAt: string = e.event.date;
  } else {
    const at: number = e.event.timestamp;
  }
}
const streamName: StreamName = 'held_messages';

const known: ActionId = 'release_held_message';
const isError: boolean = new ConnectorError('input_error', 'x') instanceof Error;
const version: string = manifest.app.version;
export { full, status, groups, firstId, users, error, type, failures, url, withOptions, loose, looseUrl, email, byId, parsedOrRefused, known, isError, version, next, streamName };
`;

/** Each line marked `// refused` must be an error; no other line may be. */
const MUST_NOT_COMPILE = `
import { runAction, createConnector, poll } from 'mimecast-connector';
${CONFIG}

await runAction('search_groups', { query: 42 }, config); // refused
await runAction('search_groups', { quer: 'x' }, config); // refused
await runAction('get_group_members', {}, config); // refused
await runAction('search_groups', { source: 'cloud', page_size: '10' }, config); // refused
const result = await runAction('search_groups', { query: 'x' }, config);
const id: number | undefined = result.data?.[0]?.id; // refused
const dry = await runAction('search_groups', { query: 'x' }, config, { dryRun: true });
const notGroups: string | undefined = dry.data?.[0]?.id; // refused
await createConnector(config).run('search_groups', { query: 42 }); // refused
await runAction('search_groups', { query: 'x' }, config, { deadline: 5 }); // refused
await runAction('serch_groups', { query: 'x' }, config); // refused
await createConnector(config).run('serch_groups', { query: 'x' }); // refused
const dynamicId: string = process.argv[2];
await runAction(dynamicId, { query: 'x' }, config); // refused
await runAction('search_groups', { query: 'x' }, { ...config, timout: 30 }); // refused
createConnector({ base_url: 'https://api.services.mimecast.com', client_id: 'id', client_secret: 'consumer-secret-01', verfy: false }); // refused
await runAction('search_groups', { query: 'x' }, { base_url: 'https://api.services.mimecast.com', client_id: 'id' }); // refused
await runAction('search_groups', { query: 'x' }, { ...config, timeout: '30' }); // refused
export { id, notGroups };
await poll(config, { streams: ['sime'] }); // refused
const polled = await poll(config, { streams: ['siem'] });
const at: string = polled.events[0].event.timestamp; // refused
const url: string | undefined = polled.events[0].event.url; // refused
export { at, url };

import { startSimulator } from 'mimecast-connector/simulator';
const sim = await startSimulator({ prot: 0 }); // refused
sim.fault({ kind: 'teapot' }); // refused
const port: string = sim.port; // refused
export { port };
`;

/** The simulator's entry (mimecast-connector/simulator): options, the handle, faults, the demo constants. */
const SIM_MUST_COMPILE = `
import { startSimulator, DEMO_GROUP_ID, DEMO_PHISH_MESSAGE_ID, DEMO_MALICIOUS_SHA256, SIM_CLIENT_ID, SIM_CLIENT_SECRET } from 'mimecast-connector/simulator';
import type { Fault, Simulator, SimulatorOptions } from 'mimecast-connector/simulator';
import { runAction } from 'mimecast-connector';

const options: SimulatorOptions = { port: 0, rateLimit: 100, rateWindowMs: 500, enforceRateLimit: true, tokenTtlSec: 60 };
const sim: Simulator = await startSimulator(options);
const url: string = sim.url;
const port: number = sim.port;
const fault: Fault = { kind: 'status', path: '/api/directory/find-groups', status: 503, times: 2 };
sim.fault(fault);
sim.fault({ kind: 'slow', delayMs: 100 });
sim.expireTokens();
const r = await runAction('get_group_members', { group_id: DEMO_GROUP_ID }, { base_url: url, ...sim.credentials });
const paths: string[] = sim.requests.map((q) => q.path);
const tokens: number = sim.stats.token_requests;
const limited: number | undefined = sim.stats.rate_limited;
sim.reset();
await sim.close();
const ids: string[] = [DEMO_PHISH_MESSAGE_ID, DEMO_MALICIOUS_SHA256, SIM_CLIENT_ID, SIM_CLIENT_SECRET];
export { port, r, paths, tokens, limited, ids };
`;

let project: string;

beforeAll(() => {
  requireBuiltCli();
  if (!existsSync(join(ROOT, 'dist/index.d.ts'))) throw new Error('dist/index.d.ts is missing: build first (node build.mjs)');
  project = tmpDir('mc-consumer-');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ['ok.ts', 'sim.ts', 'bad.ts'],
    }),
  );
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(ROOT, join(project, 'node_modules/mimecast-connector'), 'dir');
  writeFileSync(join(project, 'ok.ts'), MUST_COMPILE);
  writeFileSync(join(project, 'sim.ts'), SIM_MUST_COMPILE);
  writeFileSync(join(project, 'bad.ts'), MUST_NOT_COMPILE);
});
afterAll(() => cleanupTmpDirs());

describe('the typed library (dist/index.d.ts)', () => {
  it('package.json points TypeScript at dist/index.d.ts and dist/simulator.d.ts', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.types).toBe('dist/index.d.ts');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./simulator']).toEqual({ types: './dist/simulator.d.ts', default: './dist/simulator.js' });
    expect(existsSync(join(ROOT, 'dist/simulator.d.ts'))).toBe(true);
  });

  it('a strict consumer compiles typed calls and is refused wrong inputs and wrong uses of data', async () => {
    const r = await exec([TSC, '-p', 'tsconfig.json', '--pretty', 'false'], project);
    const errors = r.stdout
      .split('\n')
      .filter((l) => /error TS\d+/.test(l))
      .map((l) => {
        const m = /^(\S+)\((\d+),\d+\): error (TS\d+)/.exec(l);
        if (!m) throw new Error(`unexpected tsc output: ${l}`);
        return { file: m[1], line: Number(m[2]), code: m[3], text: l };
      });
    // Nothing in ok.ts or sim.ts, and nothing from the package's own declarations (skipLibCheck is off).
    expect(errors.filter((e) => e.file !== 'bad.ts').map((e) => e.text)).toEqual([]);
    const marked = MUST_NOT_COMPILE.split('\n').flatMap((l, i) => (l.endsWith('// refused') ? [i + 1] : []));
    expect(marked).toHaveLength(21);
    expect([...new Set(errors.map((e) => e.line))].sort((a, b) => a - b)).toEqual(marked);
    // The first one is the acceptance: a number where search_groups' query is a string.
    expect(errors.find((e) => e.line === marked[0])?.text).toMatch(/TS2322: Type 'number' is not assignable to type 'string'/);
    // A misspelt action id and a misspelt configuration key are refused for what they are.
    const on = (code: string) => errors.find((e) => e.line === MUST_NOT_COMPILE.split('\n').findIndex((l) => l.includes(code)) + 1)?.text;
    expect(on("runAction('serch_groups'")).toMatch(/TS2345: Argument of type '"serch_groups"' is not assignable/);
    expect(on('timout: 30')).toMatch(/'timout' does not exist in type/);
    expect(on('verfy: false')).toMatch(/'verfy' does not exist in type/);
    expect(r.code).not.toBe(0);
  });

  it('the consumer imports the built JavaScript through the same package name', async () => {
    writeFileSync(
      join(project, 'run.mjs'),
      `import { runAction } from 'mimecast-connector';
const r = await runAction('search_groups', { query: 'x' }, { base_url: 'https://api.services.mimecast.com', client_id: 'consumer-id', client_secret: 'consumer-test-secret-0123' }, { dryRun: true });
process.stdout.write(JSON.stringify({ status: r.status, url: r.data.requests[0].url }));`,
    );
    const r = await exec(['run.mjs'], project);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ status: 'success', url: 'https://api.services.mimecast.com/api/directory/find-groups' });
  });
});
