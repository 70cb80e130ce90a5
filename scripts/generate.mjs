#!/usr/bin/env node
/**
 * Generates everything that is derived from the manifest and the schemas:
 *   src/generated/manifest.js (+ .d.ts)     the whole app, schemas inlined (runtime, describe, console)
 *   src/generated/validators.js (+ .d.ts)   ajv standalone validators of the config and the inputs: no schema
 *                                           compilation at startup
 *   src/generated/output-validators.js (+ .d.ts)   the same for the outputs: tests only, never bundled
 *   src/generated/types.ts                  TypeScript types (json-schema-to-typescript); titled common $defs once, by name;
 *                                           ActionTypes, the map id → { input, output } the typed library uses
 *                                           and StreamTypes, the map stream → its record (schemas/streams/<name>.json)
 *   src/generated/registry.ts               action id → handler + input validator
 *   src/generated/routes.ts                 each action's route paths by name (<Id>Routes), from its manifest's routes
 *   src/generated/simulator-routes.ts       the simulator's route modules
 *   src/generated/undo.ts                   action id → undo plan builder (actions/<id>.undo.ts)
 *   README.md, docs/actions.md              the permissions table (README) and the action table (docs/actions.md),
 *                                           between their markers
 * With --check it writes nothing and fails when any of them is stale or the project is inconsistent
 * (the console-facing rules, types, undo, field types, examples and contains, are in manifest-checks.mjs).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';
import { checkAction, checkExamples, checkParameters, checkStream } from './manifest-checks.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const CHECK = process.argv.includes('--check');
const problems = [];
const readJson = (p) => {
  try {
    return JSON.parse(readFileSync(join(root, p), 'utf8'));
  } catch (e) {
    problems.push(`${p}: ${e.message}`);
    return undefined;
  }
};
const listJson = (dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];

// ---------------------------------------------------------------- load
const app = readJson('manifest/app.json');
const containsTypes = readJson('manifest/contains.json') ?? {};
const configSchema = readJson('schemas/config.schema.json');
const commons = Object.fromEntries(listJson('schemas/common').map((f) => [`common/${f}`, readJson(`schemas/common/${f}`)]));
const actionFiles = listJson('manifest/actions');
// actions/<id>.ts is a handler; actions/<id>.<part>.ts (an undo, say) is a file of that action's own.
const handlers = new Set(
  readdirSync(join(root, 'actions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((name) => !name.includes('.')),
);
const REQUIRED_KEYS = ['id', 'name', 'type', 'description', 'read_only', 'beta', 'routes'];
const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) \/[A-Za-z0-9/_{}.-]*$|^\* \{base_url\}\/\*$/;

// ---------------------------------------------------------------- $ref inlining
const ownDocs = {}; // path → the raw schema, for same-file "#/$defs/..." references
function resolvePointer(doc, pointer, where) {
  let node = doc;
  for (const seg of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = node?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined) problems.push(`${where}: unresolved $ref ${pointer}`);
  return node ?? {};
}

// Keywords that may stand beside a $ref to a named type (see types.ts below): annotations, and
// `required`, which the type expresses; any other keyword would change the record the name stands for.
const NAMED_REF_SIBLINGS = new Set(['$schema', '$comment', 'title', 'description', 'default', 'examples', 'required']);

/**
 * Replaces every $ref with the schema it points to. Keywords beside a $ref override the target's,
 * except `required`, which adds to the target's. With `named` (ref → type name, for types.ts), a $ref
 * to a named type becomes `{ tsType: name }` (json-schema-to-typescript's verbatim type) instead.
 */
