/**
 * Retry policy, as data. An error is retried only when a rule below allows it for this kind of
 * action; everything else fails at once. The rules read typed flags of the error (its type,
 * retryable, maybeApplied), never its text.
 */
import pRetry from 'p-retry';
import { ConnectorError } from '../base/errors.js';
import { log } from '../base/log.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  /** Longest 429 wait honoured; a longer ask fails the action as rate_limited. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, minTimeout: 500, maxTimeout: 8_000, maxWaitMs: 60_000 };

export interface RetryRule {
  /** Why the rule exists, in a few words (shown in debug lines). */
  reason: string;
  when: (e: ConnectorError) => boolean;
  /** 'any': every action; 'read_only': only actions whose manifest says read_only. */
  applies: 'any' | 'read_only';
  /** Wait what Mimecast asks (Retry-After / X-RateLimit-Reset) instead of the backoff. */
  waitAsAsked?: boolean;
}

export const RETRY_RULES: readonly RetryRule[] = [
  {
    reason: 'rate limited (429): Mimecast did not run the call',
    when: (e) => e.type === 'rate_limited' && e.httpStatus === 429,
    applies: 'any',
    waitAsAsked: true,
  },
  { reason: 'not sent (refused connection, failed token request)', when: (e) => e.retryable && !e.maybeApplied, applies: 'any' },
  { reason: 'may have reached Mimecast (5xx, timeout, dropped or cut answer)', when: (e) => e.retryable && e.maybeApplied, applies: 'read_only' },
];

export function retryRuleFor(e: unknown, readOnly: boolean): RetryRule | undefined {
  if (!(e instanceof ConnectorError)) return undefined;
  return RETRY_RULES.find((r) => r.when(e) && (r.applies === 'any' || readOnly));
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

export interface RetryContext {
  readOnly: boolean;
  options: RetryOptions;
  deadline: AbortSignal;
  deadlineAt: number;
  /** True while a sent call's answer is still being read. */
  inFlight?: () => boolean;
}

/** The one warning for every way a write can end without a full answer after it was sent. */
export const NOT_RESENT = 'The request was not re-sent because it may have reached Mimecast; check the state in Mimecast before running it again.';

/**
 * Runs fn until it succeeds, no rule allows another attempt, the attempts are spent or the
 * deadline passes. A write that failed after it may have reached Mimecast comes back marked
 * resendWithheld, with a hint saying so.
 */
export async function withRetry<T>(ctx: RetryContext, fn: () => Promise<T>): Promise<T> {
  const { options } = ctx;
  try {
    return await pRetry(fn, {
      retries: options.retries,
      minTimeout: options.minTimeout,
      maxTimeout: options.maxTimeout,
      factor: 2,
      randomize: true,
      maxRetryTime: Math.max(0, ctx.deadlineAt - Date.now()),
      signal: ctx.deadline,
      shouldRetry: ({ error }) => retryRuleFor(error, ctx.readOnly) !== undefined,
      onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
        const rule = retryRuleFor(error, ctx.readOnly);
        if (!rule || retriesLeft === 0) return;
        const e = error as ConnectorError;
        log.debug(`retrying after: ${e.message} (${rule.reason})`);
        if (!rule.waitAsAsked) return;
        const wait = e.waitMs ?? 1000;
        if (wait > options.maxWaitMs || wait > ctx.deadlineAt - Date.now()) {
          throw new ConnectorError('rate_limited', `Mimecast rate limit: it asks to wait ${Math.ceil(wait / 1000)} s, more than this action can wait`, {
            httpStatus: 429,
            hint: 'The application has used its API quota; run the action again later or lower its frequency.',
          });
        }
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
      throw new ConnectorError('timeout', "the action's time limit ran out", { hint: 'Raise the instance timeout (15-120 s) or narrow the request.' });
    }
    throw e;
  }
}
