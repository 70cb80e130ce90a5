/**
 * The library: `import { runAction } from 'mimecast-connector'`. runAction resolves to the result
 * envelope and does not throw for API, input or config errors. A known action id types the input
 * and the result's data (ActionTypes, generated from the schemas); any other string takes and
 * returns `unknown`. dist/index.d.ts is emitted from this file at build time.
 */
import type { InstanceConfig } from './base/config-types.js';
import { runAction as run, type ActionInput, type NoOptions, type ResultEnvelope, type RunData, type RunOptions } from './runtime/run.js';

export {
  createConnector,
  prepareInput,
  exitCodeFor,
  type ActionInput,
  type ActionOutput,
  type Connector,
  type DryRunData,
  type NoOptions,
  type ResultEnvelope,
  type RunData,
  type RunOptions,
  type Status,
} from './runtime/run.js';
export { parseConfig, loadConfig, type InstanceConfig } from './runtime/config.js';
export { ConnectorError, type ErrorType, type ErrorInfo } from './base/errors.js';
export type { Failure } from './client/envelope.js';
export type { RecordedRequest } from './client/recording.js';
export type { RateLimitInfo } from './client/pipeline.js';
export type { RetryOptions } from './client/retry.js';
export type { Transport, HttpRequest, HttpResponse, StreamResponse } from './client/transport.js';
export type * from './generated/types.js';
export { default as manifest } from './generated/manifest.js';

/**
 * Runs one action against one instance and resolves to its result envelope.
 *
 * `config` is the instance configuration (`base_url`, `client_id`, `client_secret`, optional
 * `timeout`, `verify`, ...), validated here: an invalid one resolves to a failed envelope with a
 * `config_error`. Each call opens and closes a connection of its own; for many runs against one
 * instance use createConnector(config).run(…), typed the same way.
 *
 * @example
 * const result = await runAction('search_groups', { query: 'Blocked' }, config);
 * if (result.status === 'success') for (const group of result.data ?? []) console.log(group.id);
 */
export function runAction<A extends string, O extends RunOptions = NoOptions>(
  actionId: A,
  input: ActionInput<A>,
  config: InstanceConfig | Record<string, unknown>,
  options?: O,
): Promise<ResultEnvelope<RunData<A, O>>> {
  return run(actionId, input, config, options) as Promise<ResultEnvelope<RunData<A, O>>>;
}
