/**
 * Quota pacing. Mimecast enforces a quota per application and endpoint and says what is left in
 * X-RateLimit-Limit / X-RateLimit-Remaining / X-RateLimit-Reset (milliseconds until the window
 * resets). A pacer (one per connection, so per instance) reads those headers from every answer
 * and holds further calls to an endpoint whose quota is spent until its window has reset, instead
 * of sending them into a 429: a 429 is a call of the tenant's quota wasted, and other integrations
 * share that quota.
 *
 * While nothing is known about an endpoint (the first call, or the first after a reset) one call
 * goes ahead as a probe and the others wait for its answer, so a burst cannot overrun a quota it
 * has not seen yet. An endpoint whose answers carry no rate-limit headers is not paced (a minute at
 * a time, then one call probes again): without a count there is nothing to pace by, and holding
 * every call for the one before it would make a burst one call at a time. Pacing never re-sends
 * anything: it only decides when a call may start.
 *
 * A key is an endpoint's path on the connection's base URL, so origin and path together (a
 * connection has one base URL, and the shared file is per base URL and client). A request to any
 * other origin (a file host's pre-signed link) is neither paced nor heard: its rate-limit headers
 * are the file host's, and taken under a Mimecast path they could hold later Mimecast calls.
 */
import { ConnectorError } from '../base/errors.js';
import { sleep } from './retry.js';

/** An endpoint's quota window as this connection sees it. */
export interface QuotaWindow {
  /** Calls the server says are left, less the calls started since it said so. */
  left: number;
  /** When the window resets (epoch ms). */
  resetAt: number;
}

/** Where the windows a connection learnt are left for the next process, and read back (shared-quota.ts). */
export interface SharedQuota {
  load(): Map<string, QuotaWindow>;
  save(windows: Map<string, QuotaWindow>): void;
}

/** What an answer said of the quota (X-RateLimit-Limit / -Remaining / -Reset, the reset in ms). */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  reset_ms?: number;
}

/** A header's number; undefined when it is missing, empty or not a number. */
function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isNaN(n) ? undefined : n;
}

/** Reads an answer's rate-limit headers, once per answer; undefined when it has none. */
export function rateLimitInfo(h: Record<string, string>): RateLimitInfo | undefined {
  if (h['x-ratelimit-limit'] === undefined && h['x-ratelimit-remaining'] === undefined) return undefined;
  return { limit: num(h['x-ratelimit-limit']), remaining: num(h['x-ratelimit-remaining']), reset_ms: num(h['x-ratelimit-reset']) };
}

/** Milliseconds Mimecast asks us to wait: Retry-After (s or HTTP date), else X-RateLimit-Reset (ms). */
export function waitFromHeaders(h: Record<string, string>, now = Date.now()): number {
  const ra = h['retry-after'];
  if (ra !== undefined) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - now);
  }
  const reset = Number(h['x-ratelimit-reset']);
  if (Number.isFinite(reset) && h['x-ratelimit-reset'] !== undefined) {
    if (reset < 1e7) return Math.max(0, reset); // documented: milliseconds until a slot returns
    if (reset < 1e11) return Math.max(0, reset * 1000 - now); // epoch seconds (seen in one client)
    return Math.max(0, reset - now); // epoch milliseconds
  }
  return 1_000;
}

interface Probe {
  /** When the probe started: a probe that has not answered within PROBE_WAIT_MS is taken as lost. */
  since: number;
  /** Wakes a caller waiting for the probe's answer (and clears its timer). */
  waiters: (() => void)[];
}

/** How long a probe's answer is waited for before the next call goes ahead anyway. */
const PROBE_WAIT_MS = 2_000;
/** How long an endpoint that answered without rate-limit headers goes unpaced before one call probes it again. */
export const UNMETERED_MS = 60_000;

export class QuotaPacer {
  private readonly windows = new Map<string, QuotaWindow>();
  private readonly probing = new Map<string, Probe>();

