/**
 * The address alteration actions from the built CLI (dist/cli.js), as a playbook step runs them:
 * every seed example against the embedded simulator, the dry run of a list above the per-call
 * cap, an address refused before anything is sent, and a partial delete's exit code.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import manifest from '../../src/generated/manifest.js';
import { EXAMPLE_POLICY_ID } from '../../src/simulator/routes/policy-address-alteration.js';
import { requestsTo, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const ACTIONS = Object.keys(manifest.actions)
  .filter((id) => id.includes('address_alteration'))
  .sort();
const DELETE_PATH = '/api/policy/address-alteration/delete-policy';

const cli = useCliSimulator();

describe('address alteration actions from the CLI', () => {
  it('has the nine actions', () => {
    expect(ACTIONS).toHaveLength(9);
  });

  it.each(ACTIONS)("%s: the seed's example runs with --simulator, exit 0, success", async (id) => {
    const r = await runCli(['run', id, '--simulator', '--input', JSON.stringify(manifest.actions[id].example)]);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.json.map((res: { status: string; action: string }) => [res.action, res.status])).toEqual([[id, 'success']]);
  });

  it('--dry-run of 501 policy IDs (--input @FILE) prints the two calls of 500 and 1 with the documented path and body, and sends nothing', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `eNo1policy-${i}`);
    const file = join(tmpDir('mc-input-'), 'ids.json');
    writeFileSync(file, JSON.stringify({ policy_id: ids }));
    const r = await runCli(['run', 'delete_address_alteration_policy', '--dry-run', '--input', `@${file}`], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    const requests = r.json.data.requests as { method: string; url: string; body: { data: { id: string }[] } }[];
    expect(requests.map((q) => `${q.method} ${q.url}`)).toEqual([`POST ${cli.sim.url}${DELETE_PATH}`, `POST ${cli.sim.url}${DELETE_PATH}`]);
    expect(requests[0].body).toEqual({ data: ids.slice(0, 500).map((id) => ({ id })) });
    expect(requests[1].body).toEqual({ data: [{ id: ids[500] }] });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('an address in none of the allowed forms is an input_error naming the field: exit 2, nothing sent', async () => {
    const input = { original_address: 'john.doe', new_address: '@example.com', address_type: 'all', routing: 'all' };
    const r = await runCli(['run', 'create_address_alteration_definition', '--input', JSON.stringify(input)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'input_error', field: 'original_address' });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('a delete where one ID is unknown is partial: exit 3, the unknown ID in failures', async () => {
    const r = await runCli(['run', 'delete_address_alteration_policy', '--input', JSON.stringify({ policy_id: [EXAMPLE_POLICY_ID, 'eNo1unknown'] })], {
      env: simEnv(cli.sim),
    });
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('partial');
    expect(r.json.failures).toEqual([expect.objectContaining({ code: 'err_address_alteration_policy_not_found', key: { id: 'eNo1unknown' } })]);
    expect(requestsTo(cli.sim, DELETE_PATH)).toHaveLength(1);
  });
});
