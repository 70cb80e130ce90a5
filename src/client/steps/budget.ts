/**
 * The run's call budget (max_calls): every request counts, each attempt and each token request,
 * and so does meta.requests (a dry run sends nothing, so it counts nothing there). A request past
 * the budget is refused before it is sent.
 */
import { ConnectorError } from '../../base/errors.js';
import type { OutcomeLedger } from '../ledger.js';
import type { Step } from './step.js';

export class CallBudget {
  /** Requests started so far (each attempt counts, and so does a token request). */
  private calls = 0;

  constructor(
    /** The most requests this run may make. */
    readonly max: number,
    private readonly ledger: OutcomeLedger,
    private readonly dryRun = false,
  ) {}

  /** Requests this run has made so far. */
  get made(): number {
    return this.calls;
  }

  /** Whether the budget is spent: the next request would be refused. */
  get spent(): boolean {
    return this.calls >= this.max;
  }

  /** Counts a request that is going out (a token request too: the token store decides to make it). */
  counted(): void {
    this.calls++;
    if (!this.dryRun) this.ledger.requests++;
  }

  /**
   * The refusal of a request past max_calls. The operations check what they need before the first
   * call (nothing sent: an input_error); a refusal here comes after this run's first requests went
   * out, so it is a run-time stop (rate_limited: this run's own limit, like the pacer's), never the
   * input_error that promises nothing was sent. A paged read it stops is partial, with a resume token.
   */
  refusal(what: string): ConnectorError {
    return new ConnectorError(
      'rate_limited',
      `${what}: this run has made ${this.calls} requests (token requests included), the most it may make (max_calls ${this.max}); stopped before the next`,
      {
        field: 'max_calls',
        code: 'max_calls_reached',
        hint: 'The requests before it were sent; nothing after. Narrow the request, or raise max_calls in the configuration or with --max-calls for this run.',
      },
    );
  }
}

/** Counts each request against the budget, and refuses it (unsent) once the budget is spent. */
export const budgetStep =
  (budget: CallBudget): Step =>
  (next) =>
  (req) => {
    // A refusal is a rejection like any failure below (a step always answers with a promise).
    if (budget.spent) return Promise.reject(budget.refusal(req.what));
    budget.counted();
    return next(req);
  };
