/** Types shared by the simulator core and its route modules. */
import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when there is none). */
  body: any;
  rawBody: string;
}

export interface SimResponse {
  status?: number;
  json?: unknown;
  /** A raw body (binary downloads, HTML pages). */
  body?: Buffer | string;
  headers?: Record<string, string>;
}

export interface FailEntry {
  key: unknown;
  errors: { code: string; message: string; field?: string; retryable: boolean }[];
}

export interface SimContext {
  /** A state slot's value in this simulator (created by its init on first use, kept until reset()). */
  state<T>(slot: StateSlot<T>): T;
  /** A new Mimecast-style secure ID. */
  newId(prefix?: string): string;
  /** The standard /api/* envelope. */
  ok(data: unknown[], fail?: FailEntry[], pagination?: Record<string, unknown>): SimResponse;
  /** A fail[] entry in the function-error shape. */
  failItem(key: unknown, code: string, message: string, field?: string): FailEntry;
  /** One page of rows, per the request's meta.pagination; wrap builds data[] from the page. */
  page<T>(req: SimRequest, rows: T[], wrap?: (rows: T[]) => unknown[]): SimResponse;
  /** The request's data[] items (400 when the body is not the /api/* envelope). */
  items(req: SimRequest): Record<string, unknown>[];
  now(): Date;
  /** How many SIEM events arrive per 30 seconds (SimulatorOptions.siemEventsPer30s). */
  readonly siemEventsPer30s: number;
  /**
   * A pre-signed link to a file on the simulator's separate download host (another origin, so a
   * client sends no token there): how 2.0 answers archive get-file (mimecast-api.md §8).
   */
  presign(file: { name: string; contentType: string; content: Buffer }): string;
}

export type RouteHandler = (req: SimRequest, sim: SimContext) => SimResponse | Promise<SimResponse>;

export interface RouteModule {
  /** "POST /api/directory/add-group-member" → handler. */
  routes: Record<string, RouteHandler>;
}

/**
 * apply_then_fail: the request is served in full (a write is applied) and then its answer is lost:
 * the connection is reset, or, with `status`, a gateway error replaces the answer. What a client
 * sees is the same as 'reset' or 'status'; what Mimecast holds afterwards is not.
 * fail_item: HTTP 200 with the request's (first) item refused in fail[] (`code`, default
 * err_simulated_failure) and nothing done: Mimecast's partial failure, on any route.
 */
export const FAULT_KINDS = ['status', 'rate_limit', 'expire_token', 'slow', 'truncated', 'html', 'reset', 'apply_then_fail', 'fail_item'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** Exact path to match; default: any path except /oauth/token and /__sim/*. */
  path?: string;
  /** How many requests it applies to (default 1). */
  times?: number;
  /** How many matching requests pass untouched before it applies (default 0): "page 3 fails" is after: 2. */
  after?: number;
  /** For status and html: the HTTP status; for apply_then_fail: the status that replaces the answer (default: the connection is reset). */
  status?: number;
  delayMs?: number;
  /** For rate_limit: the X-RateLimit-Reset value (ms). */
  resetMs?: number;
  retryAfter?: string;
  /** For fail_item: the error code of the refused item. */
  code?: string;
}

export const defineRoutes = (routes: Record<string, RouteHandler>): RouteModule => ({ routes });

/** Where a state slot lives: the route context, and the Simulator handle tests hold. */
export interface StateHost {
  state<T>(slot: StateSlot<T>): T;
}

/**
 * A typed slot of simulator state, declared once by the route module that owns it. The slot is
 * its own key (by identity, no string a caller could misspell) and its own accessor:
 * `groups(sim)` is the group map of that simulator, a route's context or the Simulator handle.
 */
export interface StateSlot<T> {
  (sim: StateHost): T;
  /** For messages and debugging only: one module declares each name. */
  readonly label: string;
  /** The value at the start and after reset(). */
  readonly init: (sim: SimContext) => T;
}

const labels = new Set<string>();

export function defineState<T>(label: string, init: (sim: SimContext) => T): StateSlot<T> {
  // Two slots with one label would be two states that read alike in a debugger: a copy-paste slip.
  if (labels.has(label)) throw new Error(`simulator state ${JSON.stringify(label)} is declared twice`);
  labels.add(label);
  const slot: StateSlot<T> = Object.assign((sim: StateHost): T => sim.state(slot), { label, init });
  return slot;
}
