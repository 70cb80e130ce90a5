/**
 * A connection to one Mimecast instance: its transport (one undici Agent) and its token store.
 * All state lives here, per instance, so two connections never share a token, a socket pool or a
 * lock; close() releases the sockets. For each action run, client() builds the request pipeline
 * and the manifest-bound client that the handler receives.
 */
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { ActionClient, type ActionBinding } from './operations.js';
import { RunDeadline } from './deadline.js';
import { QuotaPacer } from './pacing.js';
import { BaseUrl } from './base-url.js';
import { RequestPipeline } from './pipeline.js';
import type { ProgressListener } from './progress.js';
import { placeholderTokens, RecordingTransport } from './recording.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { SharedQuotaFile } from './shared-quota.js';
import { quotaCachePath, tokenCacheDir } from './cache-paths.js';
import { TokenStore, type TokenCacheMode } from './token.js';
import type { TokenLockTimings } from './token-lock.js';
import { debugEnabled, traced } from './trace.js';
import { UndiciTransport, type Transport } from './transport.js';

/** The longest delay a timer holds (2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ConnectionOptions {
  /** 'file' (default): the encrypted cross-process cache; 'memory': this connection only. */
  tokenCache?: TokenCacheMode;
  cacheDir?: string;
  tokenLock?: Partial<TokenLockTimings>;
  /** Clock for token expiry (tests). */
  now?: () => number;
  /** Per-request timeout (connect, headers, body idle) in ms; default: the config's timeout. */
  requestTimeoutMs?: number;
  /** Another transport (tests, a platform's own HTTP stack). */
  transport?: Transport;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ClientOptions {
  retry?: Partial<RetryOptions>;
  /** One deadline for the whole action (default: the config's deadline, else 4 × timeout). */
  deadlineMs?: number;
  /** Record the requests instead of sending them; no token is fetched. */
  dryRun?: boolean;
  /** The Mimecast permission the action needs, for permission_error hints. */
  permission?: string;
  /** The most API calls this run may make (default: the config's max_calls). */
  maxCalls?: number;
  /** Told about each page, call and retry wait of long work (nothing is printed without it). */
  progress?: ProgressListener;
  /** The caller's cancellation: aborting it ends the run like its deadline. */
  signal?: AbortSignal;
}

/** One action run's client and what it recorded. */
export interface ActionSession {
  client: ActionClient;
  /** The requests a dry run would have sent (empty otherwise). */
  recorded: RecordingTransport['requests'];
  /** The run is over: releases its deadline's timer (call it once the run has ended, however it ended). */
  end(): void;
}

export class Connection {
  private readonly transport: Transport;
  private readonly tokens: TokenStore;
  /** What this instance's answers said of its quota, shared by every run on the connection (and, with the file cache, left for the next process). */
  private readonly pacer: QuotaPacer;
  private readonly baseUrl: BaseUrl;

  constructor(
    readonly config: InstanceConfig,
    opts: ConnectionOptions = {},
  ) {
    this.baseUrl = new BaseUrl(config.base_url);
    const transport = opts.transport ?? new UndiciTransport(config, { requestTimeoutMs: opts.requestTimeoutMs, env: opts.env });
    // The per-request trace costs a little on every request: only when MIMECAST_DEBUG=1 is set as the connection opens.
    this.transport = debugEnabled() ? traced(transport) : transport;
    const cache = opts.tokenCache ?? 'file';
    // The file cache's directory holds the token and the quota windows left for the next process.
    const dir = cache === 'file' ? (opts.cacheDir ?? tokenCacheDir()) : undefined;
    this.pacer = new QuotaPacer(Date.now, dir ? new SharedQuotaFile(quotaCachePath(config, dir), dir) : undefined);
    this.tokens = new TokenStore(config, this.transport, {
      cache,
      cacheDir: dir,
      now: opts.now,
      tokenLock: opts.tokenLock,
    });
  }

  /** The client for one run of one action, bound to its manifest entry. */
  session(binding: ActionBinding, o: ClientOptions = {}): ActionSession {
    const deadlineMs = o.deadlineMs ?? (this.config.deadline ?? this.config.timeout * 4) * 1000;
    // A timer cannot hold more (Node then fires it at once): a longer deadline would end the run before it starts.
    if (!(deadlineMs > 0 && deadlineMs <= MAX_TIMER_MS)) {
      throw new ConnectorError('input_error', `deadlineMs must be a positive number of milliseconds, at most ${MAX_TIMER_MS} (got ${deadlineMs})`, {
        field: 'deadlineMs',
      });
    }
    const recorder = o.dryRun ? new RecordingTransport() : undefined;
    const deadline = new RunDeadline(deadlineMs, o.signal);
    const pipeline = new RequestPipeline({
      config: this.config,
      transport: recorder ?? this.transport,
      tokens: recorder ? placeholderTokens : this.tokens,
      readOnly: binding.read_only,
      retry: o.retry ? { ...DEFAULT_RETRY, ...o.retry } : DEFAULT_RETRY,
      deadline: deadline.signal,
      deadlineAt: deadline.at,
      permission: o.permission,
      dryRun: !!recorder,
      maxCalls: o.maxCalls,
      progress: o.progress,
      pacer: recorder ? undefined : this.pacer,
      baseUrl: this.baseUrl,
    });
    return { client: new ActionClient(pipeline, binding, !!recorder), recorded: recorder?.requests ?? [], end: () => deadline.end() };
  }

  /** Leaves what this connection learnt of the quota for the next process (close() does it too; a shared connection stays open). */
  saveQuota(): void {
    this.pacer.save();
  }

  async close(): Promise<void> {
    this.pacer.save();
    await this.transport.close();
  }
}
