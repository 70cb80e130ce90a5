/**
 * The console-facing rules of the manifest, checked by scripts/generate.mjs (so `npm run check` and
 * CI fail on a break): every action's `type` and its undo declaration, every input parameter's form
 * field type and examples, every `examples` value valid against the schema it sits on, and every
 * `contains` path present in the output schema with a known type (manifest/contains.json), and the
 * `primary` fields present in the output schema.
 * Each function returns a list of problems (strings); none means the rule holds.
 */
import Ajv from 'ajv';

/** What an action does, for a console's grouping and approvals (docs/manifest.md). */
export const ACTION_TYPES = ['investigate', 'contain', 'correct', 'generic', 'test'];

/** The types a read-only action may have; a write may be contain, correct or generic. */
const READ_TYPES = new Set(['investigate', 'test']);

const typesOf = (s) => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);

/**
 * The form field types (x-field-type) that fit a parameter's schema: a date is a DateTime (every
 * Mimecast date carries a time), the secret a Password, one allowed value of a list a Dropdown,
 * several a Multi-select, an object Key Value or JSON, another list a List or JSON, a value of
 * any type JSON.
 */
export function fittingFieldTypes(s) {
  if (s['x-format'] === 'mimecast-date') return ['DateTime'];
  if (s['x-secret']) return ['Password'];
  const types = typesOf(s);
  if (types.length !== 1) return ['JSON'];
  switch (types[0]) {
    case 'string':
      return s.enum ? ['Dropdown'] : ['Text'];
    case 'integer':
      return ['Integer'];
    case 'boolean':
      return ['Boolean'];
    case 'object':
      return ['Key Value', 'JSON'];
    case 'array':
      return s.items?.enum ? ['Multi-select'] : ['List', 'JSON'];
    default:
      return ['JSON'];
  }
}

/** Every form field type a parameter may have. */
export const FIELD_TYPES = ['Text', 'Password', 'Integer', 'Boolean', 'DateTime', 'Dropdown', 'Multi-select', 'List', 'Key Value', 'JSON'];

// A validator for `examples` values: the schemas' own keywords; no defaults or coercion, so an example is never changed.
const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, strictTypes: false, useDefaults: false });
for (const k of ['x-field-type', 'x-aliases', 'x-format', 'x-secret', 'x-error', 'x-allowed-keys']) {
  ajv.addKeyword({ keyword: k, schemaType: ['string', 'array', 'boolean', 'object'] });
}

/** The sub-schemas of a schema (properties, items, branches), each with its path for messages. */
function* children(s, path) {
  for (const [k, v] of Object.entries(s.properties ?? {})) yield [v, `${path}.${k}`];
  if (s.items && typeof s.items === 'object') yield [s.items, `${path}[]`];
  if (s.additionalProperties && typeof s.additionalProperties === 'object') yield [s.additionalProperties, `${path}.*`];
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const [i, b] of (s[k] ?? []).entries()) yield [b, `${path}/${k}[${i}]`];
  for (const k of ['if', 'then', 'else', 'not']) if (s[k] && typeof s[k] === 'object') yield [s[k], `${path}/${k}`];
}

/** Every `examples` value anywhere in a schema must be valid against the schema node it sits on. */
export function checkExamples(schema, where) {
  const problems = [];
  const visit = (s, path) => {
    if (!s || typeof s !== 'object') return;
    if (s.examples !== undefined) {
      if (!Array.isArray(s.examples) || s.examples.length === 0) problems.push(`${where}: ${path} "examples" must be a non-empty list`);
      else {
        let validate;
        try {
          validate = ajv.compile(s);
        } catch (e) {
          problems.push(`${where}: ${path} does not compile: ${e.message}`);
          return;
        }
        s.examples.forEach((ex, i) => {
          if (!validate(ex)) problems.push(`${where}: ${path} example ${i + 1} ${JSON.stringify(ex)} is invalid: ${ajv.errorsText(validate.errors)}`);
        });
      }
    }
    for (const [c, p] of children(s, path)) visit(c, p);
  };
  visit(schema, '');
  return problems;
}

