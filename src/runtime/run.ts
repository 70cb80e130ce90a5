/**
 * runAction: config → action → normalised, validated input → handler → result envelope.
 * Resolves to the envelope for API and input errors alike; never throws for them.
 * createConnector: the same for many runs against one instance (one token, one socket pool).
 */
import { performance } from 'node:perf_hooks';
import type { InstanceConfig } from '../base/config-types.js';
import { MAX_JSON_DEPTH, valueTooDeep } from '../base/depth.js';
import { ConnectorError, toConnectorError, type ErrorInfo } from '../base/errors.js';
import { redact } from '../base/log.js';
import type { ActionManifest } from '../base/manifest-types.js';
import { Connection, type ActionSession, type ClientOptions, type ConnectionOptions } from '../client/connection.js';
import { checkOutputDir } from '../client/download.js';
import { errorTypeFor, type Failure } from '../client/envelope.js';
import type { RateLimitInfo } from '../client/pipeline.js';
import manifest from '../generated/manifest.js';
import { registry } from '../generated/registry.js';
import { parseConfig } from './config.js';
import { describeAjvError, normalize, pickAjvError } from './normalize.js';

export type Status = 'success' | 'partial' | 'failed';

export interface ResultEnvelope<D = unknown> {
  status: Status;
  action: string;
  summary: string;
  data: D | null;
  failures: Failure[];
  error?: ErrorInfo;
  meta: { requests: number; pages?: number; duration_ms: number; rate_limit?: RateLimitInfo; dry_run?: boolean };
}

export interface RunOptions extends ConnectionOptions, Omit<ClientOptions, 'permission'> {
  /** Where binary downloads are written (default: a fresh temp directory). */
  outputDir?: string;
  /** Clock for date defaults and token expiry (tests). */
  now?: () => number;
  /**
   * Run on this connection (its token and sockets are reused; see createConnector). Without one,
   * the run opens a connection of its own and closes it when done.
   */
  connection?: Connection;
}

export function actionManifest(id: string): ActionManifest | undefined {
  return Object.prototype.hasOwnProperty.call(manifest.actions, id) ? manifest.actions[id] : undefined;
}

/** Validates and normalises an action's input; throws input_error naming the parameter. */
export function prepareInput(actionId: string, input: unknown): Record<string, unknown> {
  const m = actionManifest(actionId);
  const entry = registry[actionId];
  if (!m || !entry) {
    throw new ConnectorError('input_error', `unknown action "${actionId}"`, { hint: 'Run `mimecast-connector list` to see the actions.' });
  }
  const raw = input === undefined || input === null ? {} : input;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConnectorError('input_error', 'input must be a JSON object of parameters');
  if (valueTooDeep(raw)) throw new ConnectorError('input_error', `input is nested more than ${MAX_JSON_DEPTH} levels deep`, { field: 'input' });
  const value = normalize(m.input, raw) as Record<string, unknown>;
  if (!entry.validateInput(value)) throw describeAjvError(pickAjvError(entry.validateInput.errors!));
  return value;
}

const toConfig = (config: InstanceConfig | Record<string, unknown>): InstanceConfig => parseConfig(config);

export interface Connector {
  readonly config: InstanceConfig;
  /** runAction on this connector's connection. */
  run(actionId: string, input: unknown, options?: Omit<RunOptions, 'connection'>): Promise<ResultEnvelope>;
  /** Releases the sockets. */
  close(): Promise<void>;
}

/**
 * One instance, many runs: the token is fetched once and the sockets are kept alive between runs
 * (in-process use, benchmarks). Throws a config_error for an invalid configuration.
 */
export function createConnector(config: InstanceConfig | Record<string, unknown>, options: ConnectionOptions = {}): Connector {
  const cfg = toConfig(config);
  const connection = new Connection(cfg, options);
  return {
    config: cfg,
    run: (actionId, input, runOptions = {}) => runAction(actionId, input, cfg, { ...runOptions, connection }),
    close: () => connection.close(),
  };
}

