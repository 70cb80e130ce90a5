/**
 * Quota pacing as a step: a call to an endpoint whose quota is spent waits for the reset before it
 * starts (pacing.ts decides), and every answer's rate-limit headers are read once, for the pacer
 * and for meta.rate_limit. A request to another origin (`endpoint` undefined: a file host's link)
 * is not paced, and its headers, which say nothing of Mimecast's quota, are ignored.
 */
import type { OutcomeLedger } from '../ledger.js';
import { rateLimitInfo, type QuotaPacer } from '../pacing.js';
import { seconds, type ProgressListener } from '../progress.js';
import type { AnswerStep } from './step.js';

export interface PaceOptions {
  /** The connection's pacer; none in a dry run (nothing to pace, nothing heard). */
  pacer?: QuotaPacer;
  ledger: OutcomeLedger;
  deadline: AbortSignal;
  deadlineAt: number;
  progress?: ProgressListener;
}

export const paceStep =
  (o: PaceOptions): AnswerStep =>
  (next) =>
  async (req) => {
    const { endpoint } = req;
    const pacer = endpoint === undefined ? undefined : o.pacer;
    const key = endpoint ?? '';
    // A known, unspent quota is taken without a promise: nearly every call.
    if (pacer && !pacer.tryTake(key)) {
      await pacer.acquire(key, o.deadlineAt, o.deadline, (ms) =>
        o.progress?.({
          kind: 'wait',
          reason: 'rate_limited',
          ms,
          attempt: 1,
          message: `${req.what}: the Mimecast quota of this endpoint is spent; waiting ${seconds(ms)} for it to reset`,
        }),
      );
    }
    let res;
    try {
      res = await next(req);
    } catch (e) {
      // The call told nothing of the quota: the calls waiting on it go on.
      pacer?.release(key);
      throw e;
    }
    if (endpoint === undefined) return res;
    const requestId = res.headers['x-request-id'] ?? res.headers['x-mc-request-id'];
    if (requestId) o.ledger.requestIds.push(requestId);
    const rl = rateLimitInfo(res.headers);
    if (rl) o.ledger.rateLimit = rl;
    pacer?.observe(endpoint, rl, res.status >= 200 && res.status < 300);
    return res;
  };
