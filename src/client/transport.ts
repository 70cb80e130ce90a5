/**
 * The HTTP layer: sends one request and hands back the answer, nothing more. A Transport is
 * injectable (tests, the dry run's recording transport); the real one owns one undici Agent per
 * instance configuration (TLS verify, extra CAs and timeouts from the config), and a ProxyAgent
 * when a proxy applies (the `proxy` key, HTTPS_PROXY / HTTP_PROXY, NO_PROXY; never for a loopback
 * or plain-http target), consumes or drains
 * every body, and classifies what went wrong on the wire. Redirects are never followed.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import type { InstanceConfig } from '../base/config-types.js';
import { MAX_JSON_DEPTH, textTooDeep } from '../base/depth.js';
import { ConnectorError } from '../base/errors.js';
import { requestSignal, type AbortEmitter } from './deadline.js';
import { DEADLINE_HINT } from './retry.js';
import { parseProxyUrl, proxyFor, proxySettings, showProxy, type ProxySettings } from './proxy.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Which attempt of its call this is (1, 2...), for the debug trace; the pipeline sets it. */
  attempt?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON; undefined for an empty body. */
  json?: unknown;
  text: string;
  contentType: string;
}

/** A response whose body has not been read yet (binary downloads). */
export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  body: NodeJS.ReadableStream & { text(): Promise<string>; dump(): Promise<void> };
}

export interface Transport {
  /** Sends one request and reads the whole body; `what` names the call in errors ("POST /api/x"). */
  send(req: HttpRequest, what: string): Promise<HttpResponse>;
  /** Sends one request and returns the unread body. */
  open(req: HttpRequest, what: string): Promise<StreamResponse>;
  close(): Promise<void>;
  /** The proxy the base URL is reached through, without credentials ("http://proxy:3128"); undefined when direct. */
  readonly proxy?: string;
}

