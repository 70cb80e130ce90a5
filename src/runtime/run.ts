/**
 * runAction: config → action → normalised, validated input → handler → result envelope.
 * Resolves to the envelope for API, input and configuration errors alike; never throws for them.
 * createConnector: the same for many runs against one instance (one token, one socket pool); a bad
 * configuration is reported the same way, by every run's envelope.
 * Both are typed per action id (ActionTypes, generated from the schemas): a known id narrows the
 * input and the result's data, and an unknown literal does not compile; runActionById and
 * Connector.runById take any string and return `unknown` (src/index.ts for runAction, the
 * Connector interface below for createConnector).
 */
import { performance } from 'node:perf_hooks';
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { log, redactValue } from '../base/log.js';
import { Connection, type ActionSession, type ClientOptions, type ConnectionOptions } from '../client/connection.js';
import { checkOutputDir } from '../client/download.js';
import { permissionHint } from '../client/answer-errors.js';
import { errorTypeFor } from '../client/envelope.js';
import { NOT_RESENT } from '../client/retry.js';
import type { TokenCacheMode } from '../client/token.js';
import { registry } from '../generated/registry.js';
import type { ActionId } from '../generated/types.js';
import { startWrite, type JournalEntry, type JournalOptions } from '../journal/recorder.js';
import { parseConfig } from './config.js';
import { actionManifest, prepareInput } from './input.js';
import { exitCodeFor, type ActionInput, type ActionOutput, type DryRunData, type NoOptions, type ResultEnvelope, type RunData, type Status } from './result.js';

export { exitCodeFor, type ActionInput, type ActionOutput, type DryRunData, type NoOptions, type ResultEnvelope, type RunData, type Status };

/** Options of one run; all optional, the defaults are the CLI's. */
export interface RunOptions extends ConnectionOptions, Omit<ClientOptions, 'permission'> {
  /**
   * Where the token is cached. 'file' (default): one encrypted, owner-only file per instance in
   * `cacheDir`, shared by the processes of consecutive steps; 'memory': this connection only.
   */
  tokenCache?: TokenCacheMode;
  /** The token cache directory (default: `$XDG_CACHE_HOME/mimecast-connector`, else `~/.cache/mimecast-connector`). */
  cacheDir?: string;
  /** Where binary downloads are written (default: a fresh temp directory); checked before anything is sent. */
  outputDir?: string;
  /** Validate and return the request(s) that would be sent as `data.requests`; nothing is sent, not even a token request. */
  dryRun?: boolean;
  /** The time limit of the whole run in ms (default: the configured deadline, else 4 × the timeout); past it the run fails with a `timeout` error. */
  deadlineMs?: number;
  /** Cancels the run: aborting it ends the run like its deadline (a `timeout` error; a write is never re-sent). */
  signal?: AbortSignal;
  /** Clock for date defaults and token expiry (tests). */
  now?: () => number;
  /**
   * Run on this connection (its token and sockets are reused; see createConnector). Without one,
   * the run opens a connection of its own and closes it when done.
   */
  connection?: Connection;
  /**
   * The journal of writes (docs/journal.md): false records nothing; { dir } moves it (default:
   * the journal_dir setting, else MIMECAST_JOURNAL_DIR, else the token cache directory).
   */
  journal?: false | JournalOptions;
}

// An action's input is prepared by input.ts; the CLI and the tests take it from here too.
export { actionManifest, prepareInput };

/** Stand-ins for configurations createConnector refused: each of its runs reports that refusal. */
const refusedConfigs = new WeakMap<object, ConnectorError>();

function toConfig(config: InstanceConfig | Record<string, unknown>): InstanceConfig {
  const refused = config !== null && typeof config === 'object' ? refusedConfigs.get(config) : undefined;
  if (refused) throw refused;
  return parseConfig(config);
}

export interface Connector {
  /** The parsed configuration; undefined when it was refused (every run then resolves to that config_error). */
  readonly config: InstanceConfig | undefined;
  /**
   * runAction on this connector's connection, typed the same way: the id must be one of the
   * actions (ActionId), so a misspelt literal does not compile. For an id known only at run time, runById.
   */
  run<A extends ActionId, O extends Omit<RunOptions, 'connection'> = NoOptions>(
    actionId: A,
    input: ActionInput<A>,
    options?: O,
  ): Promise<ResultEnvelope<RunData<A, O>>>;
  /** run for an id known only at run time (any string, input and data `unknown`); an unknown id is an input_error naming the closest one. */
  runById<O extends Omit<RunOptions, 'connection'> = NoOptions>(actionId: string, input: unknown, options?: O): Promise<ResultEnvelope<RunData<string, O>>>;
  /** Releases the sockets. */
  close(): Promise<void>;
}

