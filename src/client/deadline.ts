/**
 * The time limit of one action run, as the AbortSignal every request, retry wait and quota wait
 * of the run listens to. A plain controller and one timer that the run clears when it ends:
 * AbortSignal.timeout has no way to be cleared, so each finished run would leave its timer pending
 * for the whole limit (a busy connection holds hundreds of thousands of them, and the collector
 * walks them all). The caller's own signal, when there is one, aborts the run the same way.
 */
export class RunDeadline {
  /** When the limit runs out (epoch ms). */
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private unlink?: () => void;

  constructor(ms: number, outer?: AbortSignal) {
    this.at = Date.now() + ms;
    const controller = this.controller;
    // The same reason AbortSignal.timeout gives: a TimeoutError DOMException.
    this.timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    this.timer.unref();
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer) {
      const follow = () => controller.abort(outer.reason);
      outer.addEventListener('abort', follow, { once: true });
      this.unlink = () => outer.removeEventListener('abort', follow);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The run is over: its timer and its link to the caller's signal are released. */
  end(): void {
    clearTimeout(this.timer);
    this.unlink?.();
    this.unlink = undefined;
  }
}
