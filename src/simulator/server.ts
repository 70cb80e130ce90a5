/**
 * The embedded Mimecast API 2.0 simulator: a stateful stand-in over real HTTP on loopback.
 * OAuth token endpoint, the /api/* routes the actions use (route modules in routes/), the
 * real envelope (meta, data, fail), pagination, rate-limit headers and switchable faults.
 *
 * Test control endpoints (loopback only, never part of Mimecast):
 *   POST /__sim/faults   body: Fault      queue a fault
 *   POST /__sim/reset                      state, faults, logs back to the start
 *   GET  /__sim/requests                   the requests received (bodies parsed)
 *   GET  /__sim/stats                      { token_requests, api_requests }
 *
 * Pre-signed file links (archive get-file) are served by a second listener on the same host, the
 * "download host": another origin, like Mimecast's, which refuses a request that carries an
 * Authorization header (as S3 does: one auth mechanism per request) and a link whose signature
 * or expiry does not hold. Its requests are recorded with the others (path /files/...).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { routeModules } from '../generated/simulator-routes.js';
import { CALL_CAPS } from './caps.js';
import { clockFromEnv } from './clock.js';
import { FAULT_KINDS, type Fault, type FailEntry, type RouteHandler, type SimContext, type SimRequest, type SimResponse, type StateSlot } from './types.js';

export const SIM_CLIENT_ID = 'sim-client-id';
export const SIM_CLIENT_SECRET = 'sim-client-secret-0123456789';

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** client_id → client_secret accepted by /oauth/token. */
  clients?: Record<string, string>;
  tokenTtlSec?: number;
  rateLimit?: number;
  /** The quota window in ms (default 60000). */
  rateWindowMs?: number;
  /** Answer 429 once an endpoint's quota for the window is spent (Mimecast's quota is per app and endpoint). */
  enforceRateLimit?: boolean;
  /**
   * The simulator's clock: the "now" its time-based records are seeded around and its tokens
   * expire by. Default: the fixed instant of MIMECAST_SIMULATOR_NOW when it is set, else the real clock.
   */
  now?: () => Date;
  /** Serve https:// with this key and certificate (tests of TLS, private CAs and proxies). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /**
   * SIEM events per 30 seconds (default 2: 5,760 in the stream's 24 h). More gives a poller a
   * large backlog to read (the bench's 20,000 and 100,000 events).
   */
  siemEventsPer30s?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly stats: { token_requests: number; api_requests: number; rate_limited?: number };
  readonly credentials: { client_id: string; client_secret: string };
  /** The simulator's clock (SimulatorOptions.now): tests build their date windows from it. */
  now(): Date;
  fault(f: Fault): void;
  /** Invalidates every issued token (the next API call gets 401). */
  expireTokens(): void;
  reset(): void;
  /**
   * Direct access to route-module state (tests): the value of a slot a route module declares
   * (defineState), e.g. `members(sim)` for directory.ts's `members` slot.
   */
  state<T>(slot: StateSlot<T>): T;
  close(): Promise<void>;
}

