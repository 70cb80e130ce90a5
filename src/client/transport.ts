/**
 * The HTTP layer: sends one request and hands back the answer, nothing more. A Transport is
 * injectable (tests, the dry run's recording transport); the real one owns one undici Agent per
 * instance configuration (TLS verify and timeouts from the config), consumes or drains every
 * body, and classifies what went wrong on the wire.
 */
import type { Dispatcher } from 'undici';
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import type { InstanceConfig } from '../base/config-types.js';
import { MAX_JSON_DEPTH, textTooDeep } from '../base/depth.js';
import { ConnectorError } from '../base/errors.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
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
}

export interface UndiciTransportOptions {
  /** Per-request timeout (connect, headers, body idle) in ms; default: the config's timeout. */
  requestTimeoutMs?: number;
  /** The largest answer read, in bytes; default: the config's max_response_bytes. */
  maxResponseBytes?: number;
  /** A dispatcher to use instead of a new Agent (tests). */
  dispatcher?: Dispatcher;
}

type Agent = InstanceType<typeof UndiciAgent>;

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
      hint: 'Raise the instance timeout (15-120 s) or narrow the request (dates, page size, number of pages).',
    });
  }
  if (TLS_CODES.test(code)) {
    return new ConnectorError('transport_error', `${what}: TLS certificate verification failed (${code})`, {
      code,
      hint: 'Check the base URL; a TLS-inspecting proxy needs its CA in NODE_EXTRA_CA_CERTS. verify=false works but is unsafe.',
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

function flattenHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
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

/** Reads a body as UTF-8 text, refusing it as soon as it passes `limit` bytes. */
export async function readLimited(body: Dispatcher.ResponseData['body'], headers: Record<string, string>, limit: number, what: string): Promise<string> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw tooLarge(what, limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw tooLarge(what, limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export class UndiciTransport implements Transport {
  private readonly dispatcher: Dispatcher;
  private readonly owned?: Agent;
  private readonly maxResponseBytes: number;

  constructor(config: InstanceConfig, opts: UndiciTransportOptions = {}) {
    this.maxResponseBytes = opts.maxResponseBytes ?? config.max_response_bytes ?? 64 * 1024 * 1024;
    if (opts.dispatcher) {
      this.dispatcher = opts.dispatcher;
    } else {
      const ms = opts.requestTimeoutMs ?? config.timeout * 1000;
      this.owned = new UndiciAgent({
        connect: { rejectUnauthorized: config.verify, timeout: ms },
        headersTimeout: ms,
        bodyTimeout: ms,
        keepAliveTimeout: 4_000,
      });
      this.dispatcher = this.owned;
    }
  }

  private async request(req: HttpRequest, what: string): Promise<Dispatcher.ResponseData> {
    const u = new URL(req.url);
    try {
      return await apiRequest.call(this.dispatcher, {
        origin: u.origin,
        path: `${u.pathname}${u.search}`,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
      });
    } catch (err) {
      throw classifyTransportError(err, what);
    }
  }

  async send(req: HttpRequest, what: string): Promise<HttpResponse> {
    const res = await this.request(req, what);
    const headers = flattenHeaders(res.headers);
    let text: string;
    try {
      text = await readLimited(res.body, headers, this.maxResponseBytes, what);
    } catch (err) {
      throw classifyTransportError(err, what);
    }
    return parseBody(res.statusCode, headers, text, what);
  }

  async open(req: HttpRequest, what: string): Promise<StreamResponse> {
    const res = await this.request(req, what);
    const headers = flattenHeaders(res.headers);
    // An answer read as text (an error envelope instead of a file) has the same size limit.
    const text = () => readLimited(res.body, headers, this.maxResponseBytes, what);
    return { status: res.statusCode, headers, body: Object.assign(res.body, { text }) as unknown as StreamResponse['body'] };
  }

  async close(): Promise<void> {
    await this.owned?.close().catch(() => undefined);
  }
}
