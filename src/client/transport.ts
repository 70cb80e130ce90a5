/**
 * The HTTP layer: one undici Agent per instance configuration (TLS verify and timeouts from
 * the config), one request, the body always consumed or drained, errors classified.
 */
import type { Dispatcher } from 'undici';
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import type { InstanceConfig } from '../runtime/config.js';
import { ConnectorError } from '../runtime/errors.js';

type Agent = InstanceType<typeof UndiciAgent>;

const agents = new Map<string, Agent>();

/** undici's request(), bound to our Agent (the same API as `undici.request` with a dispatcher). */
function request(url: string, o: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body?: string; dispatcher: Dispatcher; signal?: AbortSignal }): Promise<Dispatcher.ResponseData> {
  const u = new URL(url);
  return apiRequest.call(o.dispatcher, { origin: u.origin, path: `${u.pathname}${u.search}`, method: o.method, headers: o.headers, body: o.body, signal: o.signal });
}

export function agentFor(config: InstanceConfig): Agent {
  const key = `${config.base_url}|${config.verify}|${config.timeout}`;
  let agent = agents.get(key);
  if (!agent) {
    const ms = config.timeout * 1000;
    agent = new UndiciAgent({
      connect: { rejectUnauthorized: config.verify, timeout: ms },
      headersTimeout: ms,
      bodyTimeout: ms,
      keepAliveTimeout: 4_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every Agent (CLI exit, test teardown). */
export async function closeAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close().catch(() => undefined)));
}

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

/** Sends one request and reads the whole body (text + JSON when it is JSON). */
export async function send(agent: Dispatcher, req: HttpRequest, what: string): Promise<HttpResponse> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      signal: req.signal,
    });
  } catch (err) {
    throw classifyTransportError(err, what);
  }
  const headers = flattenHeaders(res.headers);
  let text: string;
  try {
    text = await res.body.text();
  } catch (err) {
    throw classifyTransportError(err, what);
  }
  const contentType = headers['content-type'] ?? '';
  let json: unknown;
  const trimmed = text.trimStart();
  if (trimmed && (contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConnectorError('api_error', `${what}: Mimecast returned a malformed JSON body (HTTP ${res.statusCode}, ${text.length} bytes; truncated?)`, {
        httpStatus: res.statusCode,
        maybeApplied: true,
        retryable: true,
        hint: 'A proxy or a dropped connection cut the response. Read actions are retried; check the state before re-running a write.',
      });
    }
  }
  return { status: res.statusCode, headers, json, text, contentType };
}

/** Sends one request and hands back the raw streaming response (binary downloads). */
export async function open(agent: Dispatcher, req: HttpRequest, what: string): Promise<Dispatcher.ResponseData & { flatHeaders: Record<string, string> }> {
  try {
    const res = await request(req.url, {
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      dispatcher: agent,
      signal: req.signal,
    });
    return Object.assign(res, { flatHeaders: flattenHeaders(res.headers) });
  } catch (err) {
    throw classifyTransportError(err, what);
  }
}
