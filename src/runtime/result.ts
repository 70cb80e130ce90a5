/**
 * The result envelope of a run (docs/cli.md, "The result envelope"), its typing per action id, and
 * the exit code it maps to. run.ts runs actions and re-exports these.
 */
import type { ErrorInfo } from '../base/errors.js';
import type { Failure } from '../client/envelope.js';
import type { RateLimitInfo } from '../client/pacing.js';
import type { RecordedRequest } from '../client/recording.js';
import type { ActionId, ActionTypes } from '../generated/types.js';

export type Status = 'success' | 'partial' | 'failed';

/** The result of one run (the CLI prints it as JSON). */
export interface ResultEnvelope<D = unknown> {
  status: Status;
  action: string;
  /** One human sentence. */
  summary: string;
  /** The action's output (null when the run failed before the action answered). */
  data: D | null;
  /** Per-item failures: some items failed → `partial`, all failed → `failed`. */
  failures: Failure[];
  /** Why the run failed (when `status` is `failed`), or what stopped a paged read that kept its first pages (`partial`). */
  error?: ErrorInfo;
  meta: {
    requests: number;
    pages?: number;
    duration_ms: number;
    rate_limit?: RateLimitInfo;
    next_page_token?: string;
    dry_run?: boolean;
    /** A write that sent a request: its journal record (`mimecast-connector undo <run_id>`). */
    run_id?: string;
  };
}

/** The input of a known action (its parameters); `unknown` for any other string. */
export type ActionInput<A extends string> = A extends ActionId ? ActionTypes[A]['input'] : unknown;

/** The output (the result's data) of a known action; `unknown` for any other string. */
export type ActionOutput<A extends string> = A extends ActionId ? ActionTypes[A]['output'] : unknown;

/** A dry run's data: the requests that would have been sent. */
export interface DryRunData {
  requests: RecordedRequest[];
}

/** The `dryRun` option of options O (undefined when O has none). */
type DryRunFlag<O> = 'dryRun' extends keyof O ? O['dryRun' & keyof O] : undefined;

/** The data of a run with options O: the action's output, or a dry run's requests (both when `dryRun` is not known in advance). */
export type RunData<A extends string, O> =
  DryRunFlag<O> extends true ? DryRunData : DryRunFlag<O> extends false | undefined ? ActionOutput<A> : ActionOutput<A> | DryRunData;

/** Options given as nothing: runAction(id, input, config). */
export type NoOptions = Record<never, never>;

/**
 * Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation/config/input. Exit 2
 * promises that nothing was sent (a playbook may fix the input and run again): a run that had
 * sent a request is 1 whatever its error's type.
 */
export function exitCodeFor(result: Pick<ResultEnvelope, 'status' | 'error'> & { meta?: Pick<ResultEnvelope['meta'], 'requests'> }): number {
  if (result.status === 'success') return 0;
  if (result.status === 'partial') return 3;
  const invalid = result.error && (result.error.type === 'config_error' || result.error.type === 'input_error');
  return invalid && !(result.meta && result.meta.requests > 0) ? 2 : 1;
}
