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
 * The base URL and its origin, worked out once per connection. A path's URL is built and checked
 * on every call: a cache of them gained nothing the bench could measure (docs/performance.md).
 */
export class BaseUrl {
  readonly origin: string;

  constructor(private readonly base: string) {
    this.origin = new URL(base).origin;
  }

  /** The absolute URL of a path on the base URL, and nowhere else. */
  url(path: string, query?: Query): string {
    if (!path.startsWith('/') || path.startsWith('//')) throw new ConnectorError('internal_error', `route path must start with a single "/": ${path}`);
    const u = new URL(this.base + path);
    if (u.origin !== this.origin) throw new ConnectorError('input_error', `endpoint leaves the configured base URL: ${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
    }
    return u.toString();
  }
}