function inline(schema, docName, where, named = undefined, depth = 0) {
  if (depth > 40) {
    problems.push(`${where}: $ref nesting too deep`);
    return {};
  }
  if (Array.isArray(schema)) return schema.map((s) => inline(s, docName, where, named, depth + 1));
  if (!schema || typeof schema !== 'object') return schema;
  let out = {};
  if (typeof schema.$ref === 'string') {
    const [file, pointer = ''] = schema.$ref.split('#');
    const targetDoc = file ? file : docName;
    const name = named?.get(`${targetDoc}#${pointer}`);
    if (name) return namedRef(schema, name, where);
    // "#/$defs/x" inside an action's own schema refers to that schema (registered under `where`).
    const doc = commons[targetDoc] ?? (targetDoc === undefined ? ownDocs[where] : undefined);
    if (!doc) {
      problems.push(`${where}: $ref to unknown document ${schema.$ref}`);
    } else {
      out = inline(resolvePointer(doc, `#${pointer}`, where), targetDoc, where, named, depth + 1);
    }
  }
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref') continue;
    if (k === 'required' && Array.isArray(out.required) && Array.isArray(v)) {
      out.required = [...new Set([...out.required, ...v])];
      continue;
    }
    out[k] =
      k === 'properties' || k === '$defs' || k === 'definitions'
        ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, inline(pv, docName, where, named, depth + 1)]))
        : inline(v, docName, where, named, depth + 1);
  }
  return out;
}

/** A $ref to a named type, for types.ts: the name (made stricter by a `required` beside it) and its annotations. */
function namedRef(schema, name, where) {
  const other = Object.keys(schema).filter((k) => k !== '$ref' && !k.startsWith('x-') && !NAMED_REF_SIBLINGS.has(k));
  if (other.length)
    problems.push(`${where}: ${other.join(', ')} beside the $ref to ${name} would change that shared record; give the record a $def of its own`);
  const required = Array.isArray(schema.required) ? schema.required : [];
  const out = { tsType: required.length ? `${name} & Required<Pick<${name}, ${required.map((r) => JSON.stringify(r)).join(' | ')}>>` : name };
  for (const k of ['description', 'default']) if (schema[k] !== undefined) out[k] = schema[k];
  return out;
}

// ---------------------------------------------------------------- actions
const actions = {};
for (const f of actionFiles) {
  const id = f.slice(0, -5);
  const m = readJson(`manifest/actions/${f}`);
  if (!m) continue;
  if (m.id !== id) problems.push(`manifest/actions/${f}: id "${m.id}" does not match the file name`);
  for (const k of REQUIRED_KEYS) if (m[k] === undefined) problems.push(`manifest/actions/${f}: "${k}" is missing`);
  for (const r of m.routes ?? []) if (!ROUTE.test(r)) problems.push(`manifest/actions/${f}: route "${r}" is not "METHOD /path"`);
  if (!/^[a-z][a-z0-9_]*$/.test(id)) problems.push(`manifest/actions/${f}: the id must be snake_case`);
  if (!handlers.has(id)) problems.push(`manifest/actions/${f}: no handler actions/${id}.ts`);
  const inPath = `schemas/actions/${id}.input.json`;
  const outPath = `schemas/actions/${id}.output.json`;
  for (const p of [inPath, outPath]) if (!existsSync(join(root, p))) problems.push(`${f}: ${p} is missing`);
  const load = (p) => {
    if (!existsSync(join(root, p))) return {};
    ownDocs[p] = readJson(p);
    const s = inline(ownDocs[p], undefined, p);
    delete s.$schema;
    delete s.$defs; // inlined where used
    return s;
  };
  const input = load(inPath);
  const output = load(outPath);
  actions[id] = { ...m, input, output };
}
// `columns` (the main columns of `run --format table`): keys, or dotted paths, of the output's list items.
for (const [id, a] of Object.entries(actions)) {
  if (a.columns === undefined) continue;
  const where = `manifest/actions/${id}.json: columns`;
  if (!Array.isArray(a.columns) || !a.columns.length || !a.columns.every((c) => typeof c === 'string' && c)) {
    problems.push(`${where} must be a non-empty list of output keys`);
    continue;
  }
  if (a.output.type !== 'array' || !a.output.items?.properties) {
    problems.push(`${where}: the output is not a list of records`);
    continue;
  }
  for (const c of a.columns) {
    let schema = a.output.items;
    for (const key of c.split('.')) schema = schema?.properties?.[key];
    if (!schema) problems.push(`${where}: "${c}" is not a key of the output's items`);
  }
}
for (const h of handlers) if (!actions[h]) problems.push(`actions/${h}.ts has no manifest/actions/${h}.json`);
for (const f of listJson('schemas/actions')) {
  const id = f.replace(/\.(input|output)\.json$/, '');
  if (!actions[id]) problems.push(`schemas/actions/${f} has no manifest entry`);
}
// The event streams poll reads: data like an action (manifest/streams/<name>.json), checked here.
const STREAM_NAMES = ['ttp_url', 'ttp_attachment', 'ttp_impersonation', 'held_messages', 'audit', 'siem'];
const streams = {};
for (const f of listJson('manifest/streams')) {
  const s = readJson(`manifest/streams/${f}`);
  if (!s) continue;
  problems.push(...checkStream(f, s));
  streams[f.slice(0, -5)] = s;
}
for (const n of STREAM_NAMES) if (!streams[n]) problems.push(`manifest/streams/${n}.json is missing (the streams are fixed: ${STREAM_NAMES.join(', ')})`);
for (const n of Object.keys(streams))
  if (!STREAM_NAMES.includes(n)) problems.push(`manifest/streams/${n}.json: not one of the streams (${STREAM_NAMES.join(', ')})`);