/**
 * One instance, many runs: the token is fetched once and the sockets are kept alive between runs
 * (in-process use, benchmarks). Never throws for a bad configuration: like runAction, every run
 * then resolves to a failed envelope with the config_error (exit code 2) and sends nothing, and
 * `config` is undefined.
 */
export function createConnector(config: InstanceConfig | Record<string, unknown>, options: ConnectionOptions = {}): Connector {
  let cfg: InstanceConfig;
  try {
    cfg = toConfig(config);
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    const stand = {};
    refusedConfigs.set(stand, err);
    const refused = (actionId: string, input: unknown, runOptions: RunOptions = {}) =>
      runAction(actionId, input, stand, { ...runOptions, connection: undefined });
    return { config: undefined, run: refused as Connector['run'], runById: refused as Connector['runById'], close: async () => undefined };
  }
  const connection = new Connection(cfg, options);
  const run = (actionId: string, input: unknown, runOptions: RunOptions = {}) => runAction(actionId, input, cfg, { ...runOptions, connection });
  return { config: cfg, run: run as Connector['run'], runById: run as Connector['runById'], close: () => connection.close() };
}

/** The connection a run uses, and what to do when the run is over. */
export interface ConnectionLease {
  connection: Connection;
  release(): Promise<void>;
}

/** Where a run without options.connection gets its connection. */
export type ConnectionSource = (config: InstanceConfig, options: RunOptions) => ConnectionLease;

/** A connection of the run's own, closed when it ends (the CLI: one process, one run). */
const ownConnection: ConnectionSource = (config, options) => {
  const connection = new Connection(config, options);
  return { connection, release: () => connection.close() };
};

/**
 * Runs one action and resolves to its result envelope; it does not throw for API, input or config
 * errors. This is the engine (the CLI and the tests call it with any input); the library's entry,
 * src/index.ts, exports it typed per action id, on the process-wide connections of
 * shared-connections.ts (`connections`; by default a run without options.connection opens its own).
 */