/** Every top-level property of an input (or the configuration) has a fitting x-field-type; with `examples`, at least one example. */
export function checkParameters(schema, where, { examples = true } = {}) {
  const problems = [];
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const fits = fittingFieldTypes(p);
    const given = p['x-field-type'];
    if (given === undefined) problems.push(`${where}: ${key} has no x-field-type (${fits.join(' or ')} fits its schema)`);
    else if (!fits.includes(given)) problems.push(`${where}: ${key} has x-field-type "${given}", which does not fit its schema (${fits.join(' or ')} does)`);
    if (examples && !(Array.isArray(p.examples) && p.examples.length)) problems.push(`${where}: ${key} has no examples`);
  }
  return problems;
}

/**
 * The schema nodes a `contains` path names in an output schema: dotted keys ("from.emailAddress"),
 * stepping into list items and anyOf/oneOf/allOf branches on the way, as a console does when it
 * collects the values of data (an item list or one object).
 */
export function nodesAtPath(schema, path) {
  const expand = (s) =>
    s && typeof s === 'object' ? [s, ...expand(s.items), ...['anyOf', 'oneOf', 'allOf'].flatMap((k) => (s[k] ?? []).flatMap(expand))] : [];
  let nodes = [schema];
  for (const key of path.split('.')) nodes = nodes.flatMap(expand).flatMap((s) => (s.properties?.[key] ? [s.properties[key]] : []));
  return nodes;
}

/**
 * An action's console keys: a known `type` that agrees with read_only; a write's `undo` (an existing
 * write) or `undo_note`; a read has neither; `contains` paths that exist in the output schema, each
 * with known types, a description and examples; `primary` fields of the output (checkRecordFields).
 */
export function checkAction(id, a, actions, containsTypes) {
  const where = `manifest/actions/${id}.json`;
  const problems = [];
  if (!ACTION_TYPES.includes(a.type)) problems.push(`${where}: "type" must be one of ${ACTION_TYPES.join(', ')} (is ${JSON.stringify(a.type)})`);
  else if (READ_TYPES.has(a.type) !== Boolean(a.read_only) && a.type !== 'generic')
    problems.push(`${where}: "type" ${a.type} does not fit read_only ${a.read_only} (${[...READ_TYPES].join(' and ')} are for reads)`);
  if (a.read_only) {
    if (a.undo !== undefined || a.undo_note !== undefined) problems.push(`${where}: a read-only action declares no undo or undo_note`);
  } else {
    if (a.undo === undefined && !a.undo_note) problems.push(`${where}: a write declares "undo" (the action that reverses it) or "undo_note" (why none does)`);
    if (a.undo !== undefined && !actions[a.undo]) problems.push(`${where}: "undo" names ${JSON.stringify(a.undo)}, which is not an action`);
    else if (a.undo !== undefined && actions[a.undo].read_only) problems.push(`${where}: "undo" names ${a.undo}, a read-only action`);
  }
  for (const [path, types] of Object.entries(a.contains ?? {})) {
    for (const t of Array.isArray(types) ? types : [types]) {
      if (!Object.prototype.hasOwnProperty.call(containsTypes, t))
        problems.push(`${where}: contains "${path}" has the type "${t}", which manifest/contains.json does not list`);
    }
    const nodes = nodesAtPath(a.output, path);
    if (!nodes.length) problems.push(`${where}: contains "${path}" is not a path of schemas/actions/${id}.output.json`);
    else if (!nodes.some((n) => n.description && n.examples))
      problems.push(`${where}: contains "${path}" needs a description and examples in the output schema`);
  }
  problems.push(...checkRecordFields(id, a));
  problems.push(...checkToolHints(id, a));
  if (!a.output?.description) problems.push(`schemas/actions/${id}.output.json: the output has no description`);
  return problems;
}

/**
 * An action's `primary` fields (what identifies a record and tells records apart: shown first by
 * `run --format table|csv` and by `describe`, the first never cut) are a non-empty list of distinct
 * paths of the output schema, and none of them is repeated in `columns` (the fields shown after them):
 * each field has one place.
 */
