/**
 * The shared Mimecast client: token, retries, 401 refresh-and-replay, envelope parsing,
 * pagination, chunking of long lists, binary downloads. Handlers call it and never
 * authenticate, retry or parse envelopes themselves.
 *
 * Retry policy: 429 is retried on any action (Mimecast did not run the function), waiting
 * what Retry-After / X-RateLimit-Reset ask; 5xx, timeouts and dropped connections only for
 * read-only calls. A write is never re-sent after it may have reached Mimecast.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, renameSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pRetry from 'p-retry';
import type { Dispatcher } from 'undici';
import type { InstanceConfig } from '../runtime/config.js';
import { ConnectorError } from '../runtime/errors.js';
import { log } from '../runtime/redact.js';
import { errorTypeFor, metaStatus, readFailures, readRestErrors, rowsAt, type Envelope, type Failure } from './envelope.js';
import { TokenProvider, type TokenCacheMode } from './token.js';
import { agentFor, open, send, waitFromHeaders, type HttpResponse } from './transport.js';

export { waitFromHeaders };

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  /** Longest 429 wait honoured; a longer ask fails the action as rate_limited. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, minTimeout: 500, maxTimeout: 8_000, maxWaitMs: 60_000 };

export interface ClientOptions {
  tokenCache?: TokenCacheMode;
  cacheDir?: string;
  now?: () => number;
  retry?: Partial<RetryOptions>;
  /** One deadline for the whole action (default: 4 × timeout). */
  deadlineMs?: number;
  dryRun?: boolean;
  /** The Mimecast permission the action needs, for permission_error hints. */
  permission?: string;
  agent?: Dispatcher;
}

export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  reset_ms?: number;
}

export interface DryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RunStats {
  requests: number;
  pages: number;
  rateLimit?: RateLimitInfo;
  failures: Failure[];
  succeeded: number;
  dryRun: DryRunRequest[];
}

export interface CallOptions {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  body?: unknown;
  readOnly: boolean;
  accept?: string;
}

export interface FileOutput {
  file_name: string;
  path: string;
  size: number;
  sha256: string;
  content_type: string;
}

export interface PageResult<T = unknown> {
  rows: T[];
  pages: number;
  totalCount?: number;
  /** Set when the page limit stopped the walk while Mimecast had more. */
  nextPageToken?: string;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });

function rateLimitInfo(h: Record<string, string>): RateLimitInfo | undefined {
  if (h['x-ratelimit-limit'] === undefined && h['x-ratelimit-remaining'] === undefined) return undefined;
  const num = (v: string | undefined) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
  return { limit: num(h['x-ratelimit-limit']), remaining: num(h['x-ratelimit-remaining']), reset_ms: num(h['x-ratelimit-reset']) };
}

const DRY_RUN_BODY: Envelope = { meta: { status: 200 }, data: [], fail: [] };

export class MimecastClient {
  readonly stats: RunStats = { requests: 0, pages: 0, failures: [], succeeded: 0, dryRun: [] };
  private readonly agent: Dispatcher;
  private readonly tokens: TokenProvider;
  private readonly retry: RetryOptions;
  private readonly deadline: AbortSignal;
  private readonly deadlineAt: number;
  private readonly baseUrl: URL;

  constructor(
    private readonly config: InstanceConfig,
    private readonly opts: ClientOptions = {},
  ) {
    this.agent = opts.agent ?? agentFor(config);
    const deadlineMs = opts.deadlineMs ?? config.timeout * 4000;
    this.deadline = AbortSignal.timeout(deadlineMs);
    this.deadlineAt = Date.now() + deadlineMs;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.baseUrl = new URL(config.base_url);
    this.tokens = new TokenProvider(config, this.agent, {
      cache: opts.tokenCache ?? 'file',
      cacheDir: opts.cacheDir,
      now: opts.now,
      signal: this.deadline,
      onRequest: () => this.stats.requests++,
    });
  }

  get dryRun(): boolean {
    return this.opts.dryRun === true;
  }

