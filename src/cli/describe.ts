/** `list` and `describe`: read from the generated manifest, nothing else. */
import manifest from '../generated/manifest.js';
import type { JsonSchema } from '../runtime/normalize.js';
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

/** One action (the parser has checked that it exists; without an action, main lists them). */
export function describeAction(id: string, json: boolean): number {
  const a = manifest.actions[id];
  if (json) {
    process.stdout.write(JSON.stringify(a, null, 2) + '\n');
    return 0;
  }
  const text = [
    `${a.name}${a.beta ? ' (Beta)' : ''}  [${a.id}]`,
    a.description,
    a.permission ? `Permission: ${a.permission}` : '',
    `Read-only: ${a.read_only ? 'yes' : 'no (changes Mimecast; never re-sent after it may have reached Mimecast)'}`,
    `Mimecast route(s): ${a.routes.join(', ')}`,
    a.chunk_size ? `Per call: at most ${a.chunk_size} item${a.chunk_size === 1 ? '' : 's'} per Mimecast call; longer lists are split.` : '',
    a.notes ? `Notes: ${a.notes}` : '',
    'Parameters:',
    ...describeParams(a.input),
    ...(a.example?.length ? ['Example:', ...exampleCommands(a.id, a.example).map((c) => `  ${c}`)] : []),
    a.example?.length && !a.read_only ? '  (this changes Mimecast: add --dry-run to see the request without sending it)' : '',
  ].filter(Boolean);
  process.stdout.write(text.join('\n') + '\n');
  return 0;
}