// Each stream's record, like an action's output: schemas/streams/<name>.json, carried in the
// manifest as `record`. It must declare and require the fields poll reads (time, and id unless hashed).
for (const [n, s] of Object.entries(streams)) {
  const path = `schemas/streams/${n}.json`;
  if (!existsSync(join(root, path))) {
    problems.push(`manifest/streams/${n}.json: ${path} is missing`);
    continue;
  }
  ownDocs[path] = readJson(path);
  const record = inline(ownDocs[path], undefined, path);
  delete record.$schema;
  delete record.$defs;
  for (const [role, key] of [['time_field', s.time_field], ...(s.id_field === 'hash' ? [] : [['id_field', s.id_field]])]) {
    if (!record.properties?.[key]) problems.push(`${path}: no property "${key}" (the stream's ${role})`);
    if (!record.required?.includes(key)) problems.push(`${path}: "${key}" (the stream's ${role}) must be required`);
  }
  streams[n] = { ...s, record };
}
for (const f of listJson('schemas/streams')) if (!streams[f.slice(0, -5)]) problems.push(`schemas/streams/${f} has no manifest/streams entry`);
const config = inline(configSchema ?? {}, undefined, 'schemas/config.schema.json');
delete config.$schema;
const ids = Object.keys(actions).sort();

// ---------------------------------------------------------------- console rules (manifest-checks.mjs)
for (const id of ids) {
  problems.push(...checkAction(id, actions[id], actions, containsTypes));
  problems.push(...checkParameters(actions[id].input, `schemas/actions/${id}.input.json`));
  problems.push(...checkExamples(actions[id].input, `schemas/actions/${id}.input.json`));
  problems.push(...checkExamples(actions[id].output, `schemas/actions/${id}.output.json`));
}
problems.push(...checkParameters(config, 'schemas/config.schema.json', { examples: false }));
problems.push(...checkExamples(config, 'schemas/config.schema.json'));
if (app?.configuration?.schema !== 'schemas/config.schema.json')
  problems.push('manifest/app.json: configuration.schema must be "schemas/config.schema.json" (embedded in the manifest)');
for (const k of app?.configuration?.order ?? [])
  if (!config.properties?.[k]) problems.push(`manifest/app.json: configuration.order names "${k}", which the configuration schema lacks`);