/** Deep-redacts a result (a server can echo a token or a secret back). */
function redactResult<T>(result: T): T {
  const text = JSON.stringify(result);
  const clean = redact(text);
  return clean === text ? result : (JSON.parse(clean) as T);
}

function statusOf(failures: Failure[], succeeded: number): Status {
  if (failures.length === 0) return 'success';
  return succeeded > 0 ? 'partial' : 'failed';
}

export async function runAction(
  actionId: string,
  input: unknown,
  config: InstanceConfig | Record<string, unknown>,
  options: RunOptions = {},
): Promise<ResultEnvelope> {
  const t0 = performance.now();
  let session: ActionSession | undefined;
  let owned: Connection | undefined;
  const stats = () => session?.client.stats;
  const meta = (): ResultEnvelope['meta'] => {
    const m: ResultEnvelope['meta'] = { requests: stats()?.requests ?? 0, duration_ms: Math.round(performance.now() - t0) };
    if (stats()?.pages) m.pages = stats()!.pages;
    if (stats()?.rateLimit) m.rate_limit = stats()!.rateLimit;
    if (options.dryRun) m.dry_run = true;
    return m;
  };
  try {
    const m = actionManifest(actionId);
    const value = prepareInput(actionId, input);
    const cfg = toConfig(config);
    const connection = options.connection ?? (owned = new Connection(cfg, options));
    // A download's directory is checked before anything is sent (and given back absolute).
    const outputDir = options.outputDir === undefined ? undefined : checkOutputDir(options.outputDir);
    session = connection.session(m!, {
      retry: options.retry,
      deadlineMs: options.deadlineMs,
      dryRun: options.dryRun,
      permission: m!.permission,
      maxCalls: options.maxCalls,
    });
    const client = session.client;
    const now = new Date(options.now ? options.now() : Date.now());
    const outcome = await registry[actionId].handler(value, { client, config: cfg, manifest: m!, now, outputDir });
    if (options.dryRun) {
      const n = session.recorded.length;
      return redactResult({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${n} request${n === 1 ? '' : 's'} would be sent to Mimecast (plus a token request); nothing was sent.`,
        data: { requests: session.recorded },
        failures: [],
        meta: meta(),
      });
    }
    const { failures, succeeded } = client.stats;
    const status = statusOf(failures, succeeded);
    const result: ResultEnvelope = { status, action: actionId, summary: outcome.summary, data: outcome.data, failures, meta: meta() };
    if (status === 'failed') {
      const first = failures[0];
      const type = errorTypeFor(first.code);
      result.error = {
        type,
        message: `${failures.length === 1 ? 'The item' : `All ${failures.length} items`} failed; first: ${first.message} (${first.code})`,
        code: first.code,
      };
      if (type === 'permission_error' && m!.permission)
        result.error.hint = `Give the API application's role the "${m!.permission}" permission in Mimecast (Administration → Roles).`;
      result.summary = `Failed: ${result.error.message}`;
    } else if (status === 'partial') {
      result.summary = `${outcome.summary} (${failures.length} item failure${failures.length === 1 ? '' : 's'}, see failures)`;
    }
    return redactResult(result);
  } catch (err) {
    const e = toConnectorError(err);
    if (options.dryRun && session && session.recorded.length > 0 && !e.beforeSend && e.type !== 'internal_error') {
      // A multi-step action cannot go past a step whose answer it needs; show what it would send.
      return redactResult({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${session.recorded.length} request(s) would be sent first; later steps depend on Mimecast's answers (${e.message}).`,
        data: { requests: session.recorded },
        failures: [],
        meta: meta(),
      });
    }
    return redactResult({
      status: 'failed',
      action: actionId,
      summary: `Failed: ${e.message}`,
      data: null,
      failures: stats()?.failures ?? [],
      error: e.toInfo(),
      meta: meta(),
    });
  } finally {
    await owned?.close();
  }
}

/** Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation/config/input. */
export function exitCodeFor(result: Pick<ResultEnvelope, 'status' | 'error'>): number {
  if (result.status === 'success') return 0;
  if (result.status === 'partial') return 3;
  return result.error && (result.error.type === 'config_error' || result.error.type === 'input_error') ? 2 : 1;
}
