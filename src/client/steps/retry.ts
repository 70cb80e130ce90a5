/**
 * Retries as a step: the first attempt runs as it is (nearly every call succeeds at once and builds
 * no retry context); only after it failed does the retry loop (../retry.ts: the rules, the waits,
 * a write never re-sent after it may have reached Mimecast) run attempts 2, 3...
 */
import type { ProgressListener } from '../progress.js';
import { retryAfter, type RetryContext, type RetryOptions } from '../retry.js';
import { derive, type Send, type WireRequest } from './step.js';

export interface RetryStepOptions {
  retry: RetryOptions;
  deadline: AbortSignal;
  deadlineAt: number;
  /** True while a sent call's answer is still arriving (write safety). */
  inFlight: () => boolean;
  onWait?: ProgressListener;
}

/** Works on any result: a whole call, a download, or a file link's use. */
export const retryStep =
  (o: RetryStepOptions) =>
  <R>(next: Send<R>): Send<R> =>
  async (req: WireRequest) => {
    try {
      return await next(req);
    } catch (error) {
      let n = req.attempt;
      const ctx: RetryContext = {
        readOnly: req.readOnly,
        options: o.retry,
        deadline: o.deadline,
        deadlineAt: o.deadlineAt,
        inFlight: o.inFlight,
        onWait: o.onWait,
      };
      return retryAfter(ctx, error, () => next(derive(req, { attempt: ++n })));
    }
  };