const logoName = /^[A-Za-z0-9_-]+\.svg$/.test(app?.logo ?? '') ? app.logo : undefined; // a file name in manifest/, shipped beside dist/manifest.json
const logo = logoName && existsSync(join(root, 'manifest', logoName)) ? readFileSync(join(root, 'manifest', logoName), 'utf8') : undefined;
if (!logo) problems.push(`manifest/app.json: "logo" must name an .svg file in manifest/ (is ${JSON.stringify(app?.logo)})`);
else if (!/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(logo) || /<script|\son\w+\s*=|href\s*=\s*"(?!#)/i.test(logo))
  problems.push(`manifest/${app.logo}: must be a plain SVG image (no script, event handler or external link)`);

const outputs = new Map(); // relative path → content

// ---------------------------------------------------------------- manifest.js
// The configuration schema is embedded (a console renders the instance form from it); contains_types
// lists the pivot types the actions' `contains` use.
const manifest = {
  app: { ...app, configuration: { ...app?.configuration, schema: config } },
  contains_types: containsTypes,
  actions: Object.fromEntries(ids.map((id) => [id, actions[id]])),
  streams: Object.fromEntries(STREAM_NAMES.filter((n) => streams[n]).map((n) => [n, streams[n]])),
};
const HEADER = '// Generated by scripts/generate.mjs from manifest/ and schemas/. Do not edit: run `npm run generate`.\n';
outputs.set('src/generated/manifest.js', `${HEADER}const manifest = JSON.parse(${JSON.stringify(JSON.stringify(manifest))});\nexport default manifest;\n`);
outputs.set(
  'src/generated/manifest.d.ts',
  `${HEADER}import type { Manifest } from '../base/manifest-types.js';\ndeclare const manifest: Manifest;\nexport default manifest;\n`,
);

// ---------------------------------------------------------------- validators.js
const ANNOTATIONS = ['x-field-type', 'x-aliases', 'x-format', 'x-secret', 'x-error', 'x-allowed-keys'];
const ajv = new Ajv({
  code: { source: true, esm: true, lines: false },
  allErrors: true,
  verbose: true,
  useDefaults: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
});
for (const k of ANNOTATIONS) ajv.addKeyword({ keyword: k, schemaType: ['string', 'array', 'boolean', 'object'] });
// Two modules: the config and input validators run in every process and are bundled; the output
// validators check the handlers' data in tests only and stay out of the bundles (docs/design.md).
const inputExports = { config: 'config' };
const outputExports = {};
// ajv's standalone output still require()s its runtime helpers; these modules are ESM, so the one
// helper our schemas need (string length in code points, for minLength/maxLength) is inlined.
const UCS2 =
  'function ucs2length(str) { let length = 0; let pos = 0; let value; while (pos < str.length) { length++; value = str.charCodeAt(pos++); if (value >= 0xd800 && value <= 0xdbff && pos < str.length) { value = str.charCodeAt(pos); if ((value & 0xfc00) === 0xdc00) pos++; } } return length; }';
function standaloneModule(file, exportsMap) {
  let code = standaloneCode(ajv, exportsMap).replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'ucs2length');
  const leftover = /require\("([^"]+)"\)/.exec(code);
  if (leftover) problems.push(`validators: unsupported ajv runtime dependency ${leftover[1]} (avoid the schema keyword that needs it)`);
  code = code.replace('"use strict";', `"use strict";${UCS2}`);
  outputs.set(file, `${HEADER}${code}\n`);
  outputs.set(
    file.replace(/\.js$/, '.d.ts'),
    `${HEADER}import type { ValidateFn } from '../runtime/action.js';\n${Object.keys(exportsMap)
      .map((n) => `export declare const ${n}: ValidateFn;`)
      .join('\n')}\n`,
  );
}
try {
  ajv.addSchema(config, 'config');
  for (const id of ids) {
    ajv.addSchema(actions[id].input, `in:${id}`);
    ajv.addSchema(actions[id].output, `out:${id}`);
    inputExports[`in_${id}`] = `in:${id}`;
    outputExports[`out_${id}`] = `out:${id}`;
  }
  standaloneModule('src/generated/validators.js', inputExports);
  standaloneModule('src/generated/output-validators.js', outputExports);
} catch (e) {
  problems.push(`schema compilation failed: ${e.message}`);
}

