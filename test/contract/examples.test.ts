/**
 * Documented examples run as tests: every action's seed example request, run against the
 * simulator over real HTTP, returns success and data valid against its output schema.
 */
import { readdirSync } from 'node:fs';
import manifest from '../../src/generated/manifest.js';
import { validateOutput } from '../helpers/contract.js';
import { tmpDir } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const ids = Object.keys(manifest.actions).sort();

/** Examples that need an earlier step, as an analyst would run them. */
const before: Record<string, [string, unknown]> = {
  // The seed removes the member its Add Group Member example adds.
  remove_group_member: ['add_group_member', manifest.actions.add_group_member.example![0]],
};

describe('seed examples against the simulator', () => {
  const h = useSimulator();
  const outputDir = tmpDir('mc-examples-');

  it('lists an example for every action', () => {
    expect(ids.filter((id) => !manifest.actions[id].example?.length)).toEqual([]);
    // Every manifest entry is in the generated manifest (the count grows as actions are added).
    expect(ids).toEqual(
      readdirSync('manifest/actions')
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort(),
    );
  });

  it.each(ids)('%s: the example succeeds and its data matches the output schema', async (id) => {
    if (before[id]) expect((await h.run(before[id][0], before[id][1])).status).toBe('success');
    for (const example of manifest.actions[id].example ?? []) {
      const r = await h.run(id, example, { outputDir });
      expect({ id, status: r.status, error: r.error, failures: r.failures }).toEqual({ id, status: 'success', error: undefined, failures: [] });
      validateOutput(id, r.data);
    }
  });
});