export function checkRecordFields(id, a) {
  const where = `manifest/actions/${id}.json`;
  const primary = a.primary;
  if (!Array.isArray(primary) || !primary.length || !primary.every((p) => typeof p === 'string' && p))
    return [`${where}: "primary" must be a non-empty list of output fields (the record's identifier first)`];
  const problems = [];
  for (const [i, p] of primary.entries()) {
    if (primary.indexOf(p) !== i) problems.push(`${where}: primary "${p}" is named twice`);
    else if (!nodesAtPath(a.output, p).length) problems.push(`${where}: primary "${p}" is not a path of schemas/actions/${id}.output.json`);
    if (a.columns?.includes(p)) problems.push(`${where}: "${p}" is in both primary and columns (a table shows primary fields first, then columns)`);
  }
  return problems;
}

/**
 * What an MCP client is told about a write before it calls it (docs/mcp.md): every write declares
 * `destructive` (true when it removes, blocks, rejects, releases, remediates or changes a policy or
 * a record; false when it only adds) and `idempotent` (true when calling it again with the same
 * input changes nothing more), both booleans. A client treats a missing destructive hint as true and
 * asks on every call, so none is left to the default; a read declares neither (it changes nothing).
 */
export function checkToolHints(id, a) {
  const where = `manifest/actions/${id}.json`;
  const problems = [];
  for (const k of ['destructive', 'idempotent']) {
    if (a.read_only) {
      if (a[k] !== undefined) problems.push(`${where}: a read-only action declares no "${k}" (it changes nothing)`);
    } else if (typeof a[k] !== 'boolean') problems.push(`${where}: a write declares "${k}" as true or false (is ${JSON.stringify(a[k])})`);
  }
  return problems;
}

/** The cursor kinds of an event stream (docs/ingestion.md). */
export const CURSOR_KINDS = ['window', 'cursor'];

/**
 * An event stream's declaration (manifest/streams/<name>.json): its name matches the file, a
 * route "METHOD /path" (a window stream POSTs an /api/* envelope), a known cursor kind, the date
 * keys its kind needs, where its records and their time and id are, a retention in hours, and a
 * default filter that does not set the window's own keys.
 */
export function checkStream(file, s) {
  const where = `manifest/streams/${file}`;
  const problems = [];
  const str = (k) => typeof s[k] === 'string';
  if (s.name !== file.replace(/\.json$/, '')) problems.push(`${where}: "name" must match the file name (is ${JSON.stringify(s.name)})`);
  for (const k of ['description', 'route', 'records', 'time_field', 'id_field', 'permission'])
    if (!str(k) || (k !== 'records' && !s[k])) problems.push(`${where}: "${k}" must be a ${k === 'records' ? '' : 'non-empty '}string`);
  if (str('route') && !/^(GET|POST) \/[A-Za-z0-9/_.-]+$/.test(s.route)) problems.push(`${where}: "route" must be "GET /path" or "POST /path"`);
  if (!CURSOR_KINDS.includes(s.cursor)) problems.push(`${where}: "cursor" must be one of ${CURSOR_KINDS.join(', ')}`);
  if (s.cursor === 'window' && str('route') && !s.route.startsWith('POST /api/')) problems.push(`${where}: a window stream POSTs an /api/* route`);
  const wf = s.window_fields;
  if (!wf || typeof wf.from !== 'string' || (s.cursor === 'window' && typeof wf.to !== 'string'))
    problems.push(`${where}: "window_fields" names the request's date keys (from${s.cursor === 'window' ? ' and to' : ''})`);
  if (!(Number.isInteger(s.retention_hours) && s.retention_hours > 0)) problems.push(`${where}: "retention_hours" must be a positive integer`);
  if (!s.filter || typeof s.filter !== 'object' || Array.isArray(s.filter))
    problems.push(`${where}: "filter" must be an object (the request's default filter)`);
  else for (const k of [wf?.from, wf?.to]) if (k && k in s.filter) problems.push(`${where}: "filter" must not set the window key "${k}"`);
  return problems;
}