// ---------------------------------------------------------------- types.ts
const pascal = (id) =>
  id
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
function forTypes(schema, top = true) {
  if (Array.isArray(schema)) return schema.map((s) => forTypes(s, false));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!top && k === 'title') continue; // a nested title would declare a type of its own: shared records are named below
    if (k.startsWith('x-') || k === '$comment' || k === 'examples' || k === '$schema' || k === '$defs') continue;
    // anyOf/oneOf branches that only require keys say "one of these is needed": no type of their own.
    if ((k === 'anyOf' || k === 'oneOf') && Array.isArray(v) && v.every((b) => b && Object.keys(b).length === 1 && Array.isArray(b.required))) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, forTypes(pv, false)])) : forTypes(v, false);
  }
  return out;
}

// Every $def of schemas/common/*.json with a title is one named type ("Remediation Incident" →
// RemediationIncident), declared once; the schemas that $ref it use the name. Other $refs are inlined.
const typeName = (title) =>
  title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const declared = new Map([['InstanceConfigInput', 'schemas/config.schema.json']]); // type name → where it comes from
for (const id of ids) for (const io of ['Input', 'Output']) declared.set(`${pascal(id)}${io}`, `schemas/actions/${id}.${io.toLowerCase()}.json`);
const streamNames = STREAM_NAMES.filter((n) => ownDocs[`schemas/streams/${n}.json`]);
for (const n of streamNames) declared.set(`${pascal(n)}Record`, `schemas/streams/${n}.json`);
const namedTypes = new Map(); // "common/<file>.json#/$defs/<name>" → type name
for (const [doc, schema] of Object.entries(commons)) {
  for (const [key, def] of Object.entries(schema?.$defs ?? {})) {
    if (typeof def?.title !== 'string') continue;
    const name = typeName(def.title);
    const where = `schemas/${doc}#/$defs/${key}`;
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) problems.push(`${where}: the title "${def.title}" does not make a type name`);
    else if (declared.has(name)) problems.push(`${where}: its title makes the type name ${name}, already taken by ${declared.get(name)}`);
    else namedTypes.set(`${doc}#/$defs/${key}`, name);
    declared.set(name, where);
  }
}
const typeSchema = (schema, docName, where, title) => ({ ...forTypes(inline(schema ?? {}, docName, where, namedTypes)), title });

const typeOpts = {
  ignoreMinAndMaxItems: true,
  bannerComment: '',
  format: false,
  additionalProperties: false,
  declareExternallyReferenced: true,
  strictIndexSignatures: false,
  unknownAny: true,
};
let types = HEADER;
for (const [ref, name] of namedTypes) {
  const [doc, pointer] = ref.split('#');
  types += await compile(typeSchema(resolvePointer(commons[doc], `#${pointer}`, ref), doc, `schemas/${doc}`, name), name, typeOpts);
}
types += await compile(typeSchema(configSchema, undefined, 'schemas/config.schema.json', 'InstanceConfigInput'), 'InstanceConfigInput', typeOpts);
for (const id of ids) {
  for (const io of ['input', 'output']) {
    const path = `schemas/actions/${id}.${io}.json`;
    const name = `${pascal(id)}${io === 'input' ? 'Input' : 'Output'}`;
    types += await compile(typeSchema(ownDocs[path], undefined, path, name), name, typeOpts);
  }
}
// The library's runAction and Connector.run narrow a known action id to these types.
types += "/**\n * Every action by id: its input (the parameters runAction takes) and its output (the result's data).\n */\n";
types += `export interface ActionTypes {\n${ids.map((id) => `${id}: { input: ${pascal(id)}Input; output: ${pascal(id)}Output }\n`).join('')}}\n`;
types += '/**\n * The id of an action of this connector.\n */\nexport type ActionId = keyof ActionTypes\n';
for (const n of streamNames) {
  const path = `schemas/streams/${n}.json`;
  types += await compile(typeSchema(ownDocs[path], undefined, path, `${pascal(n)}Record`), `${pascal(n)}Record`, typeOpts);
}
// poll() narrows its events to these records by stream name.
types += "/**\n * Every event stream by name: the record a poll line's `event` holds.\n */\n";
types += `export interface StreamTypes {\n${streamNames.map((n) => `${n}: ${pascal(n)}Record\n`).join('')}}\n`;
outputs.set('src/generated/types.ts', types);

