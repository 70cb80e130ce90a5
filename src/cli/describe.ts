/** `list` and `describe`: read from the generated manifest, nothing else. */
import manifest from '../generated/manifest.js';
import type { ActionManifest, JsonSchema } from '../base/manifest-types.js';
import { shellQuote } from './args.js';

export function listActions(json: boolean): number {
  const rows = Object.values(manifest.actions).map((a) => ({
    id: a.id,
    name: a.name + (a.beta ? ' (Beta)' : ''),
    read_only: a.read_only,
    routes: a.routes,
  }));
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.id.length));
  const lines = rows.map((r) => `${r.id.padEnd(w)}  ${r.read_only ? 'read ' : 'WRITE'}  ${r.name}`);
  process.stdout.write(`${rows.length} actions\n${lines.join('\n')}\n`);
  return 0;
}

function typeLabel(s: JsonSchema): string {
  const t = Array.isArray(s.type) ? s.type.join('|') : (s.type ?? 'any');
  return s['x-field-type'] ? `${s['x-field-type']} (${t})` : t;
}

const DATE_FORMAT = 'ISO 8601, e.g. 2024-10-12T18:30:00Z; sent as 2024-10-12T18:30:00+0000';

const isDate = (s: JsonSchema | undefined): boolean => s?.['x-format'] === 'mimecast-date';

/** The allowed values of a field, or of each item of a list field. */
const allowedValues = (s: JsonSchema): unknown[] | undefined => s.enum ?? s.items?.enum;

/**
 * Allowed values and date formats of the keys inside an object or list-of-objects parameter,
 * named by their dotted path (`action`, `from.type`).
 */
function innerKeys(schema: JsonSchema, prefix: string, lines: string[]): void {
  const props = schema.properties ?? schema.items?.properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const values = allowedValues(sub);
    if (values) lines.push(`      allowed values of ${path}: ${values.join(', ')}`);
    if (isDate(sub) || isDate(sub.items)) lines.push(`      ${path}: ${DATE_FORMAT}`);
    innerKeys(sub, path, lines);
  }
}

export function describeParams(schema: JsonSchema): string[] {
  const req = new Set(schema.required ?? []);
  const lines: string[] = [];
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    lines.push(`  ${key}${req.has(key) ? ' (required)' : ''}: ${typeLabel(p)}`);
    if (p.title) lines.push(`      label: ${p.title}`);
    if (p.description) lines.push(`      ${p.description}`);
    const values = allowedValues(p);
    if (values) lines.push(`      allowed values: ${values.join(', ')}`);
    if (isDate(p) || isDate(p.items)) lines.push(`      format: ${DATE_FORMAT}`);
    if (p.default !== undefined) lines.push(`      default: ${JSON.stringify(p.default)}`);
    if (p['x-aliases']?.length) lines.push(`      also accepted as: ${p['x-aliases'].join(', ')}`);
    const item = p.items;
    if (item?.properties) {
      const ireq = new Set(item.required ?? []);
      lines.push(
        `      item keys: ${Object.keys(item.properties)
          .map((k) => (ireq.has(k) ? `${k} (required)` : k))
          .join(', ')}`,
      );
    }
    if (p.properties && p.additionalProperties === false) lines.push(`      allowed keys: ${Object.keys(p.properties).join(', ')}`);
    innerKeys(p, '', lines);
  }
  return lines.length ? lines : ['  (no parameters)'];
}

/** The manifest's example as `run` commands ready to paste (one per element of the documented array). */
export function exampleCommands(id: string, example: Record<string, unknown>[]): string[] {
  return example.map((params) => {
    const input = Object.keys(params).length ? ` --input ${shellQuote(JSON.stringify(params))}` : '';
    return `mimecast-connector run ${id}${input}`;
  });
}

/** The keys inside a field: of the object, of a list's items, of each anyOf/oneOf branch (a recipient that is an object or a list). */
function innerProperties(s: JsonSchema): Record<string, JsonSchema> {
  const branches = [s, ...(s.anyOf ?? []), ...(s.oneOf ?? [])];
  return Object.assign({}, ...branches.flatMap((b) => [b.items?.properties ?? {}, b.properties ?? {}]));
}

