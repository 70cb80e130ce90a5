/**
 * The base URL guard: every path is called on the configured base URL and nowhere else, so the
 * bearer token never leaves it. Also the shape of one call, as the operations describe it.
 */
import { ConnectorError } from '../base/errors.js';

export type Query = Record<string, string | number | boolean | (string | number | boolean)[]>;

export interface CallOptions {
  method: string;
  path: string;
  query?: Query;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  /** The body's type (default application/json). */
  contentType?: string;
  accept?: string;
}

/**
 * The base URL's origin, and the URLs of the paths called without a query, worked out once per
 * connection (measured: building and checking a URL per call was a few per cent of the connector's
 * own time per run, docs/performance.md).
 */
export class BaseUrl {
  readonly origin: string;
  private readonly known = new Map<string, string>();

  constructor(private readonly base: string) {
    this.origin = new URL(base).origin;
  }

  /** The absolute URL of a path on the base URL, and nowhere else. */
  url(path: string, query?: Query): string {
    const plain = query === undefined || Object.keys(query).length === 0;
    const known = plain ? this.known.get(path) : undefined;
    if (known !== undefined) return known;
    if (!path.startsWith('/') || path.startsWith('//')) throw new ConnectorError('internal_error', `route path must start with a single "/": ${path}`);
    const u = new URL(this.base + path);
    if (u.origin !== this.origin) throw new ConnectorError('input_error', `endpoint leaves the configured base URL: ${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
    }
    const url = u.toString();
    // An action calls a handful of routes; a Generic Action's free paths cannot grow this without bound.
    if (plain && this.known.size < 256) this.known.set(path, url);
    return url;
  }
}
