/**
 * The console contract: dist/manifest.json, the file a SOAR platform imports, carries what a
 * console renders and relies on: every action's type and undo, every parameter's form field type
 * and examples (valid against the parameter's schema), dates typed as dates, described output with
 * pivot paths (`contains`) that exist, the configuration schema embedded, and the logo beside it.
 * npm test builds dist/ before jest runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ActionManifest, JsonSchema, Manifest } from '../../src/base/manifest-types.js';
import generated from '../../src/generated/manifest.js';

const ROOT = process.cwd();
const DIST = join(ROOT, 'dist/manifest.json');
if (!existsSync(DIST)) throw new Error(`${DIST} does not exist: build it first with \`node build.mjs\` (npm test builds before running jest).`);
const manifest = JSON.parse(readFileSync(DIST, 'utf8')) as Manifest;
const ids = Object.keys(manifest.actions).sort();
const actions = Object.values(manifest.actions);
const params = (a: ActionManifest): [string, JsonSchema][] => Object.entries(a.input.properties ?? {});

/** The schema nodes a dotted `contains` path names, stepping into list items and anyOf/oneOf branches. */
function nodesAt(schema: JsonSchema, path: string): JsonSchema[] {
  const expand = (s: JsonSchema | undefined): JsonSchema[] =>
    s ? [s, ...expand(s.items), ...[...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((b) => expand(b))] : [];
  let nodes = [schema];
  for (const key of path.split('.')) nodes = nodes.flatMap(expand).flatMap((s) => (s.properties?.[key] ? [s.properties[key]] : []));
  return nodes;
}

it('dist/manifest.json is the generated manifest (the runtime and the console read the same contract)', () => {
  expect(manifest).toEqual(JSON.parse(JSON.stringify(generated)));
  // Every manifest/actions/<id>.json is an action: counted from the directory, so a new action changes no test.
  const files = readdirSync(join(ROOT, 'manifest/actions')).filter((f) => f.endsWith('.json'));
  expect(ids).toEqual(files.map((f) => f.slice(0, -'.json'.length)).sort());
});

describe('action types', () => {
  it('every action has a type; reads are investigate, test_connectivity is test, generic_action is generic', () => {
    expect(actions.filter((a) => !['investigate', 'contain', 'correct', 'generic', 'test'].includes(a.type)).map((a) => a.id)).toEqual([]);
    expect(actions.filter((a) => a.read_only && a.type !== 'investigate').map((a) => [a.id, a.type])).toEqual([['test_connectivity', 'test']]);
    expect(actions.filter((a) => a.type === 'generic').map((a) => a.id)).toEqual(['generic_action']);
  });

  it('blocking and removing mail are contain; release, undo-style corrections, group and policy maintenance are correct', () => {
    const of = (type: string) => ids.filter((id) => manifest.actions[id].type === type);
    expect(of('contain')).toEqual([
      'create_blocked_sender_policy',
      'create_managed_url',
      'create_policy_with_targets',
      'create_remediation_incident',
      'permit_or_block_sender',
      'reject_held_message',
    ]);
    expect(of('correct')).toEqual(
      expect.arrayContaining([
        'release_held_message',
        'nullify_blocked_sender_policy',
        'delete_managed_url',
        'delete_policy_with_targets',
        'add_group_member',
        'remove_group_member',
        'create_group',
        'update_group',
        'create_anti_spoofing_policy',
        'update_address_alteration_policy',
      ]),
    );
    expect(of('correct').every((id) => !manifest.actions[id].read_only)).toBe(true);
  });
});

describe('undo', () => {
  it('add_group_member and remove_group_member name each other', () => {
    expect(manifest.actions.add_group_member.undo).toBe('remove_group_member');
    expect(manifest.actions.remove_group_member.undo).toBe('add_group_member');
  });

  it('every write declares an undo (an existing write) or an undo note; no read declares either', () => {
    for (const a of actions) {
      if (a.read_only) expect([a.id, a.undo, a.undo_note]).toEqual([a.id, undefined, undefined]);
      else {
        expect({ id: a.id, declared: a.undo !== undefined || /\S/.test(a.undo_note ?? '') }).toEqual({ id: a.id, declared: true });
        if (a.undo !== undefined)
          expect({ id: a.id, undo: a.undo, undoIsWrite: manifest.actions[a.undo]?.read_only === false }).toMatchObject({ undoIsWrite: true });
      }
    }
  });

  it('the creates and deletes with an inverse name it', () => {
    expect(
      Object.fromEntries(
        ['create_managed_url', 'delete_managed_url', 'create_policy_with_targets', 'create_anti_spoofing_policy', 'create_address_alteration_policy'].map(
          (id) => [id, manifest.actions[id].undo],
        ),
      ),
    ).toEqual({
      create_managed_url: 'delete_managed_url',
      delete_managed_url: 'create_managed_url',
      create_policy_with_targets: 'delete_policy_with_targets',
      create_anti_spoofing_policy: 'delete_anti_spoofing_policy',
      create_address_alteration_policy: 'delete_address_alteration_policy',
    });
  });
});

describe('parameters', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const all = actions.flatMap((a) => params(a).map(([key, p]) => [`${a.id}.${key}`, p] as const));

  it('there are parameters to check (the manifest is not empty)', () => {
    expect(all.length).toBeGreaterThan(140);
  });

  it.each(ids)('%s: every parameter has examples, each valid against the parameter schema', (id) => {
    for (const [key, p] of params(manifest.actions[id])) {
      expect({ key, examples: Array.isArray(p.examples) && p.examples.length > 0 }).toEqual({ key, examples: true });
      const validate = ajv.compile(p);
      for (const ex of p.examples as unknown[]) {
        expect({ key, example: ex, valid: validate(ex), errors: validate.errors ?? null }).toEqual({ key, example: ex, valid: true, errors: null });
      }
    }
  });

  it('date inputs are typed as dates (DateTime), and every DateTime is a date', () => {
    const dates = all.filter(([, p]) => p['x-format'] === 'mimecast-date');
    expect(dates.map(([k]) => k)).toEqual(
      expect.arrayContaining(['search.start', 'search.end', 'get_ttp_url_logs.start', 'get_audit_events.end', 'get_email_queues.start']),
    );
    expect(dates.filter(([, p]) => p['x-field-type'] !== 'DateTime').map(([k]) => k)).toEqual([]);
    expect(all.filter(([, p]) => p['x-field-type'] === 'DateTime' && p['x-format'] !== 'mimecast-date').map(([k]) => k)).toEqual([]);
    // The example of a date parses as a date (ISO 8601).
    for (const [, p] of dates)
      for (const ex of p.examples as string[]) expect(Number.isNaN(Date.parse(ex.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')))).toBe(false);
  });

  it('one allowed value is a Dropdown, several a Multi-select, objects Key Value or JSON, lists List; nothing is left as plain Text that is not text', () => {
    const wrong = all.filter(([, p]) => {
      const t = p['x-field-type'];
      if (p.type === 'string' && p.enum) return t !== 'Dropdown';
      if (p.type === 'array' && p.items?.enum) return t !== 'Multi-select';
      if (p.type === 'array') return t !== 'List' && t !== 'JSON';
      if (p.type === 'object') return t !== 'Key Value' && t !== 'JSON';
      if (p.type === 'integer') return t !== 'Integer';
      if (p.type === 'boolean') return t !== 'Boolean';
      if (p.type === 'string') return t !== 'Text' && t !== 'DateTime';
      return t !== 'JSON';
    });
    expect(wrong.map(([k, p]) => `${k}: ${p['x-field-type']}`)).toEqual([]);
    expect(manifest.actions.get_ttp_url_logs.input.properties!.route['x-field-type']).toBe('Dropdown');
    expect(manifest.actions.search.input.properties!.status['x-field-type']).toBe('Multi-select');
    expect(manifest.actions.release_held_message.input.properties!.id['x-field-type']).toBe('List');
    expect(manifest.actions.generic_action.input.properties!.payload['x-field-type']).toBe('JSON');
  });
});

describe('output', () => {
  it('every output schema has a description', () => {
    expect(actions.filter((a) => !a.output.description).map((a) => a.id)).toEqual([]);
  });

  it('every contains path exists in the output schema, is described with examples, and uses a type from contains_types', () => {
    const types = new Set(Object.keys(manifest.contains_types));
    expect([...types]).toEqual(
      expect.arrayContaining(['email', 'domain', 'url', 'ip', 'sha256', 'md5', 'mimecast message id', 'mimecast policy id', 'mimecast group id']),
    );
    for (const meaning of Object.values(manifest.contains_types)) expect(meaning).toMatch(/^[A-Z].*\.$/);
    let paths = 0;
    for (const a of actions) {
      for (const [path, kinds] of Object.entries(a.contains ?? {})) {
        paths++;
        const nodes = nodesAt(a.output, path);
        expect({ action: a.id, path, exists: nodes.length > 0 }).toEqual({ action: a.id, path, exists: true });
        expect({ action: a.id, path, described: nodes.some((n) => n.description && Array.isArray(n.examples)) }).toEqual({
          action: a.id,
          path,
          described: true,
        });
        expect({ action: a.id, path, unknown: kinds.filter((k) => !types.has(k)) }).toEqual({ action: a.id, path, unknown: [] });
      }
    }
    expect(paths).toBeGreaterThan(90);
  });

  it('the pivots a playbook needs are declared: the group of a member, a message ID, a policy ID, a hash', () => {
    expect(manifest.actions.add_group_member.contains).toMatchObject({ folderId: ['mimecast group id'], emailAddress: ['email'] });
    expect(manifest.actions.get_hold_message_list.contains).toMatchObject({ id: ['mimecast message id'] });
    expect(manifest.actions.create_blocked_sender_policy.contains).toMatchObject({ id: ['mimecast policy id'] });
    expect(manifest.actions.search_file_hash.contains!.hash).toEqual(expect.arrayContaining(['sha256', 'md5']));
    expect(manifest.actions.get_message_info.contains).toMatchObject({ 'recipientInfo.messageInfo.fromEnvelope': ['email'] });
  });
});

describe('app', () => {
  it('embeds the configuration schema (no pointer to a file the package does not ship) with its form order', () => {
    const { schema, order } = manifest.app.configuration;
    expect(typeof schema).toBe('object');
    expect(schema.required).toEqual(['base_url', 'client_id', 'client_secret']);
    expect(schema.properties!.client_secret).toMatchObject({ type: 'string', 'x-field-type': 'Password', 'x-secret': true });
    expect(schema.properties!.timeout).toMatchObject({ 'x-field-type': 'Integer', default: 15 });
    expect(order.filter((k) => !schema.properties![k])).toEqual([]);
    const text = JSON.stringify(manifest);
    expect(text).not.toContain('schemas/');
    expect(text).not.toContain('"$ref"');
  });

  it('ships the logo beside dist/manifest.json: a plain SVG, the one in manifest/', () => {
    expect(manifest.app.logo).toBe('logo.svg');
    const svg = readFileSync(join(ROOT, 'dist', manifest.app.logo), 'utf8');
    expect(svg).toBe(readFileSync(join(ROOT, 'manifest/logo.svg'), 'utf8'));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64"/);
    expect(svg).not.toMatch(/<script|\son\w+\s*=|<image|href=/i);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('dist');
  });
});
