/**
 * A result envelope as a tool result: the envelope as structuredContent, and as text a summary
 * line followed by the same JSON (clients that read only text content see it all); isError when
 * the run failed. An answer larger than the size limit is cut to fit an assistant's context: the
 * list in it keeps its first items (else data becomes null), `truncated` says what was left out,
 * and the text says how to get the rest.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ActionManifest } from '../base/manifest-types.js';
import type { ResultEnvelope } from '../runtime/run.js';

export const DEFAULT_MAX_CHARS = 50_000;

/** What a tool answers: the envelope, with a write's confirmation and the cut's marker when there are. */
export type ToolEnvelope = ResultEnvelope & {
  confirmation?: { token: string; expires_at: string };
  truncated?: { max_chars: number; items_shown?: number; items_total?: number; note: string };
};

const size = (v: unknown): number => JSON.stringify(v).length;

/** The text content: the summary (and the cut's note) on one line, then the envelope's JSON. */
function textOf(env: ToolEnvelope): string {
  const head = env.truncated ? `${env.summary} ${env.truncated.note}` : env.summary;
  return `${head}\n${JSON.stringify(env)}`;
}

/** The list a cut shortens: data itself, or the longest list among its fields. */
function listOf(data: unknown): { get: () => unknown[]; set: (xs: unknown[]) => unknown } | undefined {
  if (Array.isArray(data)) return { get: () => data, set: (xs) => xs };
  if (data === null || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  let key: string | undefined;
  for (const [k, v] of Object.entries(record)) if (Array.isArray(v) && (key === undefined || size(v) > size(record[key]))) key = k;
  return key === undefined ? undefined : { get: () => record[key] as unknown[], set: (xs) => ({ ...record, [key]: xs }) };
}

function resumeNote(env: ToolEnvelope, action: ActionManifest | undefined): string {
  if (env.meta.next_page_token) return 'The read stopped before its last page: call again with page_token set to meta.next_page_token to continue.';
  if (action?.input.properties?.page_token)
    return 'For the rest, call again with a smaller page_size and no_of_pages 1, then page on with page_token set to meta.next_page_token.';
  return 'Narrow the request (a shorter time window, a filter) to see every item.';
}

/** The envelope cut to fit maxChars (the text adds a summary line, counted in the limit). */
export function fit(env: ToolEnvelope, maxChars: number, action: ActionManifest | undefined): ToolEnvelope {
  const fits = (e: ToolEnvelope) => textOf(e).length <= maxChars;
  const total = size(env);
  const marker = (shown?: number, all?: number): NonNullable<ToolEnvelope['truncated']> => ({
    max_chars: maxChars,
    ...(all === undefined ? {} : { items_shown: shown, items_total: all }),
    note: `[cut: the answer is ${total} characters, over the ${maxChars} limit; ${all === undefined ? 'data left out' : `${shown} of ${all} items shown`}] ${resumeNote(env, action)}`,
  });
  const list = listOf(env.data);
  if (list) {
    const items = list.get();
    // The most items that fit, by bisection: sizes grow with the count.
    let lo = 0;
    let hi = items.length;
    const withItems = (n: number): ToolEnvelope => ({ ...env, data: list.set(items.slice(0, n)), truncated: marker(n, items.length) });
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(withItems(mid))) lo = mid;
      else hi = mid - 1;
    }
    if (fits(withItems(lo))) return withItems(lo);
  }
  const bare: ToolEnvelope = { ...env, data: null, truncated: marker() };
  if (fits(bare)) return bare;
  // Thousands of item failures: keep the first ones; the count is in the note.
  const failures = env.failures;
  return {
    ...bare,
    failures: failures.slice(0, 20),
    truncated: { ...marker(), note: `${marker().note} Only the first 20 of ${failures.length} failures are shown.` },
  };
}

export function toolResult(env: ToolEnvelope, maxChars: number, action: ActionManifest | undefined): CallToolResult {
  // Nearly every answer fits: its text is made once.
  const whole = textOf(env);
  const shown = whole.length <= maxChars ? env : fit(env, maxChars, action);
  return {
    structuredContent: shown as unknown as Record<string, unknown>,
    content: [{ type: 'text', text: shown === env ? whole : textOf(shown) }],
    isError: env.status === 'failed',
  };
}