// ---------------------------------------------------------------- registry.ts
// Each import is named by the action's id, so a new action adds its own two lines and changes no other.
let reg = `${HEADER}import type { RegistryEntry } from '../runtime/action.js';\nimport * as V from './validators.js';\n`;
for (const id of ids) reg += `import ${id}$ from '../../actions/${id}.js';\n`;
reg += `\nexport const registry: Record<string, RegistryEntry> = {\n`;
for (const id of ids) reg += `  ${id}: { handler: ${id}$, validateInput: V.in_${id} },\n`;
reg += '};\n';
outputs.set('src/generated/registry.ts', reg);

// ---------------------------------------------------------------- routes.ts
// The paths a handler calls, named from its manifest's `routes`: a route is written once, in the
// manifest, and a handler cannot name one its manifest lacks (the bound client refuses it at run time too).
const camel = (segment) => segment.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c) => c.toUpperCase()).replace(/^[^A-Za-z]+/, '');
let routesTs = HEADER;
for (const id of ids) {
  const named = {};
  for (const route of actions[id].routes ?? []) {
    const [, path] = route.split(' ');
    if (!path?.startsWith('/')) continue; // "* {base_url}/*": the Generic Action calls the path it is given
    const key = camel(path.split('/').pop());
    if (!key || named[key] !== undefined) problems.push(`manifest/actions/${id}.json: route "${route}" gives no route name of its own (${key || 'empty'})`);
    named[key] = path;
  }
  if (!Object.keys(named).length) continue;
  routesTs += `\n/** The routes of ${id} (manifest/actions/${id}.json), by the last segment of the path. */\n`;
  routesTs += `export const ${pascal(id)}Routes = {\n${Object.entries(named)
    .map(([k, p]) => `  ${k}: '${p}',\n`)
    .join('')}} as const;\n`;
}
outputs.set('src/generated/routes.ts', routesTs);

// ---------------------------------------------------------------- simulator-routes.ts
// Named by the module's file, like the registry: a new route module does not renumber the others.
const routeFiles = readdirSync(join(root, 'src/simulator/routes'))
  .filter((f) => f.endsWith('.ts'))
  .sort();
const moduleName = (f) => `${f.slice(0, -3).replace(/[^A-Za-z0-9]/g, '_')}$`;
let sim = `${HEADER}import type { RouteModule } from '../simulator/types.js';\n`;
for (const f of routeFiles) sim += `import ${moduleName(f)} from '../simulator/routes/${f.slice(0, -3)}.js';\n`;
sim += `\nexport const routeModules: RouteModule[] = [\n${routeFiles.map((f) => `  ${moduleName(f)},\n`).join('')}];\n`;
outputs.set('src/generated/simulator-routes.ts', sim);

// ---------------------------------------------------------------- undo.ts
generateUndoRegistry();

/**
 * src/generated/undo.ts: action id → its undo plan builder (actions/<id>.undo.ts). Adding a
 * builder touches only its own file; a builder for an action that is unknown or has no `undo`
 * in its manifest entry is a problem.
 */
