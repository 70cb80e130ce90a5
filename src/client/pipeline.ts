/**
 * The request pipeline of one action run: URL building (the base URL and nowhere else), the
 * bearer token with one refresh-and-replay on 401, retries by the rules in retry.ts, HTTP status
 * → typed errors, and accounting (requests, rate-limit headers) for the result's meta.
 */
import { isLoopbackHost, type InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { errorTypeFor, metaStatus, readFailures, readRestErrors, type Failure } from './envelope.js';
import { seconds, type ProgressListener } from './progress.js';
import { rateLimitInfo, type QuotaPacer, type RateLimitInfo } from './pacing.js';

export type { RateLimitInfo };
import { retryAfter, type RetryContext, type RetryOptions } from './retry.js';
import type { TokenCallContext } from './token.js';
import { waitFromHeaders, type HttpRequest, type HttpResponse, type StreamResponse, type Transport } from './transport.js';

/** What one run did: the result envelope's meta and failures come from here. */
export interface RunStats {
  requests: number;
  pages: number;
  rateLimit?: RateLimitInfo;
  failures: Failure[];
  succeeded: number;
  /** A paged read that stopped before its last page: the token of the first page not fetched. */
  nextPageToken?: string;
  /** What stopped a paged read after some pages (the rows so far are kept: the run is partial). */
  stoppedBy?: ConnectorError;
  /** The items a write accounted for (every one comes back as a success or a failure). */
  items?: number;
  /** Failures whose key named no item that was sent: reported, but not counted as items. */
  strays?: Set<Failure>;
  /** A list split into calls: how many calls and items there were, and how many were sent. */
  chunks?: { calls: number; items: number; callsSent: number; itemsSent: number };
}

/** Where the bearer token comes from (the connection's token store, or the dry run's placeholder). */
export interface TokenSource {
  /** A token at hand without waiting, when there is one. */
  cached?(): string | undefined;
  get(ctx: TokenCallContext): Promise<string>;
  invalidate(token: string): void;
}

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

export interface PipelineOptions {
  config: InstanceConfig;
  transport: Transport;
  tokens: TokenSource;
  readOnly: boolean;
  retry: RetryOptions;
  deadline: AbortSignal;
  deadlineAt: number;
  /** The Mimecast permission the action needs, for permission_error hints. */
  permission?: string;
  /** A dry run: the transport records instead of sending, so nothing counts as a request. */
  dryRun?: boolean;
  /** The most requests (token requests included) this run may make; default: the config's max_calls. */
  maxCalls?: number;
  /** Told about pages, calls and waits (nothing is printed without it). */
  progress?: ProgressListener;
  /** The connection's quota pacer (none in a dry run). */
  pacer?: QuotaPacer;
  /** The connection's base URL (built from the config when not given). */
  baseUrl?: BaseUrl;
}

/** The base URL's origin, and the URLs of the paths called without a query, worked out once per connection. */
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

/** Releases an answer that is not used: a read answer holds nothing; an unread body is drained. */
const ignore = async (): Promise<void> => undefined;
const dump = (r: StreamResponse): Promise<void> => r.body.dump().catch(() => undefined);

/** A Mimecast /api/* answer: a JSON object with meta, data or fail. */
function isEnvelope(json: unknown): boolean {
  return !!json && typeof json === 'object' && !Array.isArray(json) && ('meta' in json || 'data' in json || 'fail' in json);
}

/** What came back instead of an envelope, described for a person: its type and first bytes, printable only. */
function notAnEnvelope(res: HttpResponse, what: string): ConnectorError {
  const type = res.contentType || 'no content type';
  const head = res.text
    .slice(0, 120)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim();
  const shown = head ? `: "${head}${res.text.length > 120 ? '…' : ''}"` : ' (an empty body)';
  return new ConnectorError(
    'api_error',
    `${what}: Mimecast answered HTTP ${res.status} with something that is not a Mimecast answer (${type}, ${res.text.length} bytes)${shown}`,
    {
      httpStatus: res.status,
      maybeApplied: true,
      hint: 'A proxy, a login page or a wrong base URL answered instead of Mimecast; check the base URL and the network path.',
    },
  );
}

/** The first Mimecast error of a 401 answer: read from an answer read whole, or from a small unread body (a download's). */
async function unauthorizedReason(res: object): Promise<Failure | undefined> {
  let json = (res as Partial<HttpResponse>).json;
  const body = (res as Partial<StreamResponse>).body;
  if (json === undefined && body && typeof body.text === 'function') {
    try {
      json = JSON.parse(await body.text());
    } catch {
      json = undefined;
    }
  }
  return [...readFailures(json), ...readRestErrors(json)][0];
}

/** A Mimecast answer whose meta.status is 5xx inside HTTP 200: a server-side failure, like an HTTP 5xx. */
function serverErrorInside(res: HttpResponse, status: number, what: string): ConnectorError {
  const first = readFailures(res.json)[0];
  const detail = first ? `: ${first.message} (${first.code})` : '';
  return new ConnectorError('api_error', `${what}: Mimecast reported status ${status} inside HTTP 200${detail}`, {
    httpStatus: status,
    code: first?.code,
    requestId: res.headers['x-request-id'] ?? res.headers['x-mc-request-id'],
    retryable: true,
    maybeApplied: true,
    hint: 'A server-side problem at Mimecast; try again later.',
  });
}

/** A redirect is never followed: the bearer token goes to the base URL and nowhere else. */
function redirected(res: HttpResponse, what: string, common: { httpStatus: number; requestId?: string }): ConnectorError {
  let where = '';
  try {
    // Origin and path only: a query can carry a credential.
    const to = new URL(res.headers.location ?? '', 'invalid:/');
    if (to.protocol !== 'invalid:') where = ` to ${to.origin}${to.pathname}`;
  } catch {
    where = '';
  }
  return new ConnectorError('api_error', `${what}: Mimecast answered HTTP ${res.status}, a redirect${where}; redirects are not followed`, {
    ...common,
    hint: 'The bearer token is only sent to the base URL. Check the base URL (its region and scheme), or a proxy that redirects.',
  });
}

export class RequestPipeline {
  readonly stats: RunStats = { requests: 0, pages: 0, failures: [], succeeded: 0 };
  /** The most API calls this run may make (max_calls). */
  readonly maxCalls: number;
  /** Requests started so far (each attempt counts, and so does a token request). */
  private calls = 0;
  /** Calls sent whose answer was not read to the end: a deadline then may have cut a write that reached Mimecast. */
  private inFlight = 0;
  private readonly base: BaseUrl;

  constructor(private readonly o: PipelineOptions) {
    this.base = o.baseUrl ?? new BaseUrl(o.config.base_url);
    this.maxCalls = o.maxCalls ?? o.config.max_calls ?? 1000;
  }

  get config(): InstanceConfig {
    return this.o.config;
  }

  /**
   * Refuses a request past max_calls. The operations check what they need before the first call
   * (nothing sent: an input_error); a refusal here comes after this run's first requests went out,
   * so it is a run-time stop (rate_limited: this run's own limit, like the pacer's), never the
   * input_error that promises nothing was sent. A paged read it stops is partial, with a resume token.
   */
  private takeCall(what: string): void {
    if (this.calls >= this.maxCalls) throw this.budgetSpent(what);
    this.calls++;
  }

  private budgetSpent(what: string): ConnectorError {
    return new ConnectorError(
      'rate_limited',
      `${what}: this run has made ${this.calls} requests (token requests included), the most it may make (max_calls ${this.maxCalls}); stopped before the next`,
      {
        field: 'max_calls',
        code: 'max_calls_reached',
        hint: 'The requests before it were sent; nothing after. Narrow the request, or raise max_calls in the configuration or with --max-calls for this run.',
      },
    );
  }

  /** Requests this run has made so far (token requests included; max_calls bounds them). */
  get callsMade(): number {
    return this.calls;
  }

  /** Whether a token is at hand without a request (a token request counts against max_calls). */
  get tokenAtHand(): boolean {
    return this.o.tokens.cached?.() !== undefined;
  }

  private count(): void {
    if (!this.o.dryRun) this.stats.requests++;
  }

  get permission(): string | undefined {
    return this.o.permission;
  }

  /** The proxy the base URL is reached through (no credentials), or undefined when direct. */
  get proxy(): string | undefined {
    return this.o.transport.proxy;
  }

  /** Tells the run's progress listener, if any. */
  progress: ProgressListener = (event) => this.o.progress?.(event);

  /** Builds the absolute URL for a path on the configured base URL, and nowhere else. */
  url(path: string, query?: Query): string {
    return this.base.url(path, query);
  }

  private request(c: CallOptions, token: string, attempt: number): HttpRequest {
    const hasBody = c.body !== undefined;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: c.accept ?? 'application/json' };
    if (hasBody) headers['content-type'] = c.contentType ?? 'application/json';
    return {
      method: c.method,
      url: this.url(c.path, c.query),
      headers,
      body: hasBody ? (typeof c.body === 'string' ? c.body : JSON.stringify(c.body)) : undefined,
      signal: this.o.deadline,
      attempt,
    };
  }

  private async fetchToken(): Promise<string> {
    // A token is only fetched for a request: with the budget spent, that request would be refused anyway.
    if (this.calls >= this.maxCalls) throw this.budgetSpent('POST /oauth/token');
    try {
      return await this.o.tokens.get({
        signal: this.o.deadline,
        onRequest: () => {
          this.calls++;
          this.count();
        },
      });
    } catch (e) {
      // Nothing of the action was sent yet: a failed token call is safe to retry for writes too.
      if (e instanceof ConnectorError)
        return Promise.reject(e.with({ retryable: e.type !== 'auth_error' && (e.retryable || e.type === 'timeout'), maybeApplied: false }));
      throw e;
    }
  }

  /** Runs one exchange with a token; on a 401 refreshes the token once and replays once. */
  private async authorized<R extends { status: number; headers: Record<string, string> }>(
    exchange: (token: string) => Promise<R>,
    discard: (r: R) => Promise<void>,
  ): Promise<R> {
    // A cached token is used as it is: no promise, no tick.
    let token = this.o.tokens.cached?.() ?? (await this.fetchToken());
    let res = await exchange(token);
    if (res.status !== 401) return res;
    await discard(res);
    this.o.tokens.invalidate(token);
    token = await this.fetchToken();
    res = await exchange(token);
    if (res.status === 401) {
      // Mimecast's own code says why (err_xdk_invalid_signature, ...): it reaches error.code.
      const first = await unauthorizedReason(res);
      await discard(res);
      throw new ConnectorError('auth_error', `Mimecast refused a freshly issued token (HTTP 401)${first ? `: ${first.message} (${first.code})` : ''}`, {
        httpStatus: 401,
        code: first?.code,
        requestId: res.headers['x-request-id'] ?? res.headers['x-mc-request-id'],
        hint: 'The API application may have been disabled or its credentials revoked; check it in Integrations Hub → Mimecast API 2.0.',
      });
    }
    return res;
  }

  /**
   * Runs attempt(1), then, only if it failed, the retry loop (retry.ts) for attempts 2, 3...: a call
   * that succeeds at once, nearly every call, builds no retry context.
   */
  private async retrying<T>(attempt: (n: number) => Promise<T>, readOnly = this.o.readOnly): Promise<T> {
    try {
      return await attempt(1);
    } catch (error) {
      let n = 1;
      const ctx: RetryContext = {
        readOnly,
        options: this.o.retry,
        deadline: this.o.deadline,
        deadlineAt: this.o.deadlineAt,
        inFlight: () => this.inFlight > 0,
        onWait: this.o.progress,
      };
      return retryAfter(ctx, error, () => attempt(++n));
    }
  }

  /**
   * One request on the wire: paced to the endpoint's quota, counted against the run's call budget
   * and in meta.requests, tracked until answered; its rate-limit headers feed the pacer. The pacer's
   * keys are paths on the base URL's origin: `endpoint` undefined (a request to another origin, a
   * file host's link) is not paced, and its rate-limit headers, which say nothing of Mimecast's
   * quota, are ignored.
   */
  private async exchange<R extends { status: number; headers: Record<string, string> }>(
    endpoint: string | undefined,
    what: string,
    start: () => Promise<R>,
  ): Promise<R> {
    const pacer = endpoint === undefined ? undefined : this.o.pacer;
    const key = endpoint ?? '';
    if (pacer && !pacer.tryTake(key)) {
      await pacer.acquire(key, this.o.deadlineAt, this.o.deadline, (ms) =>
        this.progress({
          kind: 'wait',
          reason: 'rate_limited',
          ms,
          attempt: 1,
          message: `${what}: the Mimecast quota of this endpoint is spent; waiting ${seconds(ms)} for it to reset`,
        }),
      );
    }
    this.takeCall(what);
    this.count();
    // tracked(), inline: this is every request's path.
    this.inFlight++;
    let res: R;
    try {
      res = await start();
      this.ended();
    } catch (e) {
      this.ended(e);
      pacer?.release(key);
      throw e;
    }
    if (endpoint === undefined) return res;
    // Every answer passes here once: its rate-limit headers are read once, for meta and the pacer.
    const rl = rateLimitInfo(res.headers);
    if (rl) this.stats.rateLimit = rl;
    pacer?.observe(endpoint, rl, res.status >= 200 && res.status < 300);
    return res;
  }

  /**
   * Runs one exchange, counted as unfinished until its answer has been read; one that failed after
   * it may have reached Mimecast stays counted (the deadline's error may be handled after it).
   */
  private async tracked<T>(exchange: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      const result = await exchange();
      this.ended();
      return result;
    } catch (e) {
      this.ended(e);
      throw e;
    }
  }

  /** An exchange is over: it stops counting as unfinished, unless it failed after it may have reached Mimecast. */
  private ended(error?: unknown): void {
    if (!(error instanceof ConnectorError && error.maybeApplied)) this.inFlight--;
  }

  /**
   * One call whose whole answer is read: token, retries, 401 replay; a non-2xx answer throws, and
   * so does, with `envelope`, an answer that is not a Mimecast envelope (an HTML login page, text, {}).
   */
  send(c: CallOptions & { envelope?: boolean }): Promise<HttpResponse> {
    const what = `${c.method} ${c.path}`;
    return this.retrying((attempt) => this.sendOnce(c, what, attempt));
  }

  /** One attempt of send(). */
  private async sendOnce(c: CallOptions & { envelope?: boolean }, what: string, attempt: number): Promise<HttpResponse> {
    const res = await this.authorized((token) => this.exchange(c.path, what, () => this.o.transport.send(this.request(c, token, attempt), what)), ignore);
    this.check(res, what);
    if (c.envelope && !isEnvelope(res.json)) throw notAnEnvelope(res, what);
    // A read answered meta.status 5xx inside HTTP 200 is retried like an HTTP 5xx. A write's answer is
    // kept: the call may have been applied, and its items are accounted from it (never re-sent).
    if (c.envelope && this.o.readOnly) {
      const status = metaStatus(res.json);
      if (status !== undefined && status >= 500) throw serverErrorInside(res, status, what);
    }
    return res;
  }

  /**
   * One call whose body is handed back unread (downloads), with the same token, retry and 401
   * handling. `wanted` decides, from the status and headers, whether the body is the file; if it
   * is, `use` consumes it; otherwise it is read as an answer, checked (an error answer throws) and
   * handed to `onAnswer`.
   */
  open<T>(c: CallOptions, wanted: (res: StreamResponse) => boolean, use: (res: StreamResponse) => Promise<T>, onAnswer: (res: HttpResponse) => T): Promise<T> {
    const what = `${c.method} ${c.path}`;
    return this.retrying(async (attempt) => {
      const res = await this.authorized((token) => this.exchange(c.path, what, () => this.o.transport.open(this.request(c, token, attempt), what)), dump);
      if (wanted(res)) return this.tracked(() => use(res));
      return onAnswer(await this.readAnswer(res, what));
    });
  }

  /**
   * Fetches a file from a link Mimecast answered with (get-file on API 2.0 may answer JSON that
   * links to the file). On the base URL's origin the bearer token goes with it; on any other
   * origin (a pre-signed link) no credential does, and the answer's rate-limit headers are not
   * taken for Mimecast's. A link must be https; plain http only to a loopback host and only when
   * the base URL is loopback too (a local simulator or test server, never a remote tenant's link).
   * Redirects are never followed. A GET of a link changes nothing, so it is retried like a read.
   */
  fetchLink<T>(link: string, use: (res: StreamResponse) => Promise<T>): Promise<T> {
    let u: URL;
    try {
      u = new URL(link, this.o.config.base_url);
    } catch {
      throw new ConnectorError('api_error', 'Mimecast answered with a file link that is not a URL');
    }
    const localOnly = u.protocol === 'http:' && isLoopbackHost(u.hostname) && isLoopbackHost(new URL(this.o.config.base_url).hostname);
    if (u.protocol !== 'https:' && !localOnly) {
      throw new ConnectorError('api_error', `Mimecast answered with a file link that is not https (${u.protocol}); it was not fetched`);
    }
    const sameOrigin = u.origin === this.base.origin;
    // A pre-signed link's query is a credential: errors name the origin and path only.
    const what = `GET ${sameOrigin ? u.pathname : `${u.origin}${u.pathname}`}`;
    const exchange = (attempt: number, token?: string) => {
      const headers: Record<string, string> = { accept: '*/*' };
      if (token) headers.authorization = `Bearer ${token}`;
      return this.exchange(sameOrigin ? u.pathname : undefined, what, () =>
        this.o.transport.open({ method: 'GET', url: u.toString(), headers, signal: this.o.deadline, attempt }, what),
      );
    };
    return this.retrying(async (attempt) => {
      const res = sameOrigin ? await this.authorized((token) => exchange(attempt, token), dump) : await exchange(attempt);
      if (res.status >= 200 && res.status < 300) return this.tracked(() => use(res));
      const answer = await this.readAnswer(res, what);
      this.check(answer, what);
      throw new ConnectorError('api_error', `${what}: the file link answered HTTP ${res.status}`, { httpStatus: res.status });
    }, true);
  }

  /** Reads an unread body as an answer (JSON when it is JSON) and checks its status. */
  private async readAnswer(res: StreamResponse, what: string): Promise<HttpResponse> {
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return this.check({ status: res.status, headers: res.headers, json, text, contentType: res.headers['content-type'] ?? '' }, what);
  }

  /** The one hint of a permission_error: the permission the manifest names, else the role in general. */
  permissionHint(): string {
    return this.o.permission
      ? `Give the API application's role the "${this.o.permission}" permission in Mimecast (Administration → Roles).`
      : "The API application's role lacks the permission for this call (Administration → Roles).";
  }

  /** Throws the right ConnectorError for a non-2xx answer. */
  check(res: HttpResponse, what: string): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    const failures = [...readFailures(res.json), ...readRestErrors(res.json)];
    const first = failures[0];
    const requestId = res.headers['x-request-id'] ?? res.headers['x-mc-request-id'];
    const detail = first ? `: ${first.message} (${first.code})` : '';
    const common = { httpStatus: res.status, code: first?.code, requestId, field: first?.field };
    if (res.status === 429) {
      throw new ConnectorError('rate_limited', `${what}: Mimecast rate limit reached (HTTP 429)`, {
        ...common,
        retryable: true,
        waitMs: waitFromHeaders(res.headers),
        hint: 'Mimecast did not run the call; it is retried after the wait Mimecast asks for.',
      });
    }
    if (res.status === 403) {
      throw new ConnectorError('permission_error', `${what}: Mimecast refused the call (HTTP 403)${detail}`, {
        ...common,
        hint: this.permissionHint(),
      });
    }
    if (res.status === 404) {
      throw new ConnectorError('not_found', `${what}: Mimecast answered HTTP 404${detail}`, {
        ...common,
        hint: first ? undefined : 'The path does not exist on this base URL; check the path and the region of the base URL.',
      });
    }
    if (res.status >= 500) {
      const html = res.contentType.includes('html') || /^\s*</.test(res.text);
      throw new ConnectorError('api_error', `${what}: Mimecast answered HTTP ${res.status}${html ? ' (an HTML error page)' : ''}${detail}`, {
        ...common,
        retryable: true,
        maybeApplied: true,
        hint: 'A server-side problem at Mimecast; try again later.',
      });
    }
    if (res.status >= 300 && res.status < 400) throw redirected(res, what, common);
    const emptyBody = res.text.trim() === '';
    throw new ConnectorError(errorTypeFor(first?.code, res.status), `${what}: Mimecast answered HTTP ${res.status}${detail}`, {
      ...common,
      hint: res.status === 400 && emptyBody ? 'HTTP 400 with an empty body usually means a truncated or malformed Mimecast ID; copy the whole ID.' : undefined,
    });
  }
}
