/**
 * Retry policy, as data. An error is retried only when a rule below allows it for this kind of
 * action; everything else fails at once. The rules read typed flags of the error (its type,
 * retryable, maybeApplied), never its text.
 */
import pRetry from 'p-retry';
import { ConnectorError } from '../base/errors.js';
import { log } from '../base/log.js';
import { seconds, type ProgressEvent } from './progress.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  /** Longest 429 wait honoured; a longer ask fails the action as rate_limited. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({ retries: 4, minTimeout: 500, maxTimeout: 8_000, maxWaitMs: 60_000 });

export interface RetryRule {
  /** Why the rule exists, in a few words (shown in debug lines). */
  reason: string;
  when: (e: ConnectorError) => boolean;
  /** 'any': every action; 'read_only': only actions whose manifest says read_only. */
  applies: 'any' | 'read_only';
  /** Wait what Mimecast asks (Retry-After / X-RateLimit-Reset) instead of the backoff. */
  waitAsAsked?: boolean;
  /** The most retries this rule allows for one call (default: the retry options' retries). */
  maxRetries?: number;
}

/**
 * A timeout is retried once: a hung server then costs about twice the per-request timeout, not
 * (retries + 1) times it. Before sending (connect) on any action; after sending only on reads.
 */
const isTimeout = (e: ConnectorError): boolean => e.type === 'timeout' && e.retryable;

export const RETRY_RULES: readonly RetryRule[] = [
  {
    reason: 'rate limited (429): Mimecast did not run the call',
    when: (e) => e.type === 'rate_limited' && e.httpStatus === 429,
    applies: 'any',
    waitAsAsked: true,
  },
  { reason: 'timed out before sending (retried once)', when: (e) => isTimeout(e) && !e.maybeApplied, applies: 'any', maxRetries: 1 },
  { reason: 'timed out waiting for the answer (retried once)', when: (e) => isTimeout(e) && e.maybeApplied, applies: 'read_only', maxRetries: 1 },
  { reason: 'not sent (refused connection, failed token request)', when: (e) => e.retryable && !e.maybeApplied, applies: 'any' },
  { reason: 'may have reached Mimecast (5xx, timeout, dropped or cut answer)', when: (e) => e.retryable && e.maybeApplied, applies: 'read_only' },
];

export function retryRuleFor(e: unknown, readOnly: boolean): RetryRule | undefined {
  if (!(e instanceof ConnectorError)) return undefined;
  return RETRY_RULES.find((r) => r.when(e) && (r.applies === 'any' || readOnly));
}

/** Waits ms, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RetryContext {
  readOnly: boolean;
  options: RetryOptions;
  deadline: AbortSignal;
  deadlineAt: number;
  /** True while a sent call's answer is still being read. */
  inFlight?: () => boolean;
  /** Told before each wait for a retry. */
  onWait?: (event: Extract<ProgressEvent, { kind: 'wait' }>) => void;
}

/** What to do when the whole action's time limit ran out. */
export const DEADLINE_HINT =
  'Raise the deadline (the deadline setting, or --deadline for one run; default 4 × timeout), or narrow the request (dates, page size, number of pages).';

/** The one warning for every way a write can end without a full answer after it was sent. */
export const NOT_RESENT = 'The request was not re-sent because it may have reached Mimecast; check the state in Mimecast before running it again.';

/**
 * The retry loop of a call whose first attempt failed with `error` (most calls succeed at once, so
 * the first attempt runs outside p-retry and this context is built only after it failed). The loop
 * replays that failure as its own first attempt (same backoff, same rules) and calls `again` for
 * the next ones, until one succeeds, no rule allows another attempt, the attempts are spent or the
 * deadline passes. A write that failed after it may have reached Mimecast comes back marked
 * resendWithheld, with a hint saying so.
 */
export async function retryAfter<T>(ctx: RetryContext, error: unknown, again: () => Promise<T>): Promise<T> {
  let first: { error: unknown } | undefined = { error };
  const attempt = (): Promise<T> => {
    if (!first) return again();
    const { error } = first;
    first = undefined;
    return Promise.reject(error);
  };
  const { options } = ctx;
  // Retries taken per rule (for maxRetries) and the rule that allows the next one.
  const taken = new Map<RetryRule, number>();
  let next: RetryRule | undefined;
  const allowed = (error: unknown): RetryRule | undefined => {
    const rule = retryRuleFor(error, ctx.readOnly);
    return rule && (taken.get(rule) ?? 0) < (rule.maxRetries ?? Infinity) ? rule : undefined;
  };
  try {
    return await pRetry(attempt, {
      retries: options.retries,
      minTimeout: options.minTimeout,
      maxTimeout: options.maxTimeout,
      factor: 2,
      randomize: true,
      maxRetryTime: Math.max(0, ctx.deadlineAt - Date.now()),
      signal: ctx.deadline,
      shouldRetry: () => next !== undefined,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
        next = allowed(error);
        const rule = next;
        if (!rule || retriesLeft === 0) return;
        taken.set(rule, (taken.get(rule) ?? 0) + 1);
        const e = error as ConnectorError;
        log.debug(`retrying after: ${e.message} (${rule.reason})`);
        const attempt = attemptNumber + 1;
        if (!rule.waitAsAsked) {
          ctx.onWait?.({
            kind: 'wait',
            reason: 'retry',
            ms: retryDelay,
            attempt,
            message: `${e.message}; retrying in ${seconds(retryDelay)} (attempt ${attempt})`,
          });
          return;
        }
        const wait = e.waitMs ?? 1000;
        if (wait > options.maxWaitMs || wait > ctx.deadlineAt - Date.now()) {
          throw new ConnectorError('rate_limited', `Mimecast rate limit: it asks to wait ${Math.ceil(wait / 1000)} s, more than this action can wait`, {
            httpStatus: 429,
            hint: 'The application has used its API quota; run the action again later or lower its frequency.',
          });
        }
        const ms = Math.max(wait, retryDelay);
        ctx.onWait?.({
          kind: 'wait',
          reason: 'rate_limited',
          ms,
          attempt,
          message: `${e.message}; waiting ${seconds(ms)} as Mimecast asks (attempt ${attempt})`,
        });
        await sleep(wait - retryDelay, ctx.deadline);
      },
    });
  } catch (e) {
    if (!ctx.readOnly && e instanceof ConnectorError && e.maybeApplied && !e.resendWithheld) {
      return Promise.reject(e.with({ resendWithheld: true, hint: e.type === 'timeout' ? NOT_RESENT : `${e.hint ? `${e.hint} ` : ''}${NOT_RESENT}` }));
    }
    if (ctx.deadline.aborted && !(e instanceof ConnectorError)) {
      if (!ctx.readOnly && ctx.inFlight?.()) {
        throw new ConnectorError('timeout', "the action's time limit ran out while Mimecast's answer to a write was still arriving", {
          maybeApplied: true,
          resendWithheld: true,
          hint: NOT_RESENT,
        });
      }
      throw new ConnectorError('timeout', "the action's time limit ran out", { hint: DEADLINE_HINT });
    }
    throw e;
  }
}
