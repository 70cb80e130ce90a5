/** `list` and `describe`: read from the generated manifest, nothing else. */
import manifest from '../generated/manifest.js';
import type { JsonSchema } from '../runtime/normalize.js';

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

export function describeParams(schema: JsonSchema): string[] {
  const req = new Set(schema.required ?? []);
  const lines: string[] = [];
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    lines.push(`  ${key}${req.has(key) ? ' (required)' : ''}: ${typeLabel(p)}`);
    if (p.title) lines.push(`      label: ${p.title}`);
    if (p.description) lines.push(`      ${p.description}`);
    if (p.enum) lines.push(`      allowed values: ${p.enum.join(', ')}`);
    if (p.default !== undefined) lines.push(`      default: ${JSON.stringify(p.default)}`);
    if (p['x-aliases']?.length) lines.push(`      also accepted as: ${p['x-aliases'].join(', ')}`);
    const item = p.items;
    if (item?.properties) {
      const ireq = new Set(item.required ?? []);
      lines.push(`      item keys: ${Object.keys(item.properties).map((k) => (ireq.has(k) ? `${k} (required)` : k)).join(', ')}`);
    }
    if (p.properties && p.additionalProperties === false) lines.push(`      allowed keys: ${Object.keys(p.properties).join(', ')}`);
  }
  return lines.length ? lines : ['  (no parameters)'];
}

export function describeAction(id: string | undefined, json: boolean): number {
  const a = id ? manifest.actions[id] : undefined;
  if (!a) {
    process.stderr.write(`unknown action "${id ?? ''}"; run \`mimecast-connector list\`\n`);
    return 2;
  }
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
    a.notes ? `Notes: ${a.notes}` : '',
    'Parameters:',
    ...describeParams(a.input),
    a.example ? `Example request:\n  ${JSON.stringify(a.example)}` : '',
  ].filter(Boolean);
  process.stdout.write(text.join('\n') + '\n');
  return 0;
}