const b64url = (b: Buffer): string => b.toString('base64url');
/** How long a pre-signed file link holds (Mimecast's links expire; 5 minutes here). */
const LINK_TTL_MS = 5 * 60_000;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) throw new Error('the simulator listens on loopback only');
  const clients = opts.clients ?? { [SIM_CLIENT_ID]: SIM_CLIENT_SECRET };
  const ttl = opts.tokenTtlSec ?? 1799;
  const limit = opts.rateLimit ?? 800;
  const now = opts.now ?? clockFromEnv() ?? (() => new Date());
  if (opts.siemEventsPer30s !== undefined && !(Number.isInteger(opts.siemEventsPer30s) && opts.siemEventsPer30s >= 1))
    throw new Error('siemEventsPer30s must be a positive whole number');

  const routes = new Map<string, RouteHandler>();
  for (const m of routeModules) for (const [k, h] of Object.entries(m.routes)) routes.set(k, h);

  /** Route-module state, keyed by the slot (defineState) itself. */
  let state = new Map<StateSlot<unknown>, unknown>();
  /** Pre-signed links: key → the file and when the link expires (epoch ms). */
  let links = new Map<string, { name: string; contentType: string; content: Buffer; expires: number }>();
  const linkSecret = randomBytes(32);
  let filesUrl = '';
  let faults: Fault[] = [];
  const tokens = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const stats: Simulator['stats'] = { token_requests: 0, api_requests: 0 };
  const windowMs = opts.rateWindowMs ?? 60_000;
  const enforce = opts.enforceRateLimit === true;
  /** Quota windows: one per endpoint when enforced, else one for all (headers only). */
  let windows = new Map<string, { start: number; remaining: number }>();
  const windowFor = (path: string) => {
    const key = enforce ? path : '*';
    let w = windows.get(key);
    if (!w || Date.now() - w.start >= windowMs) {
      w = { start: Date.now(), remaining: limit };
      windows.set(key, w);
    }
    return w;
  };

  const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({ status, json: body, headers });
  const gatewayFail = (status: number, code: string, message: string): SimResponse => json(status, { fail: [{ code, message }] });

  const ctx: SimContext = {
    state<T>(slot: StateSlot<T>): T {
      if (!state.has(slot)) state.set(slot, slot.init(ctx));
      return state.get(slot) as T;
    },
    newId(prefix = 'eNo') {
      return `${prefix}${b64url(randomBytes(48))}`;
    },
    ok(data, fail = [], pagination) {
      return json(200, { meta: { status: 200, ...(pagination ? { pagination } : {}) }, data, fail });
    },
    failItem(key, code, message, field): FailEntry {
      return { key, errors: [{ code, message, ...(field ? { field } : {}), retryable: false }] };
    },
    page(req, rows, wrap) {
      const p = (req.body?.meta?.pagination ?? {}) as { pageSize?: number; pageToken?: string };
      const size = Math.max(1, Math.min(Number(p.pageSize) || 25, 500));
      let offset = 0;
      if (p.pageToken) {
        // Only a token this simulator issued is valid ("!!!" decodes to "", which must not mean offset 0).
        const m = /^offset:(\d+)$/.exec(Buffer.from(String(p.pageToken), 'base64url').toString('utf8'));
        const n = m ? Number(m[1]) : NaN;
        if (!Number.isSafeInteger(n) || n < 0)
          return json(200, { meta: { status: 200 }, data: [], fail: [ctx.failItem(p, 'err_invalid_page_token', 'The page token is not valid', 'pageToken')] });
        offset = n;
      }
      const slice = rows.slice(offset, offset + size);
      const pagination: Record<string, unknown> = { pageSize: slice.length, totalCount: rows.length };
      if (offset + size < rows.length) pagination.next = b64url(Buffer.from(`offset:${offset + size}`));
      if (offset > 0) pagination.previous = b64url(Buffer.from(`offset:${Math.max(0, offset - size)}`));
      return ctx.ok(wrap ? wrap(slice) : slice, [], pagination);
    },
    items(req) {
      const data = req.body?.data;
      if (!Array.isArray(data)) throw Object.assign(new Error('data must be an array'), { simStatus: 400 });
      return data as Record<string, unknown>[];
    },
    now,
    siemEventsPer30s: opts.siemEventsPer30s ?? 2,
    presign(file) {
      const key = b64url(randomBytes(18));
      const expires = now().getTime() + LINK_TTL_MS;
      links.set(key, { ...file, expires });
      const sig = createHmac('sha256', linkSecret).update(`${key}.${expires}`).digest('hex');
      return `${filesUrl}/files/${key}?X-Amz-Expires=${expires}&X-Amz-Signature=${sig}`;
    },
  };

  function takeFault(path: string): Fault | undefined {
    const i = faults.findIndex((f) => (f.path ? f.path === path : path !== '/oauth/token' && !path.startsWith('/__sim/')));
    if (i < 0) return undefined;
    const f = faults[i];
    if (f.after) {
      f.after--;
      return undefined;
    }
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  function rateHeaders(path: string): Record<string, string> {
    const w = windowFor(path);
    w.remaining = Math.max(0, w.remaining - 1);
    return {
      // Mimecast names each answer; support quotes it, and the connector's journal keeps it.
      'x-request-id': randomUUID(),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(w.remaining),
      'x-ratelimit-reset': String(Math.max(0, windowMs - (Date.now() - w.start))),
    };
  }

  /** Mimecast's 429: the quota is spent until the reset (ms), said in the rate-limit headers. */
  const tooManyRequests = (resetMs: number, retryAfter?: string): SimResponse => ({
    status: 429,
    json: { fail: [{ code: 'too_many_requests', message: 'Rate limit exceeded' }] },
    headers: {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetMs),
      ...(retryAfter ? { 'retry-after': retryAfter } : {}),
    },
  });

  /**
   * The waits of 'slow' faults still running. reset() and close() cut them short and the held
   * request is dropped: left running, a wait would answer (and apply its write) after the test that
   * queued it, and its timer would keep the process alive for the rest of its delay after close().
   */
  const waits = new Set<() => void>();
  /** Resolves true once `ms` have passed, false when reset() or close() cut the wait short. */
  const slowAnswer = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const end = (waited: boolean) => {
        clearTimeout(timer);
        waits.delete(cut);
        resolve(waited);
      };
      const cut = () => end(false);
      const timer = setTimeout(() => end(true), ms);
      waits.add(cut);
    });
  const cutWaits = () => {
    for (const cut of [...waits]) cut();
  };

  async function handle(req: SimRequest): Promise<SimResponse> {
    if (req.path.startsWith('/__sim/')) return control(req);
    // Every request received counts, including the ones a queued fault answers.
    if (req.path === '/oauth/token') stats.token_requests++;
    else stats.api_requests++;
    const fault = takeFault(req.path);
    if (fault) {
      switch (fault.kind) {
        case 'slow':
          if (!(await slowAnswer(fault.delayMs ?? 1000))) return { status: -1 };
          break;
        case 'expire_token':
          tokens.clear();
          break;
        case 'rate_limit':
          return tooManyRequests(fault.resetMs ?? 1000, fault.retryAfter);
        case 'status':
          return gatewayFail(fault.status ?? 500, 'server_error', 'Simulated server error');
        case 'html':
          return {
            status: fault.status ?? 502,
            body: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
            headers: { 'content-type': 'text/html' },
          };
        case 'truncated':
          return { status: 200, body: '{"meta":{"status":200},"data":[{"id":"trunc', headers: { 'content-type': 'application/json' } };
        case 'reset':
          return { status: -1 };
        case 'fail_item': {
          // Mimecast's partial failure: HTTP 200, nothing done, the item refused in fail[].
          const data = (req.body as { data?: unknown[] } | undefined)?.data;
          const key = Array.isArray(data) && data.length ? data[0] : (req.body ?? {});
          return ctx.ok([], [ctx.failItem(key, fault.code ?? 'err_simulated_failure', 'Simulated item failure', undefined)]);
        }
        case 'apply_then_fail': {
          await serve(req); // the write happens; its answer is thrown away
          return fault.status ? gatewayFail(fault.status, 'server_error', 'Simulated server error') : { status: -1 };
        }
      }
    }
    return serve(req);
  }

  /** The answer of a request no fault intercepted: the token endpoint, or an authorised /api/* route. */
  async function serve(req: SimRequest): Promise<SimResponse> {
    if (req.path === '/oauth/token') return token(req);
    if (enforce) {
      const w = windowFor(req.path);
      if (w.remaining <= 0) {
        stats.rate_limited = (stats.rate_limited ?? 0) + 1;
        return tooManyRequests(Math.max(0, windowMs - (Date.now() - w.start)));
      }
    }
    const auth = String(req.headers.authorization ?? '');
    const m = /^Bearer (.+)$/.exec(auth);
    const exp = m ? tokens.get(m[1]) : undefined;
    if (!m || exp === undefined) return gatewayFail(401, 'unauthorized', 'The access token is missing, invalid or revoked');
    if (exp <= now().getTime()) {
      tokens.delete(m[1]);
      return gatewayFail(401, 'token_expired', 'The access token has expired');
    }
    const handler = routes.get(`${req.method} ${req.path}`);
    if (!handler) {
      const other = [...routes.keys()].some((k) => k.endsWith(` ${req.path}`));
      return other
        ? json(405, { fail: [{ code: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}` }] })
        : json(404, { fail: [{ code: 'not_found', message: `No route ${req.path}` }] });
    }
    try {
      const cap = CALL_CAPS[`${req.method} ${req.path}`];
      if (cap !== undefined && Array.isArray(req.body?.data) && req.body.data.length > cap) return overCap(req.body.data, cap);
      return await handler(req, ctx);
    } catch (e) {
      const status = (e as { simStatus?: number }).simStatus ?? 500;
      return json(status, {
        meta: { status },
        data: [],
        fail: [{ errors: [{ code: status === 400 ? 'err_validation_bad_request' : 'server_error', message: (e as Error).message, retryable: false }] }],
      });
    }
  }

  /** A call with more items than its route takes (caps.ts): Mimecast refuses every item and applies none. */
  const overCap = (items: unknown[], cap: number): SimResponse =>
    ctx.ok(
      [],
      items.map((item) => ctx.failItem(item, 'err_validation_max_items', `At most ${cap} items can be sent per request`, 'data')),
    );

  function token(req: SimRequest): SimResponse {
    if (req.method !== 'POST') return json(405, { fail: [{ code: 'method_not_allowed', message: 'POST only' }] });
    const form = new URLSearchParams(req.rawBody);
    if (form.get('grant_type') !== 'client_credentials')
      return json(400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    const id = form.get('client_id') ?? '';
    const secret = form.get('client_secret') ?? '';
    if (!Object.prototype.hasOwnProperty.call(clients, id) || clients[id] !== secret) {
      return json(401, { fail: [{ code: 'InvalidClientIdentifier', message: 'Client authentication failed' }] });
    }
    const t = b64url(randomBytes(21));
    tokens.set(t, now().getTime() + ttl * 1000);
    return json(200, { access_token: t, token_type: 'Bearer', expires_in: ttl, scope: '' });
  }

  function control(req: SimRequest): SimResponse {
    if (req.path === '/__sim/faults' && req.method === 'POST') {
      // A mistyped fault would otherwise be consumed by the next request and do nothing.
      const kind = (req.body as Partial<Fault> | undefined)?.kind;
      if (!kind || !(FAULT_KINDS as readonly string[]).includes(kind))
        return json(400, { error: `unknown fault kind ${JSON.stringify(kind)}; one of ${FAULT_KINDS.join(', ')}` });
      api.fault(req.body as Fault);
      return json(200, { ok: true });
    }
    if (req.path === '/__sim/reset' && req.method === 'POST') {
      api.reset();
      return json(200, { ok: true });
    }
    if (req.path === '/__sim/requests') return json(200, requests);
    if (req.path === '/__sim/stats') return json(200, stats);
    return json(404, { error: 'unknown control endpoint' });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://sim');
    let body: unknown;
    if (rawBody && String(req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ fail: [{ code: 'err_json_parse', message: 'The request body is not valid JSON' }] }));
        return;
      }
    }
    const simReq: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody };
    if (!url.pathname.startsWith('/__sim/')) {
      requests.push({
        method: simReq.method,
        path: simReq.path,
        query: Object.fromEntries(url.searchParams),
        headers: { ...req.headers },
        body: body ?? (rawBody || undefined),
      });
    }
    const out = await handle(simReq);
    if (out.status === -1) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...(url.pathname.startsWith('/__sim/') ? {} : rateHeaders(url.pathname)), ...out.headers };
    let payload: Buffer | string = '';
    if (out.json !== undefined) {
      payload = JSON.stringify(out.json);
      headers['content-type'] ??= 'application/json';
    } else if (out.body !== undefined) payload = out.body;
    res.writeHead(out.status ?? 200, headers);
    res.end(payload);
  }

  /** The download host: GET /files/<key>?X-Amz-Expires&X-Amz-Signature, never with a token. */
  async function onFileRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req); // drain
    const url = new URL(req.url ?? '/', 'http://files');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: undefined,
    });
    const xml = (status: number, code: string, message: string): void =>
      void res
        .writeHead(status, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    if (req.headers.authorization !== undefined)
      return xml(
        400,
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      );
    const key = /^\/files\/([A-Za-z0-9_-]+)$/.exec(url.pathname)?.[1] ?? '';
    const link = links.get(key);
    const expires = Number(url.searchParams.get('X-Amz-Expires'));
    const sig = createHmac('sha256', linkSecret).update(`${key}.${expires}`).digest('hex');
    if (req.method !== 'GET' || !link || link.expires !== expires || url.searchParams.get('X-Amz-Signature') !== sig)
      return xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided');
    if (expires <= now().getTime()) return xml(403, 'AccessDenied', 'Request has expired');
    res.writeHead(200, { 'content-type': link.contentType, 'content-disposition': `attachment; filename="${link.name}"` }).end(link.content);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ fail: [{ code: 'simulator_error', message: String((e as Error).message) }] }));
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener) : createServer(listener);
  // Long enough that clients keep their sockets (undici closes one whose server hint is under its 2 s threshold).
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const fileListener = (req: IncomingMessage, res: ServerResponse) => {
    onFileRequest(req, res).catch(() => res.destroy());
  };
  const files: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, fileListener) : createServer(fileListener);
  await new Promise<void>((resolve, reject) => {
    files.once('error', reject);
    files.listen(0, host, () => resolve());
  });
  filesUrl = `${opts.tls ? 'https' : 'http'}://${urlHost}:${(files.address() as AddressInfo).port}`;

  const api: Simulator = {
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    requests,
    stats,
    credentials: { client_id: Object.keys(clients)[0], client_secret: Object.values(clients)[0] },
    now,
    fault(f) {
      faults.push({ ...f, times: f.times ?? 1 });
    },
    expireTokens() {
      tokens.clear();
    },
    reset() {
      cutWaits();
      state = new Map();
      links = new Map();
      faults = [];
      tokens.clear();
      requests.length = 0;
      stats.token_requests = 0;
      stats.api_requests = 0;
      delete stats.rate_limited;
      windows = new Map();
    },
    state: (slot) => ctx.state(slot),
    close() {
      // A slow fault's timer is stopped too: nothing of the simulator outlives close().
      cutWaits();
      const closed = [server, files].map(
        (srv) =>
          new Promise<void>((resolve) => {
            srv.closeAllConnections?.();
            srv.close(() => resolve());
          }),
      );
      return Promise.all(closed).then(() => undefined);
    },
  };
  return api;
}
