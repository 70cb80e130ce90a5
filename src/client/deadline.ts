/**
 * The time limit of one action run, as the AbortSignal every request, retry wait and quota wait
 * of the run listens to. A plain controller and one timer that the run clears when it ends:
 * AbortSignal.timeout has no way to be cleared, so each finished run would leave its timer pending
 * for the whole limit (a busy connection holds hundreds of thousands of them, and the collector
 * walks them all). The caller's own signal, when there is one, aborts the run the same way.
 *
 * undici also takes an EventEmitter as a request's signal (its documented alternative to an
 * AbortSignal), and listening on one costs a fraction of what an AbortSignal listener does, on
 * every request. So the deadline tells an emitter too, and requestSignal() hands it to undici.
 */
import { EventEmitter } from 'node:events';

/** What undici listens to for a request: told 'abort' once, with the reason. */
export interface AbortEmitter extends EventEmitter {
  reason?: unknown;
}

/** Where a run's signal keeps its emitter: a property of the signal, so it goes with the run (no weak map entry per run for the collector to sweep). */
const EMITTER = Symbol('mimecast-connector.abortEmitter');

/** What a request of a run listens to: its deadline's emitter, or the signal itself when it is not a run's. */
export function requestSignal(signal: AbortSignal): AbortSignal | AbortEmitter {
  return (signal as AbortSignal & { [EMITTER]?: AbortEmitter })[EMITTER] ?? signal;
}

export class RunDeadline {
  /** When the limit runs out (epoch ms). */
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly emitter: AbortEmitter = new EventEmitter();
  private readonly timer: NodeJS.Timeout;
  private unlink?: () => void;

  constructor(ms: number, outer?: AbortSignal) {
    this.at = Date.now() + ms;
    // One listener per request in flight: a run may have many.
    this.emitter.setMaxListeners(0);
    (this.controller.signal as AbortSignal & { [EMITTER]?: AbortEmitter })[EMITTER] = this.emitter;
    // The same reason AbortSignal.timeout gives: a TimeoutError DOMException.
    this.timer = setTimeout(() => this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
    this.timer.unref();
    if (outer?.aborted) this.abort(outer.reason);
    else if (outer) {
      const follow = () => this.abort(outer.reason);
      outer.addEventListener('abort', follow, { once: true });
      this.unlink = () => outer.removeEventListener('abort', follow);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private abort(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.emitter.reason = reason;
    this.emitter.emit('abort');
  }

  /** The run is over: its timer and its link to the caller's signal are released. */
  end(): void {
    clearTimeout(this.timer);
    this.unlink?.();
    this.unlink = undefined;
  }
}
