/**
 * The request pipeline is a chain of small steps around one `send`, each `(next) => (request) =>
 * Promise<answer>` (Octokit's hook.wrap('request') is the model): a step may change the request,
 * call `next` once, twice (a 401 replay, a retry) or not at all (a refused call), and look at the
 * answer on its way back. Each step does one job and is tested alone (test/client/steps.test.ts);
 * pipeline.ts decides their order.
 */
import type { CallOptions } from '../base-url.js';

/** One call on its way down the steps: what to send, and what the steps need to know of it. */
export interface WireRequest extends CallOptions {
  /** The call as errors and progress name it ("POST /api/x"; a link on another host by its origin and path). */
  what: string;
  /** The quota key (a path on the base URL); undefined for another origin: not paced, its rate-limit headers ignored. */
  endpoint?: string;
  /** An absolute URL, already checked (a file link); without it the URL is built from `path` and `query`. */
  url?: string;
  /** Retried like a read (only reads are re-sent after they may have reached Mimecast). */
  readOnly: boolean;
  /** Which attempt of the call this is (1, 2...); the retry step sets it. */
  attempt: number;
  /** The bearer token; the auth step sets it. */
  token?: string;
  /** No credential goes with it (a link on another origin): the auth step lets it pass as it is. */
  anonymous?: boolean;
  /** The answer must be a Mimecast envelope (the classify step checks it). */
  envelope?: boolean;
}

/**
 * A request with every field in one order, so that every request has one shape: the steps read
 * it on every call, and an object spread (`{ ...req, token }`) gave each caller's shape its own,
 * which cost the hot path more than all the steps together.
 */
export function wireRequest(r: WireRequest): WireRequest {
  return {
    method: r.method,
    path: r.path,
    query: r.query,
    body: r.body,
    contentType: r.contentType,
    accept: r.accept,
    what: r.what,
    endpoint: r.endpoint,
    url: r.url,
    readOnly: r.readOnly,
    attempt: r.attempt,
    token: r.token,
    anonymous: r.anonymous,
    envelope: r.envelope,
  };
}

/** The same request with another attempt number or token. */
export function derive(req: WireRequest, change: { attempt?: number; token?: string }): WireRequest {
  const next = wireRequest(req);
  if (change.attempt !== undefined) next.attempt = change.attempt;
  if (change.token !== undefined) next.token = change.token;
  return next;
}

/** What every answer has, whether read whole or handed back unread. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
}

export type Send<R> = (req: WireRequest) => Promise<R>;

/** A step that works on any answer (a retry, a budget). */
export type Step = <R>(next: Send<R>) => Send<R>;

/** A step that looks at the answer's status or headers (auth, pacing, write safety). */
export type AnswerStep = <R extends Answer>(next: Send<R>) => Send<R>;

/** `send` wrapped in the steps, the first outermost. */
export function compose<R extends Answer>(steps: readonly AnswerStep[], send: Send<R>): Send<R> {
  let next = send;
  for (let i = steps.length - 1; i >= 0; i--) next = steps[i](next);
  return next;
}