/**
 * The fields of an action's output (of each record, for a list), by dotted path down to the
 * records' own keys: type and description, whether a table shows it first (primary) and what a
 * next step can pivot on (contains).
 */
export function describeOutput(a: Pick<ActionManifest, 'output' | 'primary' | 'contains'>): string[] {
  const list = a.output.type === 'array' && a.output.items?.properties;
  const record = list ? a.output.items! : a.output;
  const lines = [`  ${list ? 'a list of records, each with' : 'an object with'}:`];
  const primary = new Set(a.primary ?? []);
  const contains = a.contains ?? {};
  const field = (path: string, s: JsonSchema, depth: number): void => {
    const marks = [primary.has(path) ? 'primary' : '', contains[path] ? `pivot: ${contains[path].join(', ')}` : ''].filter(Boolean);
    lines.push(`    ${path}: ${typeLabel(s)}${marks.length ? `  [${marks.join('; ')}]` : ''}${s.description ? `  ${s.description}` : ''}`);
    // Nested keys are named only where the manifest names one (a primary field or a pivot inside): the schema has the rest.
    for (const [k, sub] of Object.entries(innerProperties(s))) {
      const p = `${path}.${k}`;
      if (depth < 3 && (primary.has(p) || contains[p] || [...primary, ...Object.keys(contains)].some((x) => x.startsWith(`${p}.`)))) field(p, sub, depth + 1);
    }
  };
  for (const [k, s] of Object.entries(record.properties ?? {})) field(k, s, 1);
  if (lines.length === 1) lines.push(`    (any JSON value)`);
  return lines;
}

/** What reverses a write: the manifest's undo action and how to call it, or why no action does. */
export function undoLine(a: Pick<ActionManifest, 'read_only' | 'undo' | 'undo_note'>): string {
  if (a.read_only) return 'Undo: nothing to undo (it changes nothing).';
  if (a.undo) return `Undo: ${a.undo}${a.undo_note ? ` (${a.undo_note})` : ''}`;
  return `Undo: no action reverses it. ${a.undo_note ?? ''}`.trimEnd();
}

/** The per-call cap: how many items go in one Mimecast call (a write without a cap sends its list in one call). */
function capLine(a: ActionManifest): string {
  if (a.chunk_size) return `Per call: at most ${a.chunk_size} item${a.chunk_size === 1 ? '' : 's'} per Mimecast call; longer lists are split.`;
  return a.read_only ? '' : 'Per call: no item cap declared (a list input goes to Mimecast in one call).';
}

/** How `run --format table` lays the output out: the columns of a list, or key/value rows. */
function tableLine(a: ActionManifest): string {
  if (a.output.type !== 'array') return `Table (run --format table): key/value rows, ${a.primary.join(', ')} first`;
  return `Table columns (run --format table): ${[...a.primary, ...(a.columns ?? [])].join(', ')}${a.columns ? '' : ', then the first other plain fields'}`;
}

/** describe's text for one action: everything the manifest knows of it. */
export function describeText(id: string): string {
  const a = manifest.actions[id];
  const text = [
    `${a.name}${a.beta ? ' (Beta)' : ''}  [${a.id}]`,
    a.description,
    `Permission: ${a.permission ?? 'none named (the Generic Action needs the permission of the route it calls)'}`,
    `Read-only: ${a.read_only ? 'yes' : 'no (changes Mimecast; never re-sent after it may have reached Mimecast)'}`,
    undoLine(a),
    `Mimecast route(s): ${a.routes.join(', ')}`,
    capLine(a),
    a.notes ? `Notes: ${a.notes}` : '',
    'Parameters:',
    ...describeParams(a.input),
    `Output: ${a.output.description ?? ''}`.trimEnd(),
    ...describeOutput(a),
    tableLine(a),
    ...(a.example?.length ? ['Example:', ...exampleCommands(a.id, a.example).map((c) => `  ${c}`)] : []),
    a.example?.length && !a.read_only ? '  (this changes Mimecast: add --dry-run to see the request without sending it)' : '',
  ].filter(Boolean);
  return text.join('\n') + '\n';
}

/** One action (the parser has checked that it exists; without an action, main lists them). */
export function describeAction(id: string, json: boolean): number {
  process.stdout.write(json ? JSON.stringify(manifest.actions[id], null, 2) + '\n' : describeText(id));
  return 0;
}