  /** Whether the shared windows were read yet (once, at the first call that finds nothing known). */
  private loaded = false;
  /** Whether an answer of this connection said something of a quota (else there is nothing to leave). */
  private learnt = false;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly shared?: SharedQuota,
  ) {}

  /** Takes a call of a known, unspent quota at once (no promise); false when acquire() must decide. */
  tryTake(key: string): boolean {
    const win = this.windows.get(key);
    if (!win || win.left <= 0 || this.now() >= win.resetAt) return false;
    win.left--;
    return true;
  }

  /**
   * Resolves when a call to `key` may start; rejects at once (rate_limited) when the quota is spent
   * and its reset lies past `deadlineAt`. `onWait` hears about every hold (for progress lines).
   */
  async acquire(key: string, deadlineAt: number, signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    if (!this.loaded) this.loadShared();
    for (;;) {
      const w = this.windows.get(key);
      const now = this.now();
      if (w && now >= w.resetAt) this.windows.delete(key);
      const win = this.windows.get(key);
      if (win && win.left > 0) {
        win.left--;
        return;
      }
      if (win) {
        const wait = win.resetAt - now;
        if (win.resetAt > deadlineAt) {
          throw new ConnectorError(
            'rate_limited',
            `the Mimecast quota for ${key} is spent until its reset in ${Math.ceil(wait / 1000)} s, past this action's time limit`,
            {
              hint: `Wait ${Math.ceil(wait / 1000)} s before running it again, or give it more time (--deadline).`,
              waitMs: wait,
            },
          );
        }
        onWait?.(wait);
        // A timer can fire up to a millisecond before the wall clock reaches its time: one more
        // millisecond, so the wait ends past the reset and is not reported a second time.
        await sleep(wait + 1, signal);
        continue;
      }
      // Nothing known: the first caller probes, the others wait for its answer.
      const probe = this.probing.get(key);
      if (!probe || now - probe.since >= PROBE_WAIT_MS) {
        this.probing.set(key, { since: now, waiters: probe?.waiters ?? [] });
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PROBE_WAIT_MS - (now - probe.since));
        timer.unref();
        probe.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** What earlier processes left: taken for the endpoints this connection knows nothing of yet. */
  private loadShared(): void {
    this.loaded = true;
    if (!this.shared) return;
    for (const [key, w] of this.shared.load()) if (!this.windows.has(key)) this.windows.set(key, w);
  }

  /** Leaves what this connection learnt for the next process (when the connection closes). */
  save(): void {
    if (!this.shared || !this.learnt) return;
    const now = this.now();
    this.shared.save(new Map([...this.windows].filter(([, w]) => Number.isFinite(w.left) && w.resetAt > now)));
  }

  /**
   * Takes what an answer said of the quota (any answer, a 429 included) and wakes the callers
   * waiting on the probe. A success that says nothing of what is left (no X-RateLimit-Remaining)
   * leaves the endpoint unpaced for UNMETERED_MS, unless a window its other answers told of is
   * still open: one answer without headers does not lift it.
   */
  observe(key: string, info: RateLimitInfo | undefined, success = true): void {
    const remaining = info?.remaining;
    const now = this.now();
    const prev = this.windows.get(key);
    if (remaining !== undefined) {
      this.learnt = true;
      // The reset is documented in ms until the window resets; anything else (an epoch) counts as 1 s.
      const reset = info?.reset_ms;
      const resetAt = now + (reset !== undefined && reset < 1e7 ? Math.max(0, reset) : 1_000);
      // Answers arrive out of order: the lowest count in the same window is the truest.
      if (!prev || resetAt > prev.resetAt + 50 || remaining < prev.left) this.windows.set(key, { left: remaining, resetAt });
    } else if (success && (!prev || now >= prev.resetAt)) {
      this.windows.set(key, { left: Infinity, resetAt: now + UNMETERED_MS });
    }
    this.release(key);
  }

  /** A probe ended without telling anything of the quota (an error): let the waiting callers go on. */
  release(key: string): void {
    const probe = this.probing.get(key);
    if (!probe) return;
    this.probing.delete(key);
    for (const wake of probe.waiters) wake();
  }
}
