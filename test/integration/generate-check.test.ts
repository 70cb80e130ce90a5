/**
 * `npm run check` fails when a schema changed and `npm run generate` was not run: on a copy of
 * the project, `node scripts/generate.mjs --check` passes, then fails naming the stale generated
 * files after a schema description is edited, and fails on a manifest entry without a handler.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTmpDirs, NODE, ROOT, tmpDir } from '../helpers/cli.js';

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(args: string[], cwd: string): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const SCHEMA = 'schemas/actions/add_group_member.input.json';

it('generate --check passes on a copy of the project, then fails naming the stale files after a schema edit, and on a missing handler', async () => {
  const copy = tmpDir('mc-project-');
  for (const p of ['manifest', 'schemas', 'actions', 'scripts', 'src', 'README.md', 'package.json', 'tsconfig.json']) {
    cpSync(join(ROOT, p), join(copy, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');

  // The project as it is (npm test runs the build, and so generate, before jest).
  const fresh = await node(['scripts/generate.mjs', '--check'], copy);
  expect({ code: fresh.code, stderr: fresh.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/generated files up to date/) });

  // A schema edited without `npm run generate`.
  const path = join(copy, SCHEMA);
  const original = readFileSync(path, 'utf8');
  const schema = JSON.parse(original);
  schema.properties.member_information.description += ' (edited without running generate)';
  writeFileSync(path, JSON.stringify(schema, null, 2) + '\n');
  const stale = await node(['scripts/generate.mjs', '--check'], copy);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toMatch(/stale generated files/);
  expect(stale.stderr).toContain('src/generated/manifest.js');
  // --check writes nothing: the generated manifest still has the old text.
  expect(readFileSync(join(copy, 'src/generated/manifest.js'), 'utf8')).not.toContain('(edited without running generate)');

  // A manifest entry without a handler or schemas.
  writeFileSync(path, original);
  const entry = JSON.parse(readFileSync(join(copy, 'manifest/actions/search_groups.json'), 'utf8'));
  writeFileSync(join(copy, 'manifest/actions/orphan_action.json'), JSON.stringify({ ...entry, id: 'orphan_action', name: 'Orphan Action' }, null, 2));
  const orphan = await node(['scripts/generate.mjs', '--check'], copy);
  expect(orphan.code).toBe(1);
  expect(orphan.stderr).toContain('no handler actions/orphan_action.ts');
  expect(orphan.stderr).toContain('schemas/actions/orphan_action.input.json is missing');
});

afterAll(() => cleanupTmpDirs());
