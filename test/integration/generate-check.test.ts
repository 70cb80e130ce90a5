/**
 * `npm run check` fails when a schema changed and `npm run generate` was not run: on a copy of
 * the project, `node scripts/generate.mjs --check` passes, then fails naming the stale generated
 * files after a schema description is edited, and fails on a manifest entry without a handler.
 * The generated documentation blocks (the permissions table in README.md, the action table in
 * docs/actions.md) are checked the same way, each in its own file.
 * Shared records (titled $defs of any schemas/common/*.json) are declared once in types.ts and
 * referred to by name, while the manifest keeps them inlined.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

function copyProject(): string {
  const copy = tmpDir('mc-project-');
  for (const p of ['manifest', 'schemas', 'actions', 'scripts', 'src', 'README.md', 'CONTRIBUTING.md', 'docs', 'package.json', 'tsconfig.json']) {
    cpSync(join(ROOT, p), join(copy, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** src/generated/manifest.js is `const manifest = JSON.parse("<json>")`. */
function generatedManifest(dir: string): any {
  const js = readFileSync(join(dir, 'src/generated/manifest.js'), 'utf8');
  return JSON.parse(JSON.parse(/JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(js)![1]));
}

/** How many times `name` is declared in a generated types.ts. */
const declarations = (types: string, name: string) => types.match(new RegExp(`^export (interface|type) ${name}\\b`, 'gm'))?.length ?? 0;

const SCHEMA = 'schemas/actions/add_group_member.input.json';

