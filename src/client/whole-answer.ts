/**
 * One whole answer read through undici's dispatch handler API (the hot path of every JSON call).
 */
import type { Dispatcher } from 'undici';
import { BodyBytes, decodeUtf8, declaredLength, tooLarge } from './body.js';
import type { AbortEmitter } from './deadline.js';

/**
 * One string per header: a repeated header's values joined with ", ". undici's header names are
 * lower-case already (its documented contract), so its object is turned into ours in place.
 */
export function flattenHeaders(h: Dispatcher.ResponseData['headers']): Record<string, string> {
  for (const k in h) {
    const v = h[k];
    if (typeof v === 'string') continue;
    if (v === undefined) delete h[k];
    else h[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return h as Record<string, string>;
}

/** A whole answer as it came off the wire: status, headers (one string each) and the body as text. */
export interface WholeAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Reads one whole answer through undici's dispatch handler API: the chunks are collected as they
 * arrive and decoded once, with no stream, no async resource and no promise per answer beyond the
 * caller's. An answer past `limit` bytes (declared or counted) is cut off as soon as that is known.
 * The run's signal (an AbortSignal or undici's EventEmitter alternative) aborts the request at any
 * point, queued, sending or reading; its listener is removed when the answer ends, however it ends.
 */
export class WholeAnswerReader implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  private reason?: Error;
  private status = 0;
  private headers: Record<string, string> = {};
  private bytes?: BodyBytes;
  private detach?: () => void;

  constructor(
    private readonly limit: number,
    private readonly what: string,
    signal: AbortSignal | AbortEmitter | undefined,
    private readonly resolve: (answer: WholeAnswer) => void,
    private readonly reject: (err: unknown) => void,
  ) {
    if (!signal) return;
    const onAbort = () => this.abort(((signal as { reason?: unknown }).reason as Error) ?? new DOMException('This operation was aborted', 'AbortError'));
    if ('on' in signal) {
      // An emitter is told 'abort' once; on() spares the wrapper once() would build.
      signal.on('abort', onAbort);
      this.detach = () => signal.removeListener('abort', onAbort);
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      this.detach = () => signal.removeEventListener('abort', onAbort);
    }
  }

  private abort(reason: Error): void {
    // Before undici has started the request, the reason waits for onRequestStart.
    if (this.controller) this.controller.abort(reason);
    else this.reason = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Dispatcher.ResponseData['headers']): void {
    // 1xx: informational, the answer is still to come.
    if (statusCode < 200) return;
    this.status = statusCode;
    this.headers = flattenHeaders(headers);
    const declared = declaredLength(this.headers);
    if (declared > this.limit) controller.abort(tooLarge(this.what, this.limit));
    else this.bytes = new BodyBytes(this.limit, declared);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const bytes = this.bytes;
    if (!bytes) return;
    if (bytes.size + chunk.length > this.limit) controller.abort(tooLarge(this.what, this.limit));
    else bytes.add(chunk);
  }

  onResponseEnd(): void {
    this.detach?.();
    this.resolve({ status: this.status, headers: this.headers, text: this.bytes ? decodeUtf8(this.bytes.bytes()) : '' });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.detach?.();
    this.reject(err);
  }
}