export interface UndiciTransportOptions {
  /** Per-request timeout (connect, headers, body idle) in ms; default: the config's timeout. */
  requestTimeoutMs?: number;
  /** The largest answer read, in bytes; default: the config's max_response_bytes. */
  maxResponseBytes?: number;
  /** A dispatcher to use instead of a new Agent (tests). */
  dispatcher?: Dispatcher;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT|ERR_SSL)/;
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Classifies a thrown transport error. maybeApplied: the request may have reached Mimecast. */
export function classifyTransportError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || code === 'UND_ERR_ABORTED') {
    return new ConnectorError('timeout', `${what}: the action's time limit ran out before Mimecast answered`, {
      maybeApplied: true,
      hint: DEADLINE_HINT,
    });
  }
  if (TLS_CODES.test(code)) {
    return new ConnectorError('transport_error', `${what}: TLS certificate verification failed (${code})`, {
      code,
      hint: 'Check the base URL; a TLS-inspecting proxy needs its CA in the ca_file setting (a PEM file). verify=false works but is unsafe.',
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ConnectorError('timeout', `${what}: no answer from Mimecast within the timeout (${code})`, {
      code,
      maybeApplied: code !== 'UND_ERR_CONNECT_TIMEOUT',
      retryable: true,
      hint: 'Raise the instance timeout (15-120 s), or try again later.',
    });
  }
  return new ConnectorError('transport_error', `${what}: ${e.message ?? 'network error'}${code ? ` (${code})` : ''}`, {
    code: code || undefined,
    maybeApplied: !NOT_SENT_CODES.has(code),
    retryable: true,
    hint: NOT_SENT_CODES.has(code) ? 'Check the base URL and that this host can reach Mimecast.' : undefined,
  });
}

/**
 * One string per header: a repeated header's values joined with ", ". undici's header names are
 * lower-case already (its documented contract), so its object is turned into ours in place.
 */
function flattenHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  for (const k in h) {
    const v = h[k];
    if (typeof v === 'string') continue;
    if (v === undefined) delete h[k];
    else h[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return h as Record<string, string>;
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

/** Reads a whole body as text + JSON (when it is JSON); a JSON body that does not parse is an error. */
export function parseBody(status: number, headers: Record<string, string>, text: string, what: string): HttpResponse {
  const contentType = headers['content-type'] ?? '';
  let json: unknown;
  const trimmed = text.trimStart();
  if (trimmed && (contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('['))) {
    if (textTooDeep(text)) {
      throw new ConnectorError('api_error', `${what}: Mimecast's answer is nested more than ${MAX_JSON_DEPTH} levels deep; it was not read`, {
        httpStatus: status,
        maybeApplied: true,
      });
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConnectorError('api_error', `${what}: Mimecast returned a malformed JSON body (HTTP ${status}, ${text.length} bytes; truncated?)`, {
        httpStatus: status,
        maybeApplied: true,
        retryable: true,
        hint: 'A proxy or a dropped connection cut the response.',
      });
    }
  }
  return { status, headers, json, text, contentType };
}

/** The real transport: undici's request API on one Agent of this instance's own. */
/** An answer larger than the limit: refused while reading, never buffered whole, never fetched again. */
export function tooLarge(what: string, limit: number): ConnectorError {
  const mb = Math.round((limit / 1024 / 1024) * 10) / 10;
  return new ConnectorError('api_error', `${what}: the answer is larger than ${mb} MB, the most this instance reads (max_response_mb)`, {
    maybeApplied: true,
    hint: 'Narrow the request (dates, page size), or raise max_response_mb in the instance configuration.',
  });
}

/** A body's bytes as UTF-8 text, without a byte order mark (JSON.parse refuses one). */
function decodeUtf8(buf: Buffer): string {
  if (buf.length === 0) return '';
  const bom = buf.length > 2 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  return buf.toString('utf8', bom ? 3 : 0);
}

const NO_BYTES = Buffer.alloc(0);
/** The first buffer of a body that comes in pieces without a declared length. */
const FIRST_CAPACITY = 16 * 1024;

/**
 * A body's bytes as they arrive, in one buffer. Keeping each chunk would keep one Buffer object per
 * chunk: an answer sent a byte at a time would cost far more than its size (8 MB took 1.3 GB). So
 * the first chunk is kept as it is (a body in one piece, the usual case, is never copied), and from
 * the second on the bytes are copied into one buffer: of the declared length when there is one, else
 * doubled as needed (at most `limit`). Memory stays near the body's size whatever the chunking, and
 * a body takes O(log n) allocations, one when its length is declared.
 */
export class BodyBytes {
  /** Buffers allocated so far (what the tests hold the chunking to). */
  allocations = 0;
  size = 0;
  private first?: Buffer;
  private buf?: Buffer;

  constructor(
    private readonly limit: number,
    /** The declared length (NaN without one); never above `limit` (the callers refuse it first). */
    private readonly declared = NaN,
  ) {}

  add(chunk: Buffer): void {
    const size = this.size + chunk.length;
    if (this.buf === undefined) {
      if (this.first === undefined || this.first.length === 0) {
        this.first = chunk;
        this.size = size;
        return;
      }
      this.grow(size, this.first);
      this.first = undefined;
    } else if (size > this.buf.length) this.grow(size, this.buf);
    chunk.copy(this.buf!, this.size);
    this.size = size;
  }

  /** A buffer for at least `size` bytes, holding the `size` bytes so far (from `from`). */
  private grow(size: number, from: Buffer): void {
    const declared = this.declared >= size ? this.declared : 0;
    const capacity = declared || Math.min(Math.max(size, (this.buf?.length ?? FIRST_CAPACITY / 2) * 2), Math.max(size, this.limit));
    const next = Buffer.allocUnsafe(capacity);
    this.allocations++;
    from.copy(next, 0, 0, this.size);
    this.buf = next;
  }

  /** The bytes read (a view, not a copy). */
  bytes(): Buffer {
    return this.buf ? this.buf.subarray(0, this.size) : (this.first ?? NO_BYTES);
  }
}

/** The length an answer declares (NaN without one). */
const declaredLength = (headers: Record<string, string>): number => (headers['content-length'] === undefined ? NaN : Number(headers['content-length']));

/**
 * Reads a body as UTF-8 text into one buffer (BodyBytes: the size of the body, however it is
 * chunked), refusing it as soon as it passes `limit` bytes. 'data' events: no promise per chunk.
 */
export async function readLimited(body: Dispatcher.ResponseData['body'], headers: Record<string, string>, limit: number, what: string): Promise<string> {
  const declared = declaredLength(headers);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw tooLarge(what, limit);
  }
  return new Promise((resolve, reject) => {
    const bytes = new BodyBytes(limit, declared);
    body.on('data', (chunk: Buffer) => {
      if (bytes.size + chunk.length > limit) {
        body.destroy();
        reject(tooLarge(what, limit));
      } else bytes.add(chunk);
    });
    body.once('end', () => resolve(decodeUtf8(bytes.bytes())));
    body.once('error', reject);
  });
}

/** A whole answer as it came off the wire: status, headers (one string each) and the body as text. */
interface WholeAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Reads one whole answer through undici's dispatch handler API: the chunks are collected as they
 * arrive and decoded once, with no stream, no async resource and no promise per answer beyond the
 * caller's. An answer past `limit` bytes (declared or counted) is cut off as soon as that is known.
 * The run's signal (an AbortSignal or undici's EventEmitter alternative) aborts the request at any
 * point, queued, sending or reading; its listener is removed when the answer ends, however it ends.
 */
class WholeAnswerReader implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  private reason?: Error;
  private status = 0;
  private headers: Record<string, string> = {};
  private bytes?: BodyBytes;
  private detach?: () => void;

  constructor(
    private readonly limit: number,
    private readonly what: string,
    signal: AbortSignal | AbortEmitter | undefined,
    private readonly resolve: (answer: WholeAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    if (!signal) return;
    const onAbort = () => this.abort(((signal as { reason?: unknown }).reason as Error) ?? new DOMException('This operation was aborted', 'AbortError'));
    if ('on' in signal) {
      // An emitter is told 'abort' once; on() spares the wrapper once() would build.
      signal.on('abort', onAbort);
      this.detach = () => signal.removeListener('abort', onAbort);
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.detach = () => signal.removeEventListener('abort', onAbort);
    }
  }

  private abort(reason: Error): void {
    // Before undici has started the request, the reason waits for onRequestStart.
    if (this.controller) this.controller.abort(reason);
    else this.reason = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Dispatcher.ResponseData['headers']): void {
    // 1xx: informational, the answer is still to come.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = flattenHeaders(headers);
    const declared = declaredLength(this.headers);
    if (declared > this.limit) controller.abort(tooLarge(this.what, this.limit));
    else this.bytes = new BodyBytes(this.limit, declared);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const bytes = this.bytes;
    if (!bytes) return;
    if (bytes.size + chunk.length > this.limit) controller.abort(tooLarge(this.what, this.limit));
    else bytes.add(chunk);
  }

  onResponseEnd(): void {
    this.detach?.();
    this.resolve({ status: this.status, headers: this.headers, text: this.bytes ? decodeUtf8(this.bytes.bytes()) : '' });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.detach?.();
    this.reject(err);
  }
}

/** An error of the way to the proxy or of its tunnel: nothing reached Mimecast. */
function proxyError(err: unknown, what: string, proxy: string): ConnectorError | undefined {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const refused = /^Proxy response \((\d+)\)/.exec(e.message ?? '');
  if (refused) {
    const status = Number(refused[1]);
    return new ConnectorError('transport_error', `${what}: the proxy ${proxy} refused the tunnel (HTTP ${status})`, {
      httpStatus: status,
      retryable: status >= 500,
      hint:
        status === 407
          ? 'The proxy wants credentials: give them in the proxy URL (http://user:password@host:port).'
          : 'Check that the proxy allows CONNECT to the Mimecast host and port, or exempt the host with NO_PROXY.',
    });
  }
  const code = e.code ?? e.cause?.code ?? '';
  if (NOT_SENT_CODES.has(code) && code !== 'UND_ERR_CONNECT_TIMEOUT') {
    // Through a tunnel the proxy resolves and connects to Mimecast: what failed is the way to the proxy.
    return new ConnectorError('transport_error', `${what}: cannot reach the proxy ${proxy} (${code})`, {
      code,
      retryable: true,
      hint: 'Check the proxy URL (the proxy setting, HTTPS_PROXY or HTTP_PROXY) and that this host can reach it.',
    });
  }
  if (code === 'UND_ERR_PRX_TLS' || code === 'UND_ERR_PRX_CONN') {
    return new ConnectorError('transport_error', `${what}: the connection to the proxy ${proxy} failed (${code})`, {
      code,
      retryable: code === 'UND_ERR_PRX_CONN',
      hint: 'Check the proxy URL (the proxy setting, HTTPS_PROXY or HTTP_PROXY) and that this host can reach it.',
    });
  }
  return undefined;
}

/**
 * undici's ProxyAgent, loaded only when a proxy applies and deep-imported like the Agent (see
 * undici-internals.d.ts). It opens its tunnel with Dispatcher#connect, which undici's index
 * attaches to every dispatcher; the deep import attaches that one method itself.
 */
async function loadProxyAgent() {
  const [{ default: ProxyAgent }, { default: DispatcherClass }, { default: connect }] = await Promise.all([
    import('undici/lib/dispatcher/proxy-agent.js'),
    import('undici/lib/dispatcher/dispatcher.js'),
    import('undici/lib/api/api-connect.js'),
  ]);
  (DispatcherClass.prototype as { connect?: unknown }).connect ??= connect;
  return ProxyAgent;
}

/** Where a request goes: its URL, origin and path with query. */
interface Target {
  readonly url: URL;
  readonly origin: string;
  readonly path: string;
}

export class UndiciTransport implements Transport {
  /** A dispatcher given by the caller (tests): used for every request. */
  private readonly fixed?: Dispatcher;
  private direct?: Dispatcher | Promise<Dispatcher>;
  /** One ProxyAgent per proxy URL in use (an instance normally needs one). */
  private readonly proxied = new Map<string, Promise<Dispatcher>>();
  private readonly proxies: ProxySettings;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly targets = new Map<string, Target>();
  readonly proxy?: string;

  constructor(
    private readonly config: InstanceConfig,
    opts: UndiciTransportOptions = {},
  ) {
    this.maxResponseBytes = opts.maxResponseBytes ?? config.max_response_bytes ?? 64 * 1024 * 1024;
    this.timeoutMs = opts.requestTimeoutMs ?? config.timeout * 1000;
    this.fixed = opts.dispatcher;
    const env = opts.env ?? process.env;
    const raw = proxySettings(config.proxy, env);
    // A proxy URL of the environment is checked like the config key, naming its variable.
    const check = (url: string | undefined, source: string | undefined) => (url ? parseProxyUrl(url, source ?? 'proxy') : undefined);
    this.proxies = { ...raw, http: check(raw.http, raw.source.http), https: check(raw.https, raw.source.https) };
    const viaProxy = this.fixed ? undefined : proxyFor(new URL(config.base_url), this.proxies);
    this.proxy = viaProxy && showProxy(viaProxy);
    // The common case (no proxy, no extra CA) builds its Agent at once: nothing else is loaded.
    if (!this.fixed && !viaProxy && !config.ca_file) this.direct = new UndiciAgent(this.agentOptions({ rejectUnauthorized: config.verify }));
  }

  private agentOptions(tls: Record<string, unknown>) {
    const ms = this.timeoutMs;
    return { connect: { ...tls, timeout: ms }, headersTimeout: ms, bodyTimeout: ms, keepAliveTimeout: 4_000 };
  }

  /** TLS options for Mimecast: verify from the config; ca_file's certificates added to the system's. */
  private async tls(): Promise<Record<string, unknown>> {
    if (!this.config.ca_file) return { rejectUnauthorized: this.config.verify };
    const { rootCertificates } = await import('node:tls');
    return { rejectUnauthorized: this.config.verify, ca: [...rootCertificates, readFileSync(this.config.ca_file, 'utf8')] };
  }

  /** The dispatcher for a request through `proxy` (undefined: direct); built on first use. */
  private dispatcherFor(proxy: string | undefined): Dispatcher | Promise<Dispatcher> {
    if (this.fixed) return this.fixed;
    if (!proxy) return (this.direct ??= this.tls().then((tls) => new UndiciAgent(this.agentOptions(tls))));
    let d = this.proxied.get(proxy);
    if (!d) {
      d = Promise.all([loadProxyAgent(), this.tls()]).then(
        ([ProxyAgent, tls]) =>
          new ProxyAgent({
            uri: proxy,
            // Only remote https targets get here (proxyFor): through a CONNECT tunnel the proxy
            // carries TLS records and never reads a request, so never the secret or the bearer token.
            proxyTunnel: true,
            connectTimeout: this.timeoutMs,
            requestTls: tls,
            proxyTls: tls,
            ...this.agentOptions(tls),
          }),
      );
      this.proxied.set(proxy, d);
    }
    return d;
  }

  /** A request URL taken apart; those without a query (nearly all) are kept, so each is parsed once. */
  private target(url: string): Target {
    let t = this.targets.get(url);
    if (!t) {
      const u = new URL(url);
      t = { url: u, origin: u.origin, path: `${u.pathname}${u.search}` };
      if (!u.search && this.targets.size < 256) this.targets.set(url, t);
    }
    return t;
  }

  /** Where a request goes and through which dispatcher (a promise only while it is being built). */
  private route(req: HttpRequest, what: string): { t: Target; proxy?: string; d: Dispatcher | Promise<Dispatcher> } {
    // undici hears a run's deadline through an emitter, which says nothing of an abort before it is listened to: checked here.
    if (req.signal?.aborted) throw classifyTransportError(req.signal.reason, what);
    const t = this.target(req.url);
    const proxy = this.fixed || !this.proxies.https ? undefined : proxyFor(t.url, this.proxies);
    return { t, proxy, d: this.dispatcherFor(proxy) };
  }

  private failed(err: unknown, what: string, proxy: string | undefined): ConnectorError {
    return (proxy && proxyError(err, what, showProxy(proxy))) || classifyTransportError(err, what);
  }

  private async request(req: HttpRequest, what: string): Promise<Dispatcher.ResponseData> {
    const { t, proxy, d } = this.route(req, what);
    try {
      return await apiRequest.call(d instanceof Promise ? await d : d, {
        origin: t.origin,
        path: t.path,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: req.signal && requestSignal(req.signal),
      });
    } catch (err) {
      throw this.failed(err, what, proxy);
    }
  }

  async send(req: HttpRequest, what: string): Promise<HttpResponse> {
    const { t, proxy, d } = this.route(req, what);
    let answer: WholeAnswer;
    try {
      const dispatcher = d instanceof Promise ? await d : d;
      answer = await new Promise<WholeAnswer>((resolve, reject) => {
        const reader = new WholeAnswerReader(this.maxResponseBytes, what, req.signal && requestSignal(req.signal), resolve, reject);
        dispatcher.dispatch({ origin: t.origin, path: t.path, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body }, reader);
      });
    } catch (err) {
      throw this.failed(err, what, proxy);
    }
    return parseBody(answer.status, answer.headers, answer.text, what);
  }

  async open(req: HttpRequest, what: string): Promise<StreamResponse> {
    const res = await this.request(req, what);
    const headers = flattenHeaders(res.headers);
    // An answer read as text (an error envelope instead of a file) has the same size limit.
    const text = () => readLimited(res.body, headers, this.maxResponseBytes, what);
    return { status: res.statusCode, headers, body: Object.assign(res.body, { text }) as unknown as StreamResponse['body'] };
  }

  async close(): Promise<void> {
    const made = [this.direct, ...this.proxied.values()].filter((d) => d !== undefined);
    await Promise.all(made.map(async (d) => (await d).close().catch(() => undefined)));
  }
}
