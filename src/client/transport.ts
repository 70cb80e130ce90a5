/**
 * The HTTP layer: sends one request and hands back the answer, nothing more. A Transport is
 * injectable (tests, the dry run's recording transport); the real one owns one undici Agent per
 * instance configuration (TLS verify, extra CAs and timeouts from the config), and a ProxyAgent
 * when a proxy applies (the `proxy` key, HTTPS_PROXY / HTTP_PROXY, NO_PROXY; never for a loopback
 * or plain-http target), consumes or drains
 * every body (body.ts, whole-answer.ts), and classifies what went wrong on the wire (wire-errors.ts).
 * Redirects are never followed.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import type { InstanceConfig } from '../base/config-types.js';
import type { ConnectorError } from '../base/errors.js';
import { parseBody, readLimited } from './body.js';
import { requestSignal } from './deadline.js';
import type { HttpRequest, HttpResponse, StreamResponse, Transport } from './http.js';
import { parseProxyUrl, proxyFor, proxySettings, showProxy, type ProxySettings } from './proxy.js';
import { apiRequest, loadProxyAgent, UndiciAgent } from './undici.js';
import { flattenHeaders, WholeAnswerReader, type WholeAnswer } from './whole-answer.js';
import { classifyTransportError, proxyError } from './wire-errors.js';

// The shapes every transport speaks (the dry run's and a platform's own too).
export type { HttpRequest, HttpResponse, StreamResponse, Transport } from './http.js';

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

  /** A request URL taken apart (parsed per request: a cache of them gained nothing the bench could measure). */
  private target(url: string): Target {
    const u = new URL(url);
    return { url: u, origin: u.origin, path: `${u.pathname}${u.search}` };
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
