/**
 * The product bundle carries the connector only: the simulator, its fixtures and its demo
 * credentials live in dist/simulator.js, which the CLI loads for simulate, demo and --simulator;
 * the output validators (tests only, docs/design.md) are in no bundle.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_PHISH_SENDER, SIM_CLIENT_ID, SIM_CLIENT_SECRET } from '../../src/simulator/index.js';
import { NODE, ROOT, requireBuiltCli, runCli } from '../helpers/cli.js';

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

  // esbuild's metafile names every module a bundle holds (run in a child: esbuild's API does not run inside jest's VM).
  it.each(['src/cli/bin.ts', 'src/index.ts'])('%s bundles the config and input validators and no output validator', async (entry) => {
    const script = `import { build } from 'esbuild';
      const r = await build({ entryPoints: [${JSON.stringify(entry)}], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outfile: 'x.js', logLevel: 'error' });
      process.stdout.write(JSON.stringify(Object.keys(r.metafile.inputs)));`;
    const { stdout } = await promisify(execFile)(NODE, ['--input-type=module', '-e', script], { cwd: ROOT });
    const generated = (JSON.parse(stdout) as string[]).filter((f) => f.startsWith('src/generated/'));
    expect(generated).toContain('src/generated/validators.js');
    const withOutputValidators = generated.filter((f) => /\bexport const out_/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(withOutputValidators).toEqual([]);
  });

  it('--simulator still works from the built CLI', async () => {
    const r = await runCli(['run', 'search_groups', '--simulator', '--input', '{"query":"Blocked"}']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ status: 'success', action: 'search_groups' });
  });
});
