/**
 * The library: `import { runAction } from 'mimecast-connector'`. runAction resolves to the result
 * envelope and does not throw for API, input or config errors. The action id is typed: a known id
 * types the input and the result's data (ActionTypes, generated from the schemas), and a misspelt
 * literal does not compile; runActionById takes an id known only at run time. The configuration is
 * typed too (InstanceConfigInput: an unknown key does not compile). dist/index.d.ts is emitted from
 * this file at build time.
 */
import type { InstanceConfig } from './base/config-types.js';
import type { ActionId, InstanceConfigInput, StreamTypes } from './generated/types.js';
import type { StreamEvent } from './ingest/records.js';
import type { ConnectionOptions } from './client/connection.js';
import {
  createConnector as create,
  runAction as run,
  type ActionInput,
  type Connector,
  type NoOptions,
  type ResultEnvelope,
  type RunData,
  type RunOptions,
} from './runtime/run.js';
import { sharedConnection } from './runtime/shared-connections.js';
import {
  poll as pollStateless,
  type EngineRunOptions as PollOptions,
  type PollRequest as StatelessPollRequest,
  type PollResult as StatelessPollResult,
} from './ingest/poll.js';

export {
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
export { closeSharedConnections } from './runtime/shared-connections.js';
export {
  readJournal,
  recordWrite,
  undo,
  journalDir,
  type JournalOptions,
  type JournalRecord,
  type ReadJournalOptions,
  type UndoData,
  type UndoOptions,
  type UndoPlan,
  type UndoStep,
  type WriteToRecord,
} from './journal/index.js';
export { parseConfig, loadConfig, type InstanceConfig } from './runtime/config.js';
export { ConnectorError, type ErrorType, type ErrorInfo } from './base/errors.js';
export type { ConnectionOptions } from './client/connection.js';
export type { Failure } from './client/envelope.js';
export type { RecordedRequest } from './client/recording.js';
export type { RateLimitInfo } from './client/pacing.js';
export type { RetryOptions } from './client/retry.js';
export type { Transport, HttpRequest, HttpResponse, StreamResponse } from './client/transport.js';
export type * from './generated/types.js';
export { default as manifest } from './generated/manifest.js';

/**
 * What runAction and createConnector take as the configuration: the instance configuration's keys
 * (InstanceConfigInput, from schemas/config.schema.json: an unknown key such as `timout` in an
 * object literal does not compile, and is a config_error naming the closest key at run time), or
 * a configuration parseConfig or loadConfig returned. For values of unknown shape (a platform's
 * form, a JSON file), pass them through parseConfig or loadConfig first.
 */
export type ConnectorConfig = InstanceConfigInput | InstanceConfig;

/**
 * Runs one action against one instance and resolves to its result envelope.
 *
 * `actionId` must be one of the actions (ActionId): a misspelt literal such as `'serch_groups'` is
 * a compile error, and the input and `result.data` are typed by the action's schemas. For an id
 * known only at run time (a playbook's parameter, a string from a form), use runActionById.
 *
 * `config` is the instance configuration (`base_url`, `client_id`, `client_secret`, optional
 * `timeout`, `verify`, ...), validated here: an invalid one resolves to a failed envelope with a
 * `config_error` (exit code 2) and nothing is sent; createConnector reports it the same way.
 *
 * Calls in one process share the tenant: every call with the same configuration (base URL, client
 * ID and secret and the other settings) and the same token cache runs on one process-wide
 * connection, so they share one token, one quota pacer and one socket pool, as the runs of one
 * createConnector do. That connection closes once it has been idle for 30 s, and it never keeps a
 * process alive; closeSharedConnections() closes it at once.
 *
 * @example
 * const result = await runAction('search_groups', { query: 'Blocked' }, config);
 * if (result.status === 'success') for (const group of result.data ?? []) console.log(group.id);
 */
export function runAction<A extends ActionId, O extends RunOptions = NoOptions>(
  actionId: A,
  input: ActionInput<A>,
  config: ConnectorConfig,
  options?: O,
): Promise<ResultEnvelope<RunData<A, O>>> {
  return run(actionId, input, config as InstanceConfig, options, sharedConnection) as Promise<ResultEnvelope<RunData<A, O>>>;
}

/**
 * runAction for an action id known only at run time: any string, deliberately untyped (the input
 * is `unknown`, and so is `result.data` unless `dryRun` says otherwise). An id that is not an
 * action resolves to a failed envelope with an `input_error` naming the closest action id
 * (`unknown action "serch_groups"; did you mean search_groups?`), and nothing is sent. Otherwise it
 * is runAction: the same configuration rules and the same shared connection.
 *
 * @example
 * const result = await runActionById(step.action, step.parameters, config);
 */
export function runActionById<O extends RunOptions = NoOptions>(
  actionId: string,
  input: unknown,
  config: ConnectorConfig,
  options?: O,
): Promise<ResultEnvelope<RunData<string, O>>> {
  return run(actionId, input, config as InstanceConfig, options, sharedConnection) as Promise<ResultEnvelope<RunData<string, O>>>;
}

/**
 * One instance, many runs: one token, one socket pool, kept until close(). The runs are typed like
 * runAction (`connector.run('search_groups', …)`; `connector.runById(id, …)` for an id known only at
 * run time). A bad configuration is reported as runAction reports it: createConnector does not
 * throw, `connector.config` is undefined, and every run resolves to a failed envelope with the
 * `config_error` (exit code 2), sending nothing.
 *
 * @example
 * const connector = createConnector(config, { tokenCache: 'memory' });
 * const groups = await connector.run('search_groups', { query: 'Blocked' });
 * await connector.close();
 */
export function createConnector(config: ConnectorConfig, options: ConnectionOptions = {}): Connector {
  return create(config as InstanceConfig, options);
}

export { STREAM_NAMES, type EngineRunOptions as PollOptions } from './ingest/poll.js';
export type { Checkpoint, Gap, StreamCheckpoint } from './ingest/state.js';
export type { StreamEvent } from './ingest/records.js';

/** The name of an event stream (manifest.streams; its record is StreamTypes[name]). */
export type StreamName = keyof StreamTypes;

/** A poll line of one of the streams S, its `event` typed by that stream's schema (schemas/streams/<name>.json). */
export type StreamEventOf<S extends StreamName = StreamName> = { [K in S]: Omit<StreamEvent, 'stream' | 'event'> & { stream: K; event: StreamTypes[K] } }[S];

/** What poll reads: the streams by name (a misspelt name does not compile), from the checkpoint it was given. */
export interface PollRequest<S extends StreamName = StreamName> extends Omit<StatelessPollRequest, 'streams'> {
  streams: readonly S[];
}

/** What poll resolves to: the events of the streams asked for, typed per stream, and the checkpoint to store. */
export interface PollResult<S extends StreamName = StreamName> extends Omit<StatelessPollResult, 'events'> {
  events: StreamEventOf<S>[];
}

/**
 * Reads events from the streams (manifest.streams) since the checkpoint it is given and resolves
 * to `{ events, checkpoint, gaps }`; it keeps no state: store the checkpoint and pass it to the
 * next call (the way a SOAR platform keeps a fetch's last run). A stream that fails keeps its
 * checkpoint (see `streams[].error`); `exitCode` is what the CLI would exit with.
 *
 * @example
 * const { events, checkpoint } = await poll(config, { streams: ['ttp_url', 'siem'], checkpoint: lastRun, maxEvents: 500 });
 */
export function poll<S extends StreamName>(config: ConnectorConfig, request: PollRequest<S>, options?: PollOptions): Promise<PollResult<S>> {
  // The records are Mimecast's as sent; the stream's schema types what poll checked (time, id) and documents the rest.
  return pollStateless(config as InstanceConfig, { ...request, streams: [...request.streams] }, options) as Promise<unknown> as Promise<PollResult<S>>;
}