function generateUndoRegistry() {
  const builders = readdirSync(join(root, 'actions'))
    .filter((f) => f.endsWith('.undo.ts'))
    .map((f) => f.slice(0, -'.undo.ts'.length))
    .sort();
  for (const id of builders) {
    if (!actions[id]) problems.push(`actions/${id}.undo.ts has no manifest/actions/${id}.json`);
    else if (!actions[id].undo) problems.push(`actions/${id}.undo.ts: manifest/actions/${id}.json names no undo action`);
  }
  let text = `${HEADER}import type { UndoBuilder } from '../journal/types.js';\n`;
  builders.forEach((id, i) => (text += `import u${i} from '../../actions/${id}.undo.js';\n`));
  text += `\nexport const undoBuilders: Record<string, UndoBuilder> = {\n`;
  builders.forEach((id, i) => (text += `  ${id}: u${i},\n`));
  text += '};\n';
  outputs.set('src/generated/undo.ts', text);
}

// ---------------------------------------------------------------- documentation blocks
// Generated blocks of the documentation, each between its markers in the file a reader looks in:
// the permissions table where Mimecast is set up (README.md), the action table in docs/actions.md.
const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
const block = (name) => [`<!-- ${name}:start (generated by npm run generate) -->`, `<!-- ${name}:end -->`];

const [START, END] = block('actions');
let table = `${START}\n${ids.length} actions.\n\n| Action | id | Type | Mimecast route | Read-only | Permission |\n|---|---|---|---|---|---|\n`;
for (const id of ids) {
  const a = actions[id];
  table += `| ${esc(a.name)}${a.beta ? ' (Beta)' : ''} | \`${id}\` | ${a.type} | ${a.routes.map((r) => `\`${esc(r)}\``).join('<br>')} | ${a.read_only ? 'yes' : 'no'} | ${esc(a.permission ?? '')} |\n`;
}
table += END;

// The role's permissions: each permission the manifest names, and the actions that need it.
const [P_START, P_END] = block('permissions');
const byPermission = new Map();
for (const id of ids) {
  const key = actions[id].permission ?? '';
  byPermission.set(key, [...(byPermission.get(key) ?? []), id]);
}
const named = [...byPermission.keys()].filter(Boolean).sort();
const idList = (list) => list.map((id) => `\`${id}\``).join(', ');
let permissions = `${P_START}\n| Permission (Application Permissions of the role) | Actions |\n|---|---|\n`;
for (const p of named) permissions += `| ${esc(p)} | ${idList(byPermission.get(p))} |\n`;
if (byPermission.has('')) permissions += `| none named (the Generic Action: the permission of the route it calls) | ${idList(byPermission.get(''))} |\n`;
permissions += P_END;

const DOC_BLOCKS = [
  { file: 'README.md', start: P_START, end: P_END, content: permissions, what: 'permissions table' },
  { file: 'docs/actions.md', start: START, end: END, content: table, what: 'action table' },
];
for (const file of new Set(DOC_BLOCKS.map((b) => b.file))) {
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push(`${file} is missing (it holds generated blocks)`);
    continue;
  }
  let text = readFileSync(path, 'utf8');
  for (const { start, end, content, what } of DOC_BLOCKS.filter((b) => b.file === file)) {
    const s = text.indexOf(start);
    const e = text.indexOf(end);
    if (s < 0 || e < 0 || e < s) problems.push(`${file}: the ${what} markers are missing`);
    else text = text.slice(0, s) + content + text.slice(e + end.length);
  }
  outputs.set(file, text);
}

// ---------------------------------------------------------------- write or check
if (problems.length) {
  const unique = [...new Set(problems)]; // types.ts inlines the schemas a second time
  console.error(`generate: ${unique.length} problem(s):\n- ${unique.join('\n- ')}`);
  process.exit(1);
}
const stale = [];
for (const [rel, content] of outputs) {
  const p = join(root, rel);
  const current = existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  if (current === content) continue;
  if (CHECK) stale.push(rel);
  else {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    console.error(`generate: wrote ${rel}`);
  }
}
if (CHECK && stale.length) {
  console.error(`generate --check: stale generated files (run \`npm run generate\` and commit):\n- ${stale.join('\n- ')}`);
  process.exit(1);
}
if (CHECK) console.error(`generate --check: ${ids.length} actions, generated files up to date`);
