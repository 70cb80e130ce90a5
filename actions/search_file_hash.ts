import { defineAction, plural, type Failure } from '../src/runtime/action.js';
import { SearchFileHashRoutes } from '../src/generated/routes.js';
import type { SearchFileHashInput, SearchFileHashOutput } from '../src/generated/types.js';

type HashStatus = SearchFileHashOutput[number];

/** One failedHashes[] entry → a failure keyed by the hash (Mimecast documents no shape: a string or an object). */
function hashFailure(entry: unknown): Failure {
  if (entry && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    const err = (Array.isArray(o.errors) ? o.errors[0] : o) as Record<string, unknown> | undefined;
    const hash = typeof o.hash === 'string' ? o.hash : undefined;
    return {
      code: typeof err?.code === 'string' && err.code ? err.code : 'hash_not_checked',
      message: typeof err?.message === 'string' && err.message ? err.message : 'Mimecast could not check this hash',
      key: hash !== undefined ? { hash } : o,
    };
  }
  return { code: 'hash_not_checked', message: 'Mimecast could not check this hash', key: { hash: String(entry) } };
}

export default defineAction<SearchFileHashInput, SearchFileHashOutput>(async (input, { client }) => {
  // One data item holds the hashes of a call (at most the manifest's chunk_size per call).
  const rows = await client.items<HashStatus>(
    SearchFileHashRoutes.searchHash,
    input.hashes.map((hash) => ({ hash })),
    {
      pack: (chunk) => [{ hashes: (chunk as { hash: string }[]).map((c) => c.hash) }],
      explode: (entry) => ({
        ok: (Array.isArray(entry.hashStatus) ? entry.hashStatus : []) as HashStatus[],
        failures: (Array.isArray(entry.failedHashes) ? entry.failedHashes : []).map(hashFailure),
      }),
    },
  );
  const detected = rows.filter((r) => r.detected === true).length;
  return { data: rows, summary: `Checked ${plural(rows.length, 'hash', 'hashes')}: ${detected} seen within the account.` };
});
