/**
 * `check`: the bundled manifest is whole (every action has a handler and both schemas) and
 * every documented example request validates and builds its Mimecast request(s) in a dry run,
 * so the docs cannot drift from the code.
 */
import manifest from '../generated/manifest.js';
import { registry } from '../generated/registry.js';
import { exitCodeFor, prepareInput, runAction } from '../runtime/run.js';

const PLACEHOLDER = { base_url: 'https://api.services.mimecast.com', client_id: 'check', client_secret: 'check-placeholder' };

export async function runCheck(): Promise<number> {
  const problems: string[] = [];
  let examples = 0;
  const ids = Object.keys(manifest.actions);
  for (const id of ids) {
    const a = manifest.actions[id];
    if (!registry[id]) problems.push(`${id}: no handler in the registry`);
    if (!a.input || a.input.type !== 'object') problems.push(`${id}: the input schema is not an object schema`);
    if (!a.output || Object.keys(a.output).length === 0) problems.push(`${id}: the output schema is empty`);
    for (const [i, ex] of (a.example ?? []).entries()) {
      examples++;
      try {
        prepareInput(id, ex);
      } catch (e) {
        problems.push(`${id}: example ${i + 1} does not validate: ${(e as Error).message}`);
        continue;
      }
      const r = await runAction(id, ex, PLACEHOLDER, { dryRun: true, tokenCache: 'memory' });
      const reqs = (r.data as { requests?: unknown[] } | null)?.requests ?? [];
      if (exitCodeFor(r) !== 0 || reqs.length === 0) problems.push(`${id}: example ${i + 1} does not build a request: ${r.summary}`);
    }
  }
  const result = { status: problems.length ? 'failed' : 'success', actions: ids.length, examples, problems };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(problems.length ? `check: ${problems.length} problem(s)\n` : `check: ${ids.length} actions and ${examples} examples OK\n`);
  return problems.length ? 1 : 0;
}
