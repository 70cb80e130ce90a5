/**
 * The confirmation of a write: its first call sends nothing and answers with its dry run and a
 * token; the token sends that write, with exactly those arguments, once, within 5 minutes. A
 * token that does not fit (another tool, other arguments) is spent too: the caller starts over
 * with a new dry run rather than trying variations against a live token.
 */
import { randomBytes } from 'node:crypto';
import type { ConfirmedVia } from '../journal/types.js';

export const CONFIRMATION_TTL_MS = 5 * 60_000;

/** The most tokens waiting at once; past it the oldest is dropped (a client that never confirms cannot grow the map). */
const MAX_PENDING = 1000;

/** JSON with every object's keys sorted: two argument objects that say the same thing give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface Pending {
  tool: string;
  args: string;
  expiresAt: number;
  /** How the user confirmed it: through the assistant ('mcp'), or asked by the server and agreed ('mcp_elicitation'). */
  via: ConfirmedVia;
}

export class Confirmations {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number,
    readonly ttlMs = CONFIRMATION_TTL_MS,
  ) {}

  /** A new token for this tool and these arguments (`via`: the user already agreed when the server asked). */
  issue(tool: string, args: Record<string, unknown>, via: ConfirmedVia = 'mcp'): { token: string; expires_at: string } {
    const now = this.now();
    for (const [t, p] of this.#pending) if (p.expiresAt <= now) this.#pending.delete(t);
    if (this.#pending.size >= MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value!);
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now + this.ttlMs;
    this.#pending.set(token, { tool, args: canonicalJson(args), expiresAt, via });
    return { token, expires_at: new Date(expiresAt).toISOString() };
  }

  /** Spends the token: how it was confirmed when it confirms this tool with these arguments, else why not. */
  redeem(tool: string, args: Record<string, unknown>, token: string): { via: ConfirmedVia } | { problem: string } {
    const p = this.#pending.get(token);
    this.#pending.delete(token);
    if (!p) return { problem: 'is not a token this server issued, or it was used already (a token sends its write once)' };
    if (p.expiresAt <= this.now()) return { problem: `expired (a token is valid for ${Math.round(this.ttlMs / 60_000)} minutes)` };
    if (p.tool !== tool) return { problem: `was issued for the tool ${p.tool}, not ${tool}` };
    if (p.args !== canonicalJson(args)) return { problem: 'was issued for other arguments (a token confirms only the arguments of its dry run)' };
    return { via: p.via };
  }
}