it('generate --check passes on a copy of the project, then fails naming the stale files after a schema edit, and on a missing handler', async () => {
  const copy = copyProject();

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

it('the generated documentation blocks are checked where they live: the action table in docs/actions.md, the permissions table in README.md', async () => {
  const copy = copyProject();
  const actionsDoc = join(copy, 'docs/actions.md');
  const readme = join(copy, 'README.md');
  const docText = readFileSync(actionsDoc, 'utf8');
  const readmeText = readFileSync(readme, 'utf8');
  expect(docText).toContain('| Search Groups | `search_groups` | investigate | `POST /api/directory/find-groups` | yes | Directories \\| Groups \\| Edit |');
  expect(readmeText).toContain('| Directories \\| Groups \\| Edit | `add_group_member`, `create_group`, `search_groups` |');

  // An action renamed in the manifest without generating: the action table is stale, the README's table is not,
  // and --check writes nothing.
  const entryPath = join(copy, 'manifest/actions/search_groups.json');
  const entry = JSON.parse(readFileSync(entryPath, 'utf8'));
  writeFileSync(entryPath, JSON.stringify({ ...entry, name: 'Find Groups' }, null, 2));
  const renamed = await node(['scripts/generate.mjs', '--check'], copy);
  expect(renamed.code).toBe(1);
  expect(renamed.stderr).toContain('- docs/actions.md');
  expect(renamed.stderr).not.toContain('- README.md');
  expect(readFileSync(actionsDoc, 'utf8')).toBe(docText);
  // generate writes the new name into docs/actions.md, between its markers.
  const written = await node(['scripts/generate.mjs'], copy);
  expect(written.code).toBe(0);
  expect(readFileSync(actionsDoc, 'utf8')).toContain('| Find Groups | `search_groups` |');
  expect(readFileSync(actionsDoc, 'utf8').startsWith(docText.slice(0, docText.indexOf('<!-- actions:start')))).toBe(true);

  // A permission changed without generating: the README's table is stale.
  writeFileSync(entryPath, JSON.stringify({ ...entry, permission: 'Directories | Groups | Read' }, null, 2));
  const permission = await node(['scripts/generate.mjs', '--check'], copy);
  expect(permission.code).toBe(1);
  expect(permission.stderr).toContain('- README.md');
  expect(permission.stderr).toContain('- docs/actions.md');

  // Markers removed, or the file gone: a problem naming the file, not a silent skip.
  writeFileSync(entryPath, JSON.stringify(entry, null, 2));
  writeFileSync(actionsDoc, docText.replace('<!-- actions:end -->', ''));
  const markers = await node(['scripts/generate.mjs', '--check'], copy);
  expect(markers.code).toBe(1);
  expect(markers.stderr).toContain('docs/actions.md: the action table markers are missing');
  rmSync(actionsDoc);
  const missing = await node(['scripts/generate.mjs', '--check'], copy);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('docs/actions.md is missing (it holds generated blocks)');
}, 60_000); // five generator runs

it('types.ts declares each shared record once and the actions refer to it by name; the manifest keeps it inlined', () => {
  const types = readFileSync(join(ROOT, 'src/generated/types.ts'), 'utf8');
  for (const name of ['RemediationIncident', 'ManagedURL', 'Group', 'GroupMembership', 'EmailAddress', 'FileOutput']) {
    expect({ name, declarations: declarations(types, name) }).toEqual({ name, declarations: 1 });
  }
  expect(types.match(/unremediateCode\?: string/g)).toHaveLength(1); // the record's fields are written once
  expect(types).toContain('\nexport type GetRemediationIncidentOutput = RemediationIncident[]\n');
  expect(types).toContain('\nexport type FindRemediationIncidentsOutput = RemediationIncident[]\n');
  // Create's output requires the id (a `required` beside the $ref): the type says so too.
  expect(types).toContain('\nexport type CreateRemediationIncidentOutput = RemediationIncident & Required<Pick<RemediationIncident, "id">>\n');
  expect(types).toContain('\nexport type GetFileOutput = FileOutput\n');
  expect(types).toMatch(/\nexport interface GetMessageDetailsOutput \{[^}]*\ncc\?: EmailAddress\[\]\n/);

  // The console and the runtime get whole schemas: no $ref left, the record written out in each action.
  const manifest = generatedManifest(ROOT);
  expect(JSON.stringify(manifest)).not.toContain('"$ref"');
  const incident = manifest.actions.get_remediation_incident.output.items;
  expect(manifest.actions.find_remediation_incidents.output.items).toEqual(incident);
  expect(incident.properties.searchCriteria.properties.unremediateCode).toEqual({ type: 'string' });
  expect(manifest.actions.create_remediation_incident.output).toMatchObject({ type: 'object', required: ['id'], properties: incident.properties });
});

it('a titled $def in any new schemas/common file becomes one named type used by every action that refers to it', async () => {
  const copy = copyProject();
  const common = {
    $defs: {
      example_policy: {
        title: 'Example Policy',
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          from: { $ref: '#/$defs/example_target' },
          to: { $ref: '#/$defs/example_target' },
          comment: { $ref: '#/$defs/untitled_text' },
        },
      },
      example_target: { title: 'Example Target', type: 'object', properties: { emailAddress: { type: 'string' } } },
      untitled_text: { type: 'string', maxLength: 100 },
    },
  };
  writeFileSync(join(copy, 'schemas/common/example_area.json'), JSON.stringify(common, null, 2));
  for (const id of ['permit_or_block_sender', 'search_groups']) {
    const output = { type: 'array', description: `${id} output`, items: { $ref: 'common/example_area.json#/$defs/example_policy' } };
    writeFileSync(join(copy, `schemas/actions/${id}.output.json`), JSON.stringify(output, null, 2));
    // The entry's contains paths and primary fields name fields of the output replaced here: the check would refuse them.
    const entry = JSON.parse(readFileSync(join(copy, `manifest/actions/${id}.json`), 'utf8'));
    delete entry.contains;
    entry.primary = ['id'];
    writeFileSync(join(copy, `manifest/actions/${id}.json`), JSON.stringify(entry, null, 2));
  }
  // search_groups' table `columns` name keys of its old output: refused, each by name; keys and
  // dotted paths of the new record are taken.
  const columnsRefused = await node(['scripts/generate.mjs'], copy);
  expect(columnsRefused.code).toBe(1);
  expect(columnsRefused.stderr).toContain('manifest/actions/search_groups.json: columns: "source" is not a key of the output\'s items');
  const searchGroups = JSON.parse(readFileSync(join(copy, 'manifest/actions/search_groups.json'), 'utf8'));
  searchGroups.columns = ['from.emailAddress', 'comment'];
  writeFileSync(join(copy, 'manifest/actions/search_groups.json'), JSON.stringify(searchGroups, null, 2));

  const run = await node(['scripts/generate.mjs'], copy);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('wrote src/generated/types.ts') });
  const types = readFileSync(join(copy, 'src/generated/types.ts'), 'utf8');
  expect(declarations(types, 'ExamplePolicy')).toBe(1);
  expect(declarations(types, 'ExampleTarget')).toBe(1);
  expect(types).toMatch(/\nexport interface ExamplePolicy \{\nid: string\nfrom\?: ExampleTarget\nto\?: ExampleTarget\ncomment\?: string\n\}\n/);
  expect(types).toContain('\nexport type PermitOrBlockSenderOutput = ExamplePolicy[]\n');
  expect(types).toContain('\nexport type SearchGroupsOutput = ExamplePolicy[]\n');
  const target = { title: 'Example Target', type: 'object', properties: { emailAddress: { type: 'string' } } };
  expect(generatedManifest(copy).actions.search_groups.output.items).toEqual({
    title: 'Example Policy',
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, from: target, to: target, comment: { type: 'string', maxLength: 100 } },
  });

  // A title that makes a name already taken, and a keyword beside the $ref that would reshape the record, are refused.
  (common.$defs as Record<string, object>).clash = { title: 'Search Groups Output', type: 'string' };
  writeFileSync(join(copy, 'schemas/common/example_area.json'), JSON.stringify(common, null, 2));
  const reshaped = { type: 'array', items: { $ref: 'common/example_area.json#/$defs/example_policy', properties: { extra: { type: 'string' } } } };
  writeFileSync(join(copy, 'schemas/actions/search_groups.output.json'), JSON.stringify(reshaped, null, 2));
  const refused = await node(['scripts/generate.mjs'], copy);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    'schemas/common/example_area.json#/$defs/clash: its title makes the type name SearchGroupsOutput, already taken by schemas/actions/search_groups.output.json',
  );
  expect(refused.stderr).toContain('schemas/actions/search_groups.output.json: properties beside the $ref to ExamplePolicy would change that shared record');
});

