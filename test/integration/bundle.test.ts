/**
 * The product bundle carries the connector only: the simulator, its fixtures and its demo
 * credentials live in dist/simulator.js, which the CLI loads for simulate, demo and --simulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PHISH_SENDER, SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../../src/simulator/index.js';
import { ROOT, requireBuiltCli, runCli } from '../helpers/cli.js';

const read = (f: string) => readFileSync(join(ROOT, 'dist', f), 'utf8');
// Things only the simulator has: its demo credentials, its control routes, its demo mailbox data.
const SIMULATOR_MARKS = [SIM_CLIENT_SECRET, SIM_CLIENT_ID, '/__sim/faults', DEMO_PHISH_SENDER];

describe('bundles', () => {
  beforeAll(() => requireBuiltCli());

  it.each(['index.js', 'cli.js'])('dist/%s contains no simulator routes, fixtures or demo credentials', (file) => {
    const text = read(file);
    for (const mark of SIMULATOR_MARKS) expect(text.includes(mark)).toBe(false);
  });

  it('dist/simulator.js holds them (so the check above can fail)', () => {
    const text = read('simulator.js');
    for (const mark of SIMULATOR_MARKS) expect(text.includes(mark)).toBe(true);
  });

  it('the CLI loads the simulator from its own file, only when asked', () => {
    expect(read('cli.js')).toContain('import("./simulator.js")');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./simulator']).toEqual({ types: './dist/simulator.d.ts', default: './dist/simulator.js' });
  });

  it('--simulator still works from the built CLI', async () => {
    const r = await runCli(['run', 'search_groups', '--simulator', '--input', '{"query":"Blocked"}']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ status: 'success', action: 'search_groups' });
  });
});
