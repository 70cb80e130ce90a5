/**
 * The request pipeline of one action run: the steps of steps/ around the transport's one `send`,
 * in this order (outermost first):
 *
 *   retry → classify → auth → pace → budget → write safety → transport
 *
 * A retry replays everything below it (a fresh token if need be, the pacer's say, the budget); a
 * status is classified once per attempt, after the 401 replay; the pacer holds a call before the
 * budget counts it; only a request that goes out is counted and tracked. Downloads and file links
 * run the same steps, with their own handling of the answer in place of classify.
 */
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { checkStatus, permissionHint } from './answer-errors.js';
import { BaseUrl, type CallOptions } from './base-url.js';
import { linkRequest } from './file-link.js';
import { OutcomeLedger } from './ledger.js';
import type { QuotaPacer } from './pacing.js';
import type { ProgressListener } from './progress.js';
import type { RetryOptions } from './retry.js';
import { authStep, tokenFetcher, type TokenSource } from './steps/auth.js';
import { budgetStep, CallBudget } from './steps/budget.js';
import { classifyStep } from './steps/classify.js';
import { paceStep } from './steps/pace.js';
import { retryStep } from './steps/retry.js';
import { compose, wireRequest, type AnswerStep, type Send, type WireRequest } from './steps/step.js';
import { InFlight } from './steps/write-safety.js';
import type { HttpRequest, HttpResponse, StreamResponse, Transport } from './transport.js';

export type { RateLimitInfo } from './pacing.js';

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

export class RequestPipeline {
  /** What this run did and what became of it: the result envelope's meta and failures come from here. */
  readonly ledger = new OutcomeLedger();
  private readonly budget: CallBudget;
  private readonly inFlight = new InFlight();
  private readonly base: BaseUrl;
  private readonly retry: ReturnType<typeof retryStep>;
  /** A request through auth, pacing, budget and write safety, its answer read whole / handed back unread. */
  private readonly sendWire: Send<HttpResponse>;
  private readonly wire: AnswerStep[];
  /** Built on first use: only downloads and file links open a body unread. */
  private opened?: Send<StreamResponse>;
  /** sendWire with the retries and the classification of the answer. */
  private readonly sendCall: Send<HttpResponse>;

  constructor(private readonly o: PipelineOptions) {
    this.base = o.baseUrl ?? new BaseUrl(o.config.base_url);
    this.budget = new CallBudget(o.maxCalls ?? o.config.max_calls ?? 1000, this.ledger, o.dryRun);
    const wire: AnswerStep[] = [
      authStep(o.tokens, tokenFetcher(o.tokens, this.budget, o.deadline)),
      paceStep({ pacer: o.pacer, ledger: this.ledger, deadline: o.deadline, deadlineAt: o.deadlineAt, progress: this.progress }),
      budgetStep(this.budget),
      this.inFlight.step,
    ];
    this.sendWire = compose(wire, (req) => o.transport.send(this.http(req), req.what));
    this.wire = wire;
    this.retry = retryStep({ retry: o.retry, deadline: o.deadline, deadlineAt: o.deadlineAt, inFlight: this.inFlight.any, onWait: o.progress });
    this.sendCall = this.retry(classifyStep(o.permission)(this.sendWire));
  }

  get config(): InstanceConfig {
    return this.o.config;
  }

  /** The most API calls this run may make (max_calls). */
  get maxCalls(): number {
    return this.budget.max;
  }

  /** Requests this run has made so far (token requests included; max_calls bounds them). */
  get callsMade(): number {
    return this.budget.made;
  }

  /** Whether a token is at hand without a request (a token request counts against max_calls). */
  get tokenAtHand(): boolean {
    return this.o.tokens.cached?.() !== undefined;
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
  url(path: string, query?: CallOptions['query']): string {
    return this.base.url(path, query);
  }

  /** The request on the wire: built per attempt, with the token the auth step chose. */
  private http(req: WireRequest): HttpRequest {
    const hasBody = req.body !== undefined;
    const accept = req.accept ?? 'application/json';
    const headers: Record<string, string> = req.token ? { authorization: `Bearer ${req.token}`, accept } : { accept };
    if (hasBody) headers['content-type'] = req.contentType ?? 'application/json';
    return {
      method: req.method,
      url: req.url ?? this.url(req.path, req.query),
      headers,
      body: hasBody ? (typeof req.body === 'string' ? req.body : JSON.stringify(req.body)) : undefined,
      signal: this.o.deadline,
      attempt: req.attempt,
    };
  }

  private get openWire(): Send<StreamResponse> {
    return (this.opened ??= compose(this.wire, (req) => this.o.transport.open(this.http(req), req.what)));
  }

  /** A call of this action, on its way into the steps. */
  private call(c: CallOptions & { envelope?: boolean }): WireRequest {
    // Field by field, not a spread of `c`: every request keeps one shape (see wireRequest).
    const { method, path, query, body, contentType, accept, envelope } = c;
    return wireRequest({
      method,
      path,
      query,
      body,
      contentType,
      accept,
      envelope,
      what: `${method} ${path}`,
      endpoint: path,
      readOnly: this.o.readOnly,
      attempt: 1,
    });
  }

  /**
   * One call whose whole answer is read: token, retries, 401 replay; a non-2xx answer throws, and
   * so does, with `envelope`, an answer that is not a Mimecast envelope (an HTML login page, text, {}).
   */
  send(c: CallOptions & { envelope?: boolean }): Promise<HttpResponse> {
    return this.sendCall(this.call(c));
  }

  /**
   * One call whose body is handed back unread (downloads), with the same token, retry and 401
   * handling. `wanted` decides, from the status and headers, whether the body is the file; if it
   * is, `use` consumes it; otherwise it is read as an answer, checked (an error answer throws) and
   * handed to `onAnswer`.
   */
  open<T>(c: CallOptions, wanted: (res: StreamResponse) => boolean, use: (res: StreamResponse) => Promise<T>, onAnswer: (res: HttpResponse) => T): Promise<T> {
    return this.retry(async (req) => {
      const res = await this.openWire(req);
      if (wanted(res)) return this.inFlight.tracked(() => use(res));
      return onAnswer(await this.readAnswer(res, req.what));
    })(this.call(c));
  }

  /**
   * Fetches a file from a link Mimecast answered with (file-link.ts decides where a credential may
   * go). Redirects are never followed. A GET of a link changes nothing, so it is retried like a read.
   */
  fetchLink<T>(link: string, use: (res: StreamResponse) => Promise<T>): Promise<T> {
    const request = linkRequest(link, this.o.config.base_url, this.base.origin);
    return this.retry(async (req) => {
      const res = await this.openWire(req);
      if (res.status >= 200 && res.status < 300) return this.inFlight.tracked(() => use(res));
      await this.readAnswer(res, req.what);
      throw new ConnectorError('api_error', `${req.what}: the file link answered HTTP ${res.status}`, { httpStatus: res.status });
    })(request);
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
    return checkStatus({ status: res.status, headers: res.headers, json, text, contentType: res.headers['content-type'] ?? '' }, what, this.o.permission);
  }

  /** The one hint of a permission_error: the permission the manifest names, else the role in general. */
  permissionHint(): string {
    return permissionHint(this.o.permission);
  }
}