it('the console rules are checked: action types, undo, field types, parameter examples, contains paths and types, primary fields, the logo', async () => {
  const copy = copyProject();
  const edit = (rel: string, change: (doc: any) => void) => {
    const doc = JSON.parse(readFileSync(join(copy, rel), 'utf8'));
    change(doc);
    writeFileSync(join(copy, rel), JSON.stringify(doc, null, 2));
  };
  edit('manifest/actions/search.json', (m) => {
    m.type = 'hunt';
    m.contains['fromEnv.address'] = ['email'];
  });
  edit('manifest/actions/get_ttp_url_logs.json', (m) => {
    m.type = 'contain';
    m.contains.url = ['uri'];
  });
  edit('manifest/actions/add_group_member.json', (m) => (m.undo = 'remove_group_members'));
  edit('manifest/actions/release_held_message.json', (m) => delete m.undo_note);
  edit('manifest/actions/get_managed_urls.json', (m) => {
    m.undo = 'delete_managed_url';
    m.primary = ['id', 'url', 'id', 'domain'];
    m.columns.push('domain');
  });
  edit('manifest/actions/search_groups.json', (m) => delete m.primary);
  edit('schemas/actions/get_ttp_url_logs.input.json', (s) => {
    s.properties.start['x-field-type'] = 'Text';
    s.properties.route.examples = ['sideways'];
  });
  edit('schemas/actions/search.input.json', (s) => delete s.properties.message_id.examples);
  writeFileSync(join(copy, 'manifest/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>\n');

  const r = await node(['scripts/generate.mjs', '--check'], copy);
  expect(r.code).toBe(1);
  for (const problem of [
    'manifest/actions/search.json: "type" must be one of investigate, contain, correct, generic, test (is "hunt")',
    'manifest/actions/get_ttp_url_logs.json: "type" contain does not fit read_only true',
    'manifest/actions/add_group_member.json: "undo" names "remove_group_members", which is not an action',
    'manifest/actions/release_held_message.json: a write declares "undo" (the action that reverses it) or "undo_note" (why none does)',
    'manifest/actions/get_managed_urls.json: a read-only action declares no undo or undo_note',
    'schemas/actions/get_ttp_url_logs.input.json: start has x-field-type "Text", which does not fit its schema (DateTime does)',
    'schemas/actions/get_ttp_url_logs.input.json: .route example 1 "sideways" is invalid',
    'schemas/actions/search.input.json: message_id has no examples',
    'manifest/actions/search.json: contains "fromEnv.address" is not a path of schemas/actions/search.output.json',
    'manifest/actions/get_ttp_url_logs.json: contains "url" has the type "uri", which manifest/contains.json does not list',
    'manifest/actions/get_managed_urls.json: primary "url" is not a path of schemas/actions/get_managed_urls.output.json',
    'manifest/actions/get_managed_urls.json: primary "id" is named twice',
    'manifest/actions/get_managed_urls.json: "domain" is in both primary and columns (a table shows primary fields first, then columns)',
    'manifest/actions/search_groups.json: "primary" must be a non-empty list of output fields (the record\'s identifier first)',
    'manifest/logo.svg: must be a plain SVG image (no script, event handler or external link)',
  ]) {
    expect(r.stderr).toContain(problem);
  }
});

afterAll(() => cleanupTmpDirs());
