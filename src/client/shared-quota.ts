/**
 * What a process learnt of the quota, left for the next one. A playbook runs one CLI process per
 * step, and each would otherwise start knowing nothing: its first call to an endpoint whose window
 * an earlier step spent goes out as a probe and draws a 429, a call of the tenant's quota wasted.
 * So when a connection closes it leaves each endpoint's calls left and the time its window resets
 * in an owner-only file of the token cache directory, merged with what other steps left there,
 * and the next connection starts from it. The file holds no secret (API paths and counts), and
 * what it says is only a hint: anything malformed, foreign, expired or more than a minute ahead is
 * ignored, and a failure to read or write it changes nothing but the pacing.
 */
import { log } from '../base/log.js';
import { ownerOnly, privateDir, readRegular, replaceFile } from './cache-files.js';
import type { QuotaWindow, SharedQuota } from './pacing.js';

/** A window is taken from the file only if it resets within this time (a minute: Mimecast's windows are shorter). */
export const MAX_SHARED_RESET_MS = 60_000;

/** Two windows whose resets lie this close are the same window (each process saw it from its own answers). */
const SAME_WINDOW_MS = 1_000;

/** The later window; of the same window, the lower count (the truer one: calls were made since the higher). */
function merge(a: QuotaWindow, b: QuotaWindow): QuotaWindow {
  if (Math.abs(a.resetAt - b.resetAt) <= SAME_WINDOW_MS) return { left: Math.min(a.left, b.left), resetAt: Math.max(a.resetAt, b.resetAt) };
  return a.resetAt > b.resetAt ? a : b;
}

export class SharedQuotaFile implements SharedQuota {
  constructor(
    private readonly path: string,
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The windows the file holds that are still open; empty when there is none to trust. */
  load(): Map<string, QuotaWindow> {
    const windows = new Map<string, QuotaWindow>();
    const file = readRegular(this.path);
    if (!file || !ownerOnly(file)) return windows;
    let parsed: { v?: unknown; windows?: unknown };
    try {
      parsed = JSON.parse(file.text) as typeof parsed;
    } catch {
      return windows;
    }
    if (parsed?.v !== 1 || !parsed.windows || typeof parsed.windows !== 'object') return windows;
    const now = this.now();
    for (const [endpoint, w] of Object.entries(parsed.windows as Record<string, unknown>)) {
      const { left, resetAt } = (w ?? {}) as Partial<QuotaWindow>;
      if (!endpoint.startsWith('/') || !Number.isInteger(left) || left! < 0) continue;
      if (typeof resetAt !== 'number' || !(resetAt > now) || resetAt > now + MAX_SHARED_RESET_MS) continue;
      windows.set(endpoint, { left: left!, resetAt });
    }
    return windows;
  }

  /** Leaves these windows (merged with what the file holds now) for the next process. */
  save(learnt: Map<string, QuotaWindow>): void {
    const windows = this.load();
    const now = this.now();
    for (const [endpoint, w] of learnt) {
      if (!Number.isInteger(w.left) || w.left < 0 || w.resetAt <= now) continue;
      const there = windows.get(endpoint);
      windows.set(endpoint, there ? merge(there, w) : w);
    }
    if (windows.size === 0 || privateDir(this.dir)) return;
    try {
      replaceFile(this.path, JSON.stringify({ v: 1, windows: Object.fromEntries(windows) }));
    } catch (e) {
      log.debug(`the quota windows were not left for the next run: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
}
