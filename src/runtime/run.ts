/**
 * runAction: config → action → normalised, validated input → handler → result envelope.
 * Resolves to the envelope for API and input errors alike; never throws for them.
 */
import { performance } from 'node:perf_hooks';
import { MimecastClient, type ClientOptions, type RateLimitInfo } from '../client/client.js';
import { errorTypeFor, type Failure } from '../client/envelope.js';
import manifest from '../generated/manifest.js';
import { registry } from '../generated/registry.js';
import { parseConfig, type InstanceConfig } from './config.js';
import { ConnectorError, toConnectorError, type ErrorInfo } from './errors.js';
import type { ActionManifest } from './manifest-types.js';
import { describeAjvError, normalize, pickAjvError } from './normalize.js';
import { redact } from './redact.js';

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

export interface RunOptions extends Omit<ClientOptions, 'permission' | 'dryRun'> {
  dryRun?: boolean;
  outputDir?: string;
  /** Clock for date defaults (tests). */
  now?: () => number;
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
  const value = normalize(m.input, raw) as Record<string, unknown>;
  if (!entry.validateInput(value)) throw describeAjvError(pickAjvError(entry.validateInput.errors!));
  return value;
}

const parsedConfigs = new WeakSet<object>();

function toConfig(config: InstanceConfig | Record<string, unknown>): InstanceConfig {
  if (parsedConfigs.has(config)) return config as InstanceConfig;
  const c = parseConfig(config);
  parsedConfigs.add(c);
  return c;
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
  let client: MimecastClient | undefined;
  const meta = (): ResultEnvelope['meta'] => {
    const m: ResultEnvelope['meta'] = { requests: client?.stats.requests ?? 0, duration_ms: Math.round(performance.now() - t0) };
    if (client?.stats.pages) m.pages = client.stats.pages;
    if (client?.stats.rateLimit) m.rate_limit = client.stats.rateLimit;
    if (options.dryRun) m.dry_run = true;
    return m;
  };
  try {
    const m = actionManifest(actionId);
    const value = prepareInput(actionId, input);
    const cfg = toConfig(config);
    client = new MimecastClient(cfg, { ...options, permission: m!.permission, dryRun: options.dryRun });
    const now = new Date(options.now ? options.now() : Date.now());
    const outcome = await registry[actionId].handler(value, { client, config: cfg, manifest: m!, now, outputDir: options.outputDir });
    if (options.dryRun) {
      const n = client.stats.dryRun.length;
      return redactResult({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${n} request${n === 1 ? '' : 's'} would be sent to Mimecast (plus a token request); nothing was sent.`,
        data: { requests: client.stats.dryRun },
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
      if (type === 'permission_error' && m!.permission) result.error.hint = `Give the API application's role the "${m!.permission}" permission.`;
      result.summary = `Failed: ${result.error.message}`;
    } else if (status === 'partial') {
      result.summary = `${outcome.summary} (${failures.length} item failure${failures.length === 1 ? '' : 's'}, see failures)`;
    }
    return redactResult(result);
  } catch (err) {
    const e = toConnectorError(err);
    if (options.dryRun && client && client.stats.dryRun.length > 0 && !e.beforeSend) {
      // A multi-step action cannot go past a step whose answer it needs; show what it would send.
      return redactResult({
        status: 'success',
        action: actionId,
        summary: `Dry run: ${client.stats.dryRun.length} request(s) would be sent first; later steps depend on Mimecast's answers (${e.message}).`,
        data: { requests: client.stats.dryRun },
        failures: [],
        meta: meta(),
      });
    }
    return redactResult({
      status: 'failed',
      action: actionId,
      summary: `Failed: ${e.message}`,
      data: null,
      failures: client?.stats.failures ?? [],
      error: e.toInfo(),
      meta: meta(),
    });
  }
}

/** Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation/config/input. */
export function exitCodeFor(result: Pick<ResultEnvelope, 'status' | 'error'>): number {
  if (result.status === 'success') return 0;
  if (result.status === 'partial') return 3;
  return result.error && (result.error.type === 'config_error' || result.error.type === 'input_error') ? 2 : 1;
}
