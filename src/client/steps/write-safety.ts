/**
 * Write safety: which calls were sent and not answered to the end. A deadline that ends a write
 * while its answer is still arriving may have cut a call that reached Mimecast; the retry step asks
 * this before it says what became of the write (never re-sent, and said so).
 */
import { ConnectorError } from '../../base/errors.js';
import type { Step } from './step.js';

export class InFlight {
  private count = 0;

  /** True while a sent call's answer is still being read (or failed after it may have reached Mimecast). */
  readonly any = (): boolean => this.count > 0;

  /** Counts each request as unfinished until its answer is back. */
  readonly step: Step = (next) => async (req) => {
    this.count++;
    let res;
    try {
      res = await next(req);
    } catch (e) {
      this.ended(e);
      throw e;
    }
    this.ended();
    return res;
  };

  /**
   * Runs work on an answer (reading a download's body), counted as unfinished until it is done;
   * work that failed after the call may have reached Mimecast stays counted (the deadline's error
   * may be handled after it).
   */
  async tracked<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    let result: T;
    try {
      result = await work();
    } catch (e) {
      this.ended(e);
      throw e;
    }
    this.ended();
    return result;
  }

  /** An exchange is over: it stops counting as unfinished, unless it failed after it may have reached Mimecast. */
  private ended(error?: unknown): void {
    if (!(error instanceof ConnectorError && error.maybeApplied)) this.count--;
  }
}
