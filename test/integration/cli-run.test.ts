/**
 * The built CLI (dist/cli.js) as a child process against the embedded simulator over real HTTP
 * on loopback: the acceptance runs, exit codes, input forms, --simulator.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { postFault, requestsTo, ROOT, runCli, simEnv, simMembers, tmpDir, useCliSimulator } from '../helpers/cli.js';

const seed = JSON.parse(readFileSync(join(ROOT, 'manifest/actions/add_group_member.json'), 'utf8')) as {
  example: { member_information: { id: string; emailAddress: string }[] }[];
};
const SEED_MEMBER = seed.example[0].member_information[0];

const cli = useCliSimulator();

describe('acceptance', () => {
  it("dry-runs the seed's add_group_member example with no configuration: JSON only, the exact request, nothing sent", async () => {
    const r = await runCli(['run', 'add_group_member', '--dry-run', '--input', JSON.stringify(seed.example)]);
    expect(r.code).toBe(0);
    // stdout is the JSON result and nothing else.
    const out = JSON.parse(r.stdout);
    expect(r.stdout.trim().startsWith('[')).toBe(true);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toHaveLength(1);
    const [res] = out;
    expect(res.status).toBe('success');
    expect(res.action).toBe('add_group_member');
    expect(res.meta.requests).toBe(0);
    expect(res.data.requests).toHaveLength(1);
    const req = res.data.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.services.mimecast.com/api/directory/add-group-member');
    expect(req.body.data).toHaveLength(1);
    expect(req.body.data[0].id).toBe(SEED_MEMBER.id);
    expect(req.body.data[0].emailAddress).toBe(SEED_MEMBER.emailAddress);
    // The log line about the placeholder configuration is on stderr, never on stdout.
    expect(r.stdout).not.toMatch(/dry run without/);

    // With a configuration pointing at the simulator, a dry run still sends nothing: no token, no call.
    const r2 = await runCli(['run', 'add_group_member', '--dry-run', '--input', JSON.stringify(seed.example)], { env: simEnv(cli.sim) });
    expect(r2.code).toBe(0);
    expect(r2.json[0].data.requests[0].url).toBe(`${cli.sim.url}/api/directory/add-group-member`);
    expect(cli.sim.requests).toEqual([]);
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('three fresh run processes with one token cache make exactly one token request between them', async () => {
    const cacheHome = tmpDir('mc-cache-shared-');
    const env = simEnv(cli.sim);
    const groups = await runCli(['run', 'search_groups', '--input', '{"source":"cloud"}'], { env, cacheHome });
    expect(groups.code).toBe(0);
    const groupId = groups.json.data[0].id;
    expect(groupId).toBe(DEMO_GROUP_ID);
    expect(groups.json.meta.requests).toBe(2); // token + find-groups

    const members = await runCli(['run', 'get_group_members', '--input', JSON.stringify({ group_id: groupId })], { env, cacheHome });
    expect(members.code).toBe(0);
    expect(members.json.meta.requests).toBe(1);

    const add = await runCli(
      ['run', 'add_group_member', '--input', JSON.stringify({ member_information: [{ id: groupId, emailAddress: 'new.hire@example.com' }] })],
      { env, cacheHome },
    );
    expect(add.code).toBe(0);
    expect(add.json.status).toBe('success');
    expect(add.json.meta.requests).toBe(1);

    expect(cli.sim.stats.token_requests).toBe(1);
    expect(cli.sim.stats.api_requests).toBe(3);
    const bearers = new Set(cli.sim.requests.filter((q) => q.path.startsWith('/api/')).map((q) => q.headers.authorization));
    expect(bearers.size).toBe(1);
    // The cache holds the token file (not the token in clear) and the quota windows left for the next step; both owner-only.
    const dir = join(cacheHome, 'mimecast-connector');
    const files = readdirSync(dir).sort();
    // The journal of the three writes lives beside the token cache (docs/journal.md).
    expect(files).toEqual(['journal.ndjson', expect.stringMatching(/^quota-[0-9a-f]{32}\.json$/), expect.stringMatching(/^token-[0-9a-f]{32}\.json$/)]);
    const token = String([...bearers][0]).replace(/^Bearer /, '');
    for (const f of files) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain(token);
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain(cli.sim.credentials.client_secret);
    }
  });
});

describe('exit codes', () => {
  it('0 on success', async () => {
    const r = await runCli(['run', 'get_group_members', '--input', JSON.stringify({ group_id: DEMO_GROUP_ID })], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    const expected = simMembers(cli.sim, DEMO_GROUP_ID);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.json.data.map((m: { emailAddress: string }) => m.emailAddress)).toEqual(expected);
    expect(r.json.failures).toEqual([]);
  });

  it('3 on partial: one of two members already exists', async () => {
    const existing = simMembers(cli.sim, DEMO_GROUP_ID)[0];
    expect(existing).toMatch(/@/);
    const input = {
      member_information: [
        { id: DEMO_GROUP_ID, emailAddress: existing },
        { id: DEMO_GROUP_ID, emailAddress: 'fresh@example.com' },
      ],
    };
    const r = await runCli(['run', 'add_group_member', '--input', JSON.stringify(input)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('partial');
    expect(r.json.data).toHaveLength(1);
    expect(r.json.data[0].emailAddress).toBe('fresh@example.com');
    expect(r.json.failures).toHaveLength(1);
    expect(r.json.failures[0]).toMatchObject({ code: 'err_folder_group_member_already_exists', key: { id: DEMO_GROUP_ID, emailAddress: existing } });
  });

  it('1 when a write meets a 503, and the write is not re-sent', async () => {
    await postFault(cli.sim, { kind: 'status', status: 503, path: '/api/directory/add-group-member' });
    const input = { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'fresh@example.com' }] };
    const r = await runCli(['run', 'add_group_member', '--input', JSON.stringify(input)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    expect(r.json.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(requestsTo(cli.sim, '/api/directory/add-group-member')).toHaveLength(1);
  });

  it('1 on an authentication failure (wrong secret), with no API call made', async () => {
    const r = await runCli(['run', 'search_groups'], { env: simEnv(cli.sim, { MIMECAST_CLIENT_SECRET: 'not-the-right-secret-123' }) });
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    expect(r.json.error.type).toBe('auth_error');
    expect(r.json.error.http_status).toBe(401);
    expect(cli.sim.stats).toEqual({ token_requests: 1, api_requests: 0 });
  });

  it('2 on a missing required parameter: a JSON envelope, meta.requests 0, nothing sent', async () => {
    const r = await runCli(['run', 'add_group_member', '--input', '{}'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({
      status: 'failed',
      action: 'add_group_member',
      data: null,
      error: { type: 'input_error', message: 'member_information is required' },
      meta: { requests: 0 },
    });
    expect(cli.sim.requests).toEqual([]);
  });

  it('2 on a missing configuration (config_error)', async () => {
    const r = await runCli(['run', 'search_groups', '--input', '{}']);
    expect(r.code).toBe(2);
    expect(r.json.status).toBe('failed');
    expect(r.json.error.type).toBe('config_error');
    expect(r.json.meta.requests).toBe(0);
  });

  it('2 on a config file that breaks a rule (timeout below 15)', async () => {
    const dir = tmpDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ base_url: cli.sim.url, ...cli.sim.credentials, timeout: 5 }));
    const r = await runCli(['run', 'search_groups', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('config_error');
    expect(r.json.error.message).toMatch(/timeout/);
    expect(cli.sim.requests).toEqual([]);
  });

  it('2 on --config without a file (an invocation error, like any option without its value)', async () => {
    const r = await runCli(['run', 'search_groups', '--config'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('input_error');
    expect(r.json.error.message).toBe('--config needs a value (FILE)');
    expect(cli.sim.requests).toEqual([]);
  });

  it('2 on an unknown action', async () => {
    const r = await runCli(['run', 'no_such_action', '--input', '{}'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.status).toBe('failed');
    expect(r.json.error.type).toBe('input_error');
    expect(r.json.error.message).toMatch(/unknown action "no_such_action"/);
    expect(cli.sim.requests).toEqual([]);
  });

  it('2 on --input that is not JSON', async () => {
    const r = await runCli(['run', 'search_groups', '--input', '{source: cloud'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('input_error');
    expect(r.json.error.message).toMatch(/not valid JSON/);
    expect(cli.sim.requests).toEqual([]);
  });

  it('2 and nothing sent when one element of the array form is invalid', async () => {
    const input = [{ member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'fresh@example.com' }] }, { member_information: [] }];
    const r = await runCli(['run', 'add_group_member', '--input', JSON.stringify(input)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json).toHaveLength(2);
    expect(r.json[1].error).toMatchObject({ type: 'input_error', message: 'member_information must have at least one item' });
    expect(r.json[0].error.type).toBe('input_error');
    expect(r.json[0].error.message).toMatch(/element 2/);
    expect(cli.sim.requests).toEqual([]);
  });
});

describe('input forms', () => {
  it('--input @FILE', async () => {
    const file = join(tmpDir(), 'input.json');
    writeFileSync(file, JSON.stringify({ query: 'InsightConnect' }));
    const r = await runCli(['run', 'search_groups', '--input', `@${file}`], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.json.data.map((g: { description: string }) => g.description)).toEqual(['InsightConnect test']);
    expect(requestsTo(cli.sim, '/api/directory/find-groups')[0].body).toMatchObject({ data: [{ query: 'InsightConnect' }] });
  });

  it('--input @FILE that does not exist is an input error (2)', async () => {
    const r = await runCli(['run', 'search_groups', '--input', `@${join(tmpDir(), 'missing.json')}`], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error.type).toBe('input_error');
    expect(cli.sim.requests).toEqual([]);
  });

  it('--input - reads stdin', async () => {
    const r = await runCli(['run', 'get_group_members', '--input', '-'], {
      env: simEnv(cli.sim),
      stdin: JSON.stringify({ group_id: DEMO_GROUP_ID, page_size: '1' }),
    });
    expect(r.code).toBe(0);
    const n = simMembers(cli.sim, DEMO_GROUP_ID).length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(r.json.data).toHaveLength(n);
    expect(r.json.meta.pages).toBe(n);
    expect(requestsTo(cli.sim, '/api/directory/get-group-members')[0].body).toMatchObject({
      meta: { pagination: { pageSize: 1 } },
      data: [{ id: DEMO_GROUP_ID }],
    });
  });

  it("the seed's array form runs each element and prints a JSON array", async () => {
    const r = await runCli(['run', 'search_groups', '--input', JSON.stringify([{ source: 'cloud' }, { query: 'New Folder' }])], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json.map((x: { status: string }) => x.status)).toEqual(['success', 'success']);
    expect(r.json[1].data.map((g: { description: string }) => g.description)).toEqual(['New Folder']);
    expect(requestsTo(cli.sim, '/api/directory/find-groups').map((q) => (q.body as { data: unknown[] }).data[0])).toEqual([
      { source: 'cloud' },
      { query: 'New Folder' },
    ]);
    // One token for both elements.
    expect(cli.sim.stats.token_requests).toBe(1);
  });
});

describe('--simulator', () => {
  it('get_ttp_url_logs --simulator: success with rows and meta.pages, no configuration, no token file', async () => {
    const cacheHome = tmpDir('mc-cache-');
    const r = await runCli(['run', 'get_ttp_url_logs', '--simulator', '--input', '{"route":"all","page_size":"50"}'], { cacheHome });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    // The default window is 00:00 UTC today → now, at any hour of the day: the simulator keeps
    // half of its 240 click logs in it (up to a few that a second's tick can put past the run's now).
    expect(r.json.data.length).toBeGreaterThan(100);
    expect(r.json.data.length).toBeLessThanOrEqual(120);
    expect(r.json.data[0]).toEqual(expect.objectContaining({ url: expect.any(String), userEmailAddress: expect.any(String), scanResult: expect.any(String) }));
    expect(r.json.meta.pages).toBe(Math.ceil(r.json.data.length / 50));
    expect(r.json.meta.requests).toBe(1 + r.json.meta.pages);
    expect(readdirSync(cacheHome)).toEqual([]);
    // The in-process simulator is the one that answered: the test's simulator saw nothing.
    expect(cli.sim.requests).toEqual([]);
  });
});
