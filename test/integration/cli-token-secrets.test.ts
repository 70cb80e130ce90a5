/**
 * The built CLI, step after step and side by side, as a playbook runs it: parallel steps share one
 * token, a step that took its token from the cache still masks it, and a client secret that is a
 * quote, an envelope word or a comma (or not a string at all) cannot break or rename what stdout
 * carries.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { members, DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { postFault, requestsTo, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();
const readMembers = JSON.stringify({ group_id: DEMO_GROUP_ID });
const ENVELOPE = ['status', 'action', 'summary', 'data', 'failures', 'meta'];

/** The tokens the simulator saw in Authorization headers. */
const bearerTokens = () => [
  ...new Set(
    cli.sim.requests
      .map((q) => String(q.headers.authorization ?? ''))
      .filter((a) => a.startsWith('Bearer '))
      .map((a) => a.slice(7)),
  ),
];

describe('steps of one instance', () => {
  it('parallel steps against a slow token endpoint make exactly one token request', async () => {
    const cacheHome = tmpDir('mc-cache-parallel-');
    // The first step's token request takes 1.5 s: the others start meanwhile and wait for its lock.
    await postFault(cli.sim, { kind: 'slow', path: '/oauth/token', delayMs: 1500, times: 4 });
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCli(['run', 'get_group_members', '--input', readMembers], { env: simEnv(cli.sim), cacheHome })));
    expect(runs.map((r) => [r.code, r.json.status])).toEqual(Array(4).fill([0, 'success']));
    expect(cli.sim.stats).toEqual({ token_requests: 1, api_requests: 4 });
    expect(bearerTokens()).toHaveLength(1);
  });

  it('the step that took its token from the cache masks it when an answer echoes it', async () => {
    const cacheHome = tmpDir('mc-cache-canary-');
    const first = await runCli(['run', 'get_group_members', '--input', readMembers], { env: simEnv(cli.sim), cacheHome });
    expect(first.code).toBe(0);
    const [token] = bearerTokens();
    // The tenant now echoes the token back in a member's name.
    members(cli.sim)
      .get(DEMO_GROUP_ID)!
      .push({ emailAddress: 'echo@example.com', name: `echo ${token}`, type: 'created_manually', internal: true });
    const second = await runCli(['run', 'get_group_members', '--input', readMembers], { env: simEnv(cli.sim), cacheHome });
    expect(second.code).toBe(0);
    expect(cli.sim.stats.token_requests).toBe(1); // the second step used the cached token
    expect(requestsTo(cli.sim, '/api/directory/get-group-members').map((q) => q.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    expect(second.stdout + second.stderr).not.toContain(token);
    expect(second.json.data).toContainEqual(expect.objectContaining({ emailAddress: 'echo@example.com', name: 'echo [REDACTED]' }));
  });
});

describe('a client secret that masks characters of the output', () => {
  // A tenant whose applications have these secrets (an operator can choose any of 8 characters or
  // more; shorter ones are refused as placeholders). Each is text of the output, not a value in it:
  // masking the printed text would corrupt it, masking the result's values cannot.
  const clients = { 'quote-client': '"status"', 'key-client': 'requests', 'meta-client': '"meta": {', 'comma-client': ',User 1,' };
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ clients });
  });
  afterAll(() => sim.close());
  const env = (clientId: keyof typeof clients) => ({ MIMECAST_BASE_URL: sim.url, MIMECAST_CLIENT_ID: clientId, MIMECAST_CLIENT_SECRET: clients[clientId] });

  it.each([
    ['an envelope key in quotes', 'quote-client'],
    ['a meta key', 'key-client'],
    ['JSON syntax around a key', 'meta-client'],
  ] as const)('%s: stdout is still the JSON envelope, its keys whole', async (_what, clientId) => {
    const r = await runCli(['run', 'get_group_members', '--input', readMembers], { env: env(clientId) });
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(ENVELOPE);
    expect(r.json.status).toBe('success');
    expect(Object.keys(r.json.meta)).toEqual(['requests', 'duration_ms', 'pages', 'rate_limit']);
    expect(r.json.meta.requests).toBe(2);
  });

  it('a comma: the CSV keeps its columns', async () => {
    const r = await runCli(['run', 'get_group_members', '--input', readMembers, '--format', 'csv'], { env: env('comma-client') });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('emailAddress,domain,name,type,internal');
    expect(lines.slice(1, 3)).toEqual(['user1@example.com,,User 1,created_manually,true', 'user2@example.com,,User 2,created_manually,true']);
  });

  it('a secret that is a JSON number in --config is a config_error naming client_secret, never echoed, nothing sent', async () => {
    const file = join(tmpDir(), 'config.json');
    writeFileSync(file, `{"base_url": "${sim.url}", "client_id": "numeric-client", "client_secret": 86753094215}`);
    const before = { ...sim.stats };
    const r = await runCli(['run', 'get_group_members', '--input', readMembers, '--config', file]);
    expect(r.code).toBe(2);
    expect(r.json.error).toEqual({
      type: 'config_error',
      message: 'client_secret must be a string: put the secret in quotes (a JSON number can lose digits)',
      field: 'client_secret',
    });
    expect(r.stdout + r.stderr).not.toContain('86753094215');
    expect(sim.stats).toEqual(before);
  });
});