export async function runAction(
  actionId: string,
  input: unknown,
  config: InstanceConfig | Record<string, unknown>,
  options: RunOptions = {},
  connections: ConnectionSource = ownConnection,
): Promise<ResultEnvelope> {
  const t0 = performance.now();
  let session: ActionSession | undefined;
  let lease: ConnectionLease | undefined;
  let journal: JournalEntry | undefined;
  const ledger = () => session?.client.ledger;
  const meta = (): ResultEnvelope['meta'] => {
    // A write's before-image read (the journal's) runs in its own session: its requests are the run's too.
    const requests = (ledger()?.requests ?? 0) + (journal?.readRequests() ?? 0);
    const m: ResultEnvelope['meta'] = { requests, duration_ms: Math.round(performance.now() - t0) };
    if (ledger()?.pages) m.pages = ledger()!.pages;
    if (ledger()?.rateLimit) m.rate_limit = ledger()!.rateLimit;
    if (ledger()?.nextPageToken && !options.dryRun) m.next_page_token = ledger()!.nextPageToken;
    if (options.dryRun) m.dry_run = true;
    return m;
  };
  try {
    const m = actionManifest(actionId);
    const value = prepareInput(actionId, input);
    const cfg = toConfig(config);
    const connection = options.connection ?? (lease = connections(cfg, options)).connection;
    // A download's directory is checked before anything is sent (and given back absolute).
    const outputDir = options.outputDir === undefined ? undefined : checkOutputDir(options.outputDir);
    if (options.signal?.aborted) throw new ConnectorError('timeout', 'the run was cancelled before it started (its signal was aborted); nothing was sent');
    const now = new Date(options.now ? options.now() : Date.now());
    // A write's journal entry; a delete or an update first reads what it will change (its before-image).
    journal = startWrite({
      manifest: m!,
      input: value,
      config: cfg,
      now: now.getTime(),
      cacheDir: options.cacheDir,
      journal: options.journal,
      dryRun: options.dryRun,
      read: (id, readInput) => runAction(id, readInput, cfg, { ...options, connection, journal: false, progress: undefined, dryRun: false }),
    });
    await journal?.prepare();
    session = connection.session(m!, {
      retry: options.retry,
      deadlineMs: options.deadlineMs,
      dryRun: options.dryRun,
      permission: m!.permission,
      maxCalls: options.maxCalls,
      progress: options.progress,
      signal: options.signal,
    });
    const client = session.client;
    const outcome = await registry[actionId].handler(value, { client, config: cfg, manifest: m!, now, outputDir });
    if (options.dryRun) {
      const n = session.recorded.length;
      return redactValue({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${n} request${n === 1 ? '' : 's'} would be sent to Mimecast (plus a token request); nothing was sent.`,
        data: { requests: session.recorded },
        failures: [],
        meta: meta(),
      });
    }
    // The client's ledger says what the run adds up to; a handler cannot hide a failure from it.
    const ledger = client.ledger;
    const { failures, stoppedBy } = ledger;
    const status = ledger.outcome();
    const result: ResultEnvelope = { status, action: actionId, summary: outcome.summary, data: outcome.data, failures, meta: meta() };
    if (stoppedBy) result.error = stoppedBy.toInfo();
    if (status === 'failed') {
      const { first, items } = ledger.failedItems();
      const type = errorTypeFor(first.code);
      result.error = {
        type,
        message: `${items === 1 ? 'The item' : `All ${items} items`} failed; first: ${first.message} (${first.code})`,
        code: first.code,
      };
      if (type === 'permission_error') result.error.hint = permissionHint(m!.permission);
      result.summary = `Failed: ${result.error.message}`;
    } else if (status === 'partial') {
      result.summary = `${outcome.summary}${ledger.partialNote()}`;
    }
    // Masked as a whole: a server can echo a token or a secret back in any answer.
    return redactValue(journal ? journal.finish(result, ledger.requestIds) : result);
  } catch (err) {
    // Only what the session ran can have been cut by the caller's signal (not the refusal to start).
    const e = session
      ? cancelled(toConnectorError(err), options.signal, actionManifest(actionId)?.read_only === false, ledger()?.requests ?? 0)
      : toConnectorError(err);
    if (e.type === 'internal_error') debugStack(err);
    if (options.dryRun && session && session.recorded.length > 0 && !e.beforeSend && e.type !== 'internal_error') {
      // A multi-step action cannot go past a step whose answer it needs; show what it would send.
      return redactValue({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${session.recorded.length} request(s) would be sent first; nothing was sent. A dry run has no answers from Mimecast, so the action stops there (${e.message}).`,
        data: { requests: session.recorded },
        failures: [],
        meta: meta(),
      });
    }
    const failed: ResultEnvelope = {
      status: 'failed',
      action: actionId,
      summary: `Failed: ${e.message}`,
      data: null,
      failures: ledger()?.failures ?? [],
      error: e.toInfo(),
      meta: meta(),
    };
    // A write that failed after sending something may have changed part of it: recorded too.
    return redactValue(journal ? journal.finish(failed, ledger()?.requestIds) : failed);
  } finally {
    session?.end();
    await lease?.release();
  }
}

/** An internal error's stack, one debug line per frame (MIMECAST_DEBUG=1 only). */
export function debugStack(err: unknown): void {
  const stack = err instanceof Error && err.stack ? err.stack : String(err);
  for (const line of stack.split('\n')) log.debug(line.startsWith(' ') ? line : `internal error: ${line}`);
}

/**
 * A run cut short by the caller's signal says so (the pipeline reports it like its deadline). A
 * write that had sent something may have reached Mimecast: it is never re-sent, and the hint says so.
 */
function cancelled(e: ConnectorError, signal: AbortSignal | undefined, write: boolean, sent: number): ConnectorError {
  if (!signal?.aborted || (e.type !== 'timeout' && e.type !== 'transport_error')) return e;
  const hint = e.resendWithheld ? e.hint : write && sent > 0 ? NOT_RESENT : undefined;
  return e.with({ type: 'timeout', message: 'the run was cancelled (its signal was aborted)', hint });
}
