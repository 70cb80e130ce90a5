/**
 * Web Security policies from the built CLI (dist/cli.js) against the simulator over loopback:
 * the documented examples run and succeed, --dry-run prints the documented path and body, a
 * list above delete's per-call cap is split, a delete with an unknown ID exits 3 (partial), and
 * the demo's web policy steps succeed.
 */
import { readdirSync } from 'node:fs';
import { SEEDED_WEB_POLICY_ID } from '../../src/simulator/routes/policy-webwhiteurl.js';
import { actionExample, requestsTo, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const CREATE = '/api/policy/webwhiteurl/create-policy-with-targets';
const DELETE = '/api/policy/webwhiteurl/delete-policy-with-targets';

const cli = useCliSimulator();

describe('Web Security policies from the CLI', () => {
  it('--dry-run of the create example prints the documented path and body and sends nothing', async () => {
    const [example] = actionExample('create_policy_with_targets');
    const r = await runCli(['run', 'create_policy_with_targets', '--dry-run', '--input', JSON.stringify(example)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(r.json.data.requests).toEqual([
      expect.objectContaining({ method: 'POST', url: `${cli.sim.url}${CREATE}`, body: { data: [{ ...example, policies: [example.policies] }] } }),
    ]);
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('runs the create, get, update and delete examples against the simulator: each succeeds (exit 0)', async () => {
    const env = simEnv(cli.sim);
    for (const id of ['create_policy_with_targets', 'get_policy_with_targets', 'update_policy_with_targets', 'delete_policy_with_targets']) {
      const r = await runCli(['run', id, '--input', JSON.stringify(actionExample(id))], { env });
      expect([id, r.code, r.json[0].status]).toEqual([id, 0, 'success']);
    }
    const gone = await runCli(['run', 'get_policy_with_targets', '--input', JSON.stringify({ id: SEEDED_WEB_POLICY_ID })], { env });
    expect(gone.code).toBe(1);
    expect(gone.json.error).toMatchObject({ type: 'not_found', code: 'err_policy_not_found' });
  });

  it('--dry-run of a delete of 11 IDs shows two calls (10 + 1); the real run with one unknown ID exits 3 (partial)', async () => {
    const ids = [SEEDED_WEB_POLICY_ID, ...Array.from({ length: 10 }, (_, i) => `eNo1jk0LunknownPolicy${i}`)];
    const dry = await runCli(['run', 'delete_policy_with_targets', '--dry-run', '--input', JSON.stringify({ id: ids })], { env: simEnv(cli.sim) });
    expect(dry.code).toBe(0);
    expect(dry.json.data.requests.map((q: { body: { data: unknown[] } }) => q.body.data.length)).toEqual([10, 1]);

    const r = await runCli(['run', 'delete_policy_with_targets', '--input', JSON.stringify({ id: [ids[0], ids[1]] })], { env: simEnv(cli.sim) });
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('partial');
    expect(r.json.failures).toEqual([expect.objectContaining({ code: 'err_policy_not_found', key: { id: ids[1] } })]);
    expect(requestsTo(cli.sim, DELETE)).toHaveLength(1);
  });

  it('the demo blocks the phishing domain for web browsing and removes the block again, both OK, and leaves no file behind', async () => {
    const cacheHome = tmpDir('mc-demo-cache-');
    const tmp = tmpDir('mc-demo-tmp-');
    const r = await runCli(['demo'], { timeoutMs: 60_000, cacheHome, env: { TMPDIR: tmp } });
    // No token cache, quota file or journal, and no downloaded file or temporary directory.
    expect({ cache: readdirSync(cacheHome), tmp: readdirSync(tmp) }).toEqual({ cache: [], tmp: [] });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Block malicious-login-3\.example\.net for web browsing too \(Web Security policy\)\n.*run create_policy_with_targets .*\n {3}→ OK: Created Web Security policy "IR-1042: block phishing domain malicious-login-3\.example\.net" \(1 scope; 1 URL entry: 1 blocked, 0 allowed\)/,
    );
    expect(r.stdout).toMatch(
      /remove the web block again \(the undo of the create\)\n.*run delete_policy_with_targets .*\n {3}→ OK: Deleted 1 Web Security policy\./,
    );
    expect(r.stdout).toMatch(/Every step ended as expected\./);
    // The steps share one token, as consecutive playbook steps share the cached one.
    expect(r.stdout).toMatch(/\nDone: \d+ steps, 1 token request\(s\), /);
  });
});
