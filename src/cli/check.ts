/**
 * `check`: the bundled manifest is whole (every action has a handler and both schemas),
 * every documented example request validates and builds its Mimecast request(s) in a dry run,
 * each on one of the action's declared routes, so the docs cannot drift from the code, every
 * parameter's `examples` value is read by the runtime as a form would send it (a date parses),
 * and the fields a table shows first (`primary`, then `columns`) are fields of the output.
 */
import manifest from '../generated/manifest.js';
import { registry } from '../generated/registry.js';
import type { ActionManifest, Manifest } from '../base/manifest-types.js';
import { exitCodeFor, prepareInput, runAction } from '../runtime/run.js';
import { normalize, type JsonSchema } from '../runtime/normalize.js';

/** A base URL without a path, so a request's URL path is the route's path. */
const PLACEHOLDER = { base_url: 'https://api.services.mimecast.com', client_id: 'check', client_secret: 'check-placeholder' };

export interface CheckResult {
  actions: number;
  examples: number;
  problems: string[];
}

/**
 * Whether a request (method, path on the base URL) is on a manifest route: "POST /api/x"
 * matches exactly; a path ending in "/*" matches any path under it, and "*" any method, so
 * the Generic Action's "* {base_url}/*" matches any path on the base URL.
 */
export function routeMatches(route: string, method: string, path: string): boolean {
  const [routeMethod, routePath = ''] = route.split(' ');
  const pattern = routePath.replace('{base_url}', '');
  if (routeMethod !== '*' && routeMethod !== method) return false;
  return pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

interface DryRunRequest {
  method: string;
  url: string;
}

/** Problems of one example's dry-run requests against the action's routes. */
function routeProblems(id: string, example: number, routes: string[], requests: DryRunRequest[]): string[] {
  const problems: string[] = [];
  for (const r of requests) {
    if (!r.url.startsWith(`${PLACEHOLDER.base_url}/`)) {
      problems.push(`${id}: example ${example} sends ${r.method} ${r.url}, which is not on the base URL`);
      continue;
    }
    const path = new URL(r.url).pathname;
    if (!routes.some((route) => routeMatches(route, r.method, path))) {
      problems.push(`${id}: example ${example} sends ${r.method} ${path}, which is not among its routes (${routes.join(', ')})`);
    }
  }
  return problems;
}

/**
 * Problems of the parameters' `examples` as the runtime reads them (normalisation: dates, JSON
 * text, lists); scripts/generate.mjs has already validated each against its parameter's schema.
 */
export function parameterExampleProblems(id: string, input: JsonSchema): string[] {
  const problems: string[] = [];
  for (const [key, p] of Object.entries(input.properties ?? {})) {
    for (const [i, ex] of ((p.examples as unknown[] | undefined) ?? []).entries()) {
      try {
        normalize(p, ex, key);
      } catch (e) {
        problems.push(`${id}: parameter ${key} example ${i + 1} is not read as given: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

/**
 * The schema nodes a dotted path ("from.emailAddress") names in an output schema, stepping into
 * list items and anyOf/oneOf/allOf branches on the way (as scripts/manifest-checks.mjs does).
 */
function nodesAtPath(schema: JsonSchema, path: string): JsonSchema[] {
  const expand = (s: JsonSchema | undefined): JsonSchema[] =>
    s && typeof s === 'object'
      ? [s, ...expand(s.items), ...(['anyOf', 'oneOf', 'allOf'] as const).flatMap((k) => ((s[k] as JsonSchema[] | undefined) ?? []).flatMap(expand))]
      : [];
  let nodes = [schema];
  for (const key of path.split('.')) nodes = nodes.flatMap(expand).flatMap((s) => (s.properties?.[key] ? [s.properties[key]] : []));
  return nodes;
}

/**
 * Problems of an action's `primary` fields (shown first by `run --format table|csv`, the first
 * never cut) and `columns`: paths of the output schema, primary non-empty, no field in both.
 */
export function recordFieldProblems(id: string, a: Pick<ActionManifest, 'primary' | 'columns' | 'output'>): string[] {
  const primary = a.primary as unknown;
  if (!Array.isArray(primary) || !primary.length || !primary.every((p) => typeof p === 'string' && p))
    return [`${id}: "primary" must be a non-empty list of output fields`];
  const problems: string[] = [];
  for (const p of primary as string[]) {
    if (!nodesAtPath(a.output, p).length) problems.push(`${id}: primary "${p}" is not a field of the output schema`);
    if (a.columns?.includes(p)) problems.push(`${id}: "${p}" is in both primary and columns`);
  }
  for (const c of a.columns ?? []) if (!nodesAtPath(a.output, c).length) problems.push(`${id}: column "${c}" is not a field of the output schema`);
  return problems;
}

/** Checks a manifest (the bundled one by default) against the registry's handlers. */
export async function checkManifest(m: Manifest = manifest): Promise<CheckResult> {
  const problems: string[] = [];
  let examples = 0;
  const ids = Object.keys(m.actions);
  for (const id of ids) {
    const a = m.actions[id];
    if (!registry[id]) problems.push(`${id}: no handler in the registry`);
    if (!a.input || a.input.type !== 'object') problems.push(`${id}: the input schema is not an object schema`);
    if (!a.output || Object.keys(a.output).length === 0) problems.push(`${id}: the output schema is empty`);
    else problems.push(...recordFieldProblems(id, a));
    problems.push(...parameterExampleProblems(id, a.input));
    for (const [i, ex] of (a.example ?? []).entries()) {
      examples++;
      try {
        prepareInput(id, ex);
      } catch (e) {
        problems.push(`${id}: example ${i + 1} does not validate: ${(e as Error).message}`);
        continue;
      }
      const r = await runAction(id, ex, PLACEHOLDER, { dryRun: true, tokenCache: 'memory' });
      const reqs = (r.data as { requests?: DryRunRequest[] } | null)?.requests ?? [];
      if (exitCodeFor(r) !== 0 || reqs.length === 0) problems.push(`${id}: example ${i + 1} does not build a request: ${r.summary}`);
      else problems.push(...routeProblems(id, i + 1, a.routes, reqs));
    }
  }
  return { actions: ids.length, examples, problems };
}

export async function runCheck(): Promise<number> {
  const { actions, examples, problems } = await checkManifest();
  const result = { status: problems.length ? 'failed' : 'success', actions, examples, problems };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(problems.length ? `check: ${problems.length} problem(s)\n` : `check: ${actions} actions and ${examples} examples OK\n`);
  return problems.length ? 1 : 0;
}