  /** Builds the absolute URL for a path on the configured base URL, and nowhere else. */
  url(path: string, query?: CallOptions['query']): string {
    if (!path.startsWith('/') || path.startsWith('//')) throw new ConnectorError('internal_error', `route path must start with a single "/": ${path}`);
    const u = new URL(this.config.base_url + path);
    if (u.origin !== this.baseUrl.origin) throw new ConnectorError('input_error', `endpoint leaves the configured base URL: ${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item));
    }
    return u.toString();
  }

  private async token(): Promise<string> {
    try {
      return await this.tokens.get();
    } catch (e) {
      if (e instanceof ConnectorError) {
        // Nothing of the action was sent yet: a failed token call is safe to retry for writes too.
        throw new ConnectorError(e.type, e.message, {
          hint: e.hint, httpStatus: e.httpStatus, code: e.code, retryable: e.type !== 'auth_error' && (e.retryable || e.type === 'timeout'), maybeApplied: false, waitMs: e.waitMs,
        });
      }
      throw e;
    }
  }

  private retryable(e: unknown, readOnly: boolean): boolean {
    if (!(e instanceof ConnectorError)) return false;
    if (e.type === 'rate_limited') return true;
    if (!e.retryable) return false;
    return readOnly || !e.maybeApplied;
  }

  private async withRetry<T>(readOnly: boolean, fn: () => Promise<T>): Promise<T> {
    return pRetry(fn, {
      retries: this.retry.retries,
      minTimeout: this.retry.minTimeout,
      maxTimeout: this.retry.maxTimeout,
      factor: 2,
      randomize: true,
      maxRetryTime: Math.max(0, this.deadlineAt - Date.now()),
      signal: this.deadline,
      shouldRetry: ({ error }) => this.retryable(error, readOnly),
      onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
        if (!(error instanceof ConnectorError) || retriesLeft === 0 || !this.retryable(error, readOnly)) return;
        log.debug(`retrying after: ${error.message}`);
        if (error.type === 'rate_limited') {
          const wait = error.waitMs ?? 1000;
          const left = this.deadlineAt - Date.now();
          if (wait > this.retry.maxWaitMs || wait > left) {
            throw new ConnectorError('rate_limited', `Mimecast rate limit: it asks to wait ${Math.ceil(wait / 1000)} s, more than this action can wait`, {
              httpStatus: 429,
              hint: 'The application has used its API quota; run the action again later or lower its frequency.',
            });
          }
          await sleep(wait - retryDelay, this.deadline);
        }
      },
    }).catch((e: unknown) => {
      if (!readOnly && e instanceof ConnectorError && e.maybeApplied && e.type !== 'rate_limited' && !e.hint?.includes('not re-sent')) {
        // Say so when a write was not repeated because it may already have been applied.
        throw new ConnectorError(e.type, e.message, {
          httpStatus: e.httpStatus, code: e.code, requestId: e.requestId, field: e.field, maybeApplied: true,
          hint: `${e.hint ? `${e.hint} ` : ''}The request was not re-sent because it may have reached Mimecast; check the state before running it again.`,
        });
      }
      if (this.deadline.aborted && !(e instanceof ConnectorError)) {
        throw new ConnectorError('timeout', "the action's time limit ran out", { hint: 'Raise the instance timeout (15-120 s) or narrow the request.' });
      }
      throw e;
    });
  }

  private headers(token: string, accept: string, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { authorization: `Bearer ${token}`, accept };
    if (hasBody) h['content-type'] = 'application/json';
    return h;
  }

  /** Runs fn with a token; on a 401 refreshes the token once and replays once. */
  private async authorized<R extends { status: number }>(fn: (token: string) => Promise<R>, drain: (r: R) => Promise<void>): Promise<R> {
    let token = await this.token();
    let res = await fn(token);
    if (res.status === 401) {
      await drain(res);
      this.tokens.invalidate(token);
      token = await this.token();
      res = await fn(token);
      if (res.status === 401) {
        await drain(res);
        throw new ConnectorError('auth_error', 'Mimecast refused a freshly issued token (HTTP 401)', {
          httpStatus: 401,
          hint: 'The API application may have been disabled or its credentials revoked; check it in Integrations Hub → Mimecast API 2.0.',
        });
      }
    }
    return res;
  }

  /** One API call: token, retries, 401 replay; throws ConnectorError for any non-2xx answer. */
  async call(o: CallOptions): Promise<HttpResponse> {
    const url = this.url(o.path, o.query);
    const hasBody = o.body !== undefined;
    const body = hasBody ? (typeof o.body === 'string' ? o.body : JSON.stringify(o.body)) : undefined;
    const what = `${o.method} ${o.path}`;
    const accept = o.accept ?? 'application/json';
    if (this.dryRun) {
      this.stats.dryRun.push({ method: o.method, url, headers: { authorization: 'Bearer <token>', accept, ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: o.body });
      return { status: 200, headers: {}, json: DRY_RUN_BODY, text: JSON.stringify(DRY_RUN_BODY), contentType: 'application/json' };
    }
    return this.withRetry(o.readOnly, async () => {
      const res = await this.authorized(
        (token) => {
          this.stats.requests++;
          return send(this.agent, { method: o.method, url, headers: this.headers(token, accept, hasBody), body, signal: this.deadline }, what);
        },
        async () => undefined,
      );
      return this.check(res, what);
    });
  }

  /** Throws the right ConnectorError for a non-2xx response; records rate-limit headers. */
  private check(res: HttpResponse, what: string): HttpResponse {
    const rl = rateLimitInfo(res.headers);
    if (rl) this.stats.rateLimit = rl;
    if (res.status >= 200 && res.status < 300) return res;
    const failures = [...readFailures(res.json), ...readRestErrors(res.json)];
    const first = failures[0];
    const requestId = res.headers['x-request-id'] ?? res.headers['x-mc-request-id'];
    const detail = first ? `: ${first.message} (${first.code})` : '';
    const common = { httpStatus: res.status, code: first?.code, requestId, field: first?.field };
    if (res.status === 429) {
      throw new ConnectorError('rate_limited', `${what}: Mimecast rate limit reached (HTTP 429)`, { ...common, retryable: true, waitMs: waitFromHeaders(res.headers), hint: 'Mimecast did not run the call; it is retried after the wait Mimecast asks for.' });
    }
    if (res.status === 403) {
      throw new ConnectorError('permission_error', `${what}: Mimecast refused the call (HTTP 403)${detail}`, {
        ...common,
        hint: this.opts.permission
          ? `Give the API application's role the "${this.opts.permission}" permission in Mimecast (Administration → Roles).`
          : "The API application's role lacks the permission for this call (Administration → Roles).",
      });
    }
    if (res.status === 404) {
      throw new ConnectorError('not_found', `${what}: Mimecast answered HTTP 404${detail}`, { ...common, hint: first ? undefined : 'The path does not exist on this base URL; check the path and the region of the base URL.' });
    }
    if (res.status >= 500) {
      const html = res.contentType.includes('html') || /^\s*</.test(res.text);
      throw new ConnectorError('api_error', `${what}: Mimecast answered HTTP ${res.status}${html ? ' (an HTML error page)' : ''}${detail}`, {
        ...common,
        retryable: true,
        maybeApplied: true,
        hint: 'A server-side problem at Mimecast. Read actions were retried; a write is not re-sent because it may have been applied, so check the state before running it again.',
      });
    }
    const emptyBody = res.text.trim() === '';
    throw new ConnectorError(errorTypeFor(first?.code, res.status), `${what}: Mimecast answered HTTP ${res.status}${detail}`, {
      ...common,
      hint: res.status === 400 && emptyBody ? 'HTTP 400 with an empty body usually means a truncated or malformed Mimecast ID; copy the whole ID.' : undefined,
    });
  }

  /** An error for a call whose fail[] / meta.status reports that the whole operation failed. */
  private envelopeError(what: string, failures: Failure[], status?: number): ConnectorError {
    const first = failures[0];
    if (!first) {
      const type = errorTypeFor(undefined, status);
      return new ConnectorError(type, `${what}: Mimecast reported status ${status} inside HTTP 200`, {
        httpStatus: status,
        hint: type === 'permission_error' && this.opts.permission ? `Give the API application's role the "${this.opts.permission}" permission.` : undefined,
      });
    }
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more error${failures.length > 2 ? 's' : ''})` : '';
    const type = errorTypeFor(first.code);
    return new ConnectorError(type, `${what}: ${first.message} (${first.code})${more}`, {
      code: first.code,
      field: first.field,
      hint: type === 'permission_error' && this.opts.permission ? `Give the API application's role the "${this.opts.permission}" permission.` : undefined,
    });
  }

  /** A single /api/* operation: fail[] or meta.status other than 200 is an error of the whole call. */
  async legacyOne(path: string, item?: Record<string, unknown>, o: { readOnly: boolean; meta?: Record<string, unknown> } = { readOnly: true }): Promise<Envelope> {
    const data = item ? [item] : [];
    const res = await this.call({ method: 'POST', path, body: o.meta ? { meta: o.meta, data } : { data }, readOnly: o.readOnly });
    const env = (res.json ?? {}) as Envelope;
    const failures = readFailures(env);
    const status = metaStatus(env);
    if (failures.length || (status !== undefined && status !== 200)) throw this.envelopeError(`POST ${path}`, failures, status);
    return env;
  }

  /**
   * Several independent /api/* operations: items are split into calls of at most chunkSize,
   * successes are returned, failures (fail[], per-item false flags, meta.status) are recorded
   * per item in stats.failures. If a call fails outright after others succeeded, its items and
   * the items not yet sent are recorded as failures and no further call is made.
   */
  async legacy<T = Record<string, unknown>>(
    path: string,
    items: Record<string, unknown>[],
    o: {
      readOnly: boolean;
      chunkSize?: number;
      successFlag?: string;
      /**
       * For endpoints whose one data entry answers for many inputs (search-hash: hashStatus[] and
       * failedHashes[]): turns an entry into the successes and failures it holds.
       */
      explode?: (entry: Record<string, unknown>) => { ok: T[]; failures: Failure[] };
    },
  ): Promise<T[]> {
    const size = Math.max(1, o.chunkSize ?? Math.max(1, items.length));
    const out: T[] = [];
    for (let i = 0; i < items.length; i += size) {
      const chunk = items.slice(i, i + size);
      let env: Envelope;
      try {
        env = ((await this.call({ method: 'POST', path, body: { data: chunk }, readOnly: o.readOnly })).json ?? {}) as Envelope;
      } catch (e) {
        if (i === 0 || !(e instanceof ConnectorError)) throw e;
        for (const key of chunk) this.stats.failures.push({ code: e.code ?? e.type, message: e.message, key });
        for (const key of items.slice(i + size)) {
          this.stats.failures.push({ code: 'not_sent', message: 'Not sent: an earlier call of this action failed', key });
        }
        return out;
      }
      const failures = readFailures(env);
      const status = metaStatus(env);
      if (status !== undefined && status !== 200 && failures.length === 0) {
        for (const key of chunk) this.stats.failures.push({ code: `status_${status}`, message: `Mimecast reported status ${status} for this call`, key });
        continue;
      }
      this.stats.failures.push(...failures);
      for (const d of Array.isArray(env.data) ? env.data : []) {
        const rec = d as Record<string, unknown>;
        if (o.explode && rec && typeof rec === 'object') {
          const { ok, failures: itemFailures } = o.explode(rec);
          this.stats.failures.push(...itemFailures);
          this.stats.succeeded += ok.length;
          out.push(...ok);
          continue;
        }
        if (o.successFlag && rec && rec[o.successFlag] === false) {
          this.stats.failures.push({ code: `${o.successFlag}_failed`, message: `Mimecast answered ${o.successFlag}: false for this item`, key: rec });
          continue;
        }
        this.stats.succeeded++;
        out.push(d as T);
      }
    }
    return out;
  }

  /**
   * Records the outcome of an arbitrary /api/* envelope (Generic Action): fail[] entries are
   * failures, data[] entries successes, meta.status other than 200 a failure of the call.
   */
  recordEnvelope(body: unknown): void {
    const env = (body ?? {}) as Envelope;
    const failures = readFailures(env);
    const status = metaStatus(env);
    if (status !== undefined && status !== 200 && failures.length === 0) {
      this.stats.failures.push({ code: `status_${status}`, message: `Mimecast reported status ${status} inside HTTP 200` });
      return;
    }
    this.stats.failures.push(...failures);
    this.stats.succeeded += Array.isArray(env.data) ? env.data.length : 1;
  }

  /** Walks meta.pagination.next → pageToken until the last page, the page limit or a repeated token. */
  async paginate<T = unknown>(
    path: string,
    item: Record<string, unknown> | undefined,
    o: { pageSize: number; maxPages?: number; resultPath: string; hardMaxPages?: number },
  ): Promise<PageResult<T>> {
    const rows: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    let totalCount: number | undefined;
    let nextPageToken: string | undefined;
    const limit = o.maxPages ?? o.hardMaxPages ?? 1000;
    for (;;) {
      const meta = { pagination: { pageSize: o.pageSize, ...(token ? { pageToken: token } : {}) } };
      const env = await this.legacyOne(path, item, { readOnly: true, meta });
      pages++;
      this.stats.pages++;
      rows.push(...(rowsAt(env, o.resultPath) as T[]));
      const p = env.meta?.pagination;
      if (pages === 1 && typeof p?.totalCount === 'number') totalCount = p.totalCount;
      const next = typeof p?.next === 'string' && p.next ? p.next : undefined;
      if (!next) break;
      if (seen.has(next)) {
        log.warn(`POST ${path}: Mimecast repeated a page token; stopped paging after ${pages} page(s)`);
        break;
      }
      seen.add(next);
      if (pages >= limit) {
        nextPageToken = next;
        break;
      }
      token = next;
    }
    return { rows, pages, totalCount, nextPageToken };
  }

  /**
   * A binary route: the file is streamed to outputDir on success; a JSON body is Mimecast's
   * error envelope and becomes an error, never a saved file.
   */
  async download(req: Omit<CallOptions, 'accept'>, o: { outputDir?: string; fallbackName: string }): Promise<FileOutput> {
    const url = this.url(req.path, req.query);
    const hasBody = req.body !== undefined;
    const body = hasBody ? (typeof req.body === 'string' ? req.body : JSON.stringify(req.body)) : undefined;
    const what = `${req.method} ${req.path}`;
    if (this.dryRun) {
      this.stats.dryRun.push({ method: req.method, url, headers: { authorization: 'Bearer <token>', accept: '*/*', ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: req.body });
      return { file_name: o.fallbackName, path: '', size: 0, sha256: '', content_type: '' };
    }
    return this.withRetry(req.readOnly, async () => {
      const res = await this.authorized(
        async (token) => {
          this.stats.requests++;
          const r = await open(this.agent, { method: req.method, url, headers: this.headers(token, '*/*', hasBody), body, signal: this.deadline }, what);
          return Object.assign(r, { status: r.statusCode });
        },
        async (r) => {
          await r.body.dump().catch(() => undefined);
        },
      );
      const headers = res.flatHeaders;
      const contentType = headers['content-type'] ?? 'application/octet-stream';
      if (res.status < 200 || res.status >= 300 || /json/i.test(contentType)) {
        const text = await res.body.text();
        let json: unknown;
        try {
          json = text.trim() ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const checked = this.check({ status: res.status, headers, json, text, contentType }, what);
        const failures = readFailures(checked.json);
        if (failures.length || json !== undefined) {
          throw failures.length
            ? this.envelopeError(what, failures)
            : new ConnectorError('api_error', `${what}: Mimecast returned JSON instead of a file`, { hint: 'The ID may not refer to a file; check it with Get Message Details.' });
        }
      }
      const rl = rateLimitInfo(headers);
      if (rl) this.stats.rateLimit = rl;
      return this.saveStream(res.body, headers, contentType, o);
    });
  }

  private async saveStream(stream: NodeJS.ReadableStream, headers: Record<string, string>, contentType: string, o: { outputDir?: string; fallbackName: string }): Promise<FileOutput> {
    const dir = o.outputDir ?? mkdtempSync(join(tmpdir(), 'mimecast-connector-'));
    mkdirSync(dir, { recursive: true });
    const name = safeFileName(fileNameFromDisposition(headers['content-disposition']) ?? o.fallbackName);
    let target = join(dir, name);
    for (let n = 1; existsSync(target); n++) {
      const dot = name.lastIndexOf('.');
      target = join(dir, dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`);
    }
    const part = `${target}.${randomBytes(4).toString('hex')}.part`;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(part, { mode: 0o600 }));
    } catch (e) {
      rmSync(part, { force: true });
      // The request reached Mimecast: a read is retried, a write is not re-sent.
      throw new ConnectorError('transport_error', `the file download was cut off: ${(e as Error).message}`, { retryable: true, maybeApplied: true });
    }
    renameSync(part, target);
    return { file_name: basename(target), path: target, size, sha256: hash.digest('hex'), content_type: contentType };
  }
}

export function fileNameFromDisposition(cd: string | undefined): string | undefined {
  if (!cd) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(cd);
  return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}

/** A file name that cannot escape the output directory or hide control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^\.+/, '').trim();
  return (cleaned || 'attachment').slice(0, 200);
}
