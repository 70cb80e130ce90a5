/**
 * Secrets never reach stdout or stderr of the built CLI: the client secret (right or wrong) and
 * the bearer token the simulator issued, on success, auth failure, input and config errors, and
 * with debug logging on.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { cleanupTmpDirs, postFault, requireBuiltCli, runCli, tmpDir, type CliResult } from '../helpers/cli.js';

const CLIENT_ID = 'canary-client-id';
const CANARY = 'canary-secret-Zq8w3LkP0vRt5YxN';
const WRONG = 'canary-wrong-secret-Hh4Jk7Ll9Mm2';

let sim: Simulator;
const outputs: { name: string; r: CliResult }[] = [];
const env = (secret = CANARY, extra: Record<string, string> = {}) => ({
  MIMECAST_BASE_URL: sim.url,
  MIMECAST_CLIENT_ID: CLIENT_ID,
  MIMECAST_CLIENT_SECRET: secret,
  ...extra,
});

function issuedTokens(): string[] {
  return [
    ...new Set(
      sim.requests
        .map((q) => String(q.headers.authorization ?? ''))
        .filter((a) => a.startsWith('Bearer '))
        .map((a) => a.slice(7)),
    ),
  ];
}

function expectClean(name: string, r: CliResult): void {
  for (const secret of [CANARY, WRONG, encodeURIComponent(CANARY), ...issuedTokens()]) {
    if (r.stdout.includes(secret) || r.stderr.includes(secret)) throw new Error(`${name}: a secret appears in the output:\n${r.stdout}\n${r.stderr}`);
  }
}

beforeAll(async () => {
  requireBuiltCli();
  sim = await startSimulator({ clients: { [CLIENT_ID]: CANARY } });
});
afterAll(async () => {
  await sim?.close();
  cleanupTmpDirs();
});

describe('secrets stay out of the output', () => {
  const cacheHome = tmpDir('mc-cache-secrets-');

  it('a success', async () => {
    const r = await runCli(['run', 'get_group_members', '--input', JSON.stringify({ group_id: DEMO_GROUP_ID })], { env: env(), cacheHome });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(issuedTokens()).toHaveLength(1);
    outputs.push({ name: 'success', r });
    expectClean('success', r);
    // The token cache file is owner-only and holds neither the secret nor the token in clear.
    const dir = join(cacheHome, 'mimecast-connector');
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(issuedTokens()[0]);
  });

  it('a wrong-secret authentication failure (exit 1, auth_error)', async () => {
    const r = await runCli(['run', 'get_group_members', '--input', JSON.stringify({ group_id: DEMO_GROUP_ID })], { env: env(WRONG) });
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('auth_error');
    // The simulator did receive the wrong secret (so the canary was really in play).
    expect(sim.requests.some((q) => q.path === '/oauth/token' && String(q.body).includes(encodeURIComponent(WRONG)))).toBe(true);
    outputs.push({ name: 'auth failure', r });
    expectClean('auth failure', r);
  });

  it('an input error (exit 2)', async () => {
    const r = await runCli(
      ['run', 'add_group_member', '--input', JSON.stringify({ member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'not-an-email' }] })],
      { env: env(), cacheHome },
    );
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('input_error');
    outputs.push({ name: 'input error', r });
    expectClean('input error', r);
  });

  it('a config error (exit 2) with the secret in a config file', async () => {
    const file = join(tmpDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ base_url: 'ftp://example.com', client_id: CLIENT_ID, client_secret: CANARY }));
    const r = await runCli(['run', 'search_groups', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('config_error');
    outputs.push({ name: 'config error', r });
    expectClean('config error', r);
  });

  it('a run with MIMECAST_DEBUG=1 that retries (debug lines on stderr)', async () => {
    await postFault(sim, { kind: 'html', status: 502, path: '/api/directory/get-group-members' });
    const r = await runCli(['run', 'get_group_members', '--input', JSON.stringify({ group_id: DEMO_GROUP_ID })], {
      env: env(CANARY, { MIMECAST_DEBUG: '1' }),
      cacheHome,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/debug:/);
    outputs.push({ name: 'debug', r });
    expectClean('debug', r);
  });

  it('no output of any run above contains the canary secret or an issued token', () => {
    expect(outputs.map((o) => o.name)).toEqual(['success', 'auth failure', 'input error', 'config error', 'debug']);
    const tokens = issuedTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    for (const { name, r } of outputs) {
      for (const s of [CANARY, WRONG, ...tokens]) {
        expect({ name, leaked: r.stdout.includes(s) || r.stderr.includes(s) }).toEqual({ name, leaked: false });
      }
    }
  });
});
