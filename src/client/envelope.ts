/**
 * Mimecast's envelope, read in full. HTTP 200 is not success: failures arrive in fail[]
 * (function errors: fail[].errors[]; gateway errors: fail[].code without errors[]),
 * in meta.status other than 200, and in per-item false flags (release, reject, success, ...).
 */
import { append } from '../base/arrays.js';
import type { ErrorType } from '../base/errors.js';

/** One per-item failure, as it appears in the result envelope's failures[]. */
export interface Failure {
  code: string;
  message: string;
  field?: string;
  retryable?: boolean;
  key?: unknown;
}

export interface Envelope {
  meta?: { status?: number; pagination?: { next?: string; pageSize?: number; totalCount?: number; [k: string]: unknown }; [k: string]: unknown };
  data?: unknown[];
  fail?: unknown[];
}

interface RawError {
  code?: unknown;
  message?: unknown;
  field?: unknown;
  retryable?: unknown;
}

function toFailure(e: RawError, key: unknown): Failure {
  const f: Failure = {
    code: typeof e.code === 'string' && e.code ? e.code : 'unknown_error',
    message: typeof e.message === 'string' && e.message ? e.message : 'Mimecast reported a failure without a message',
  };
  if (typeof e.field === 'string' && e.field) f.field = e.field;
  if (typeof e.retryable === 'boolean') f.retryable = e.retryable;
  if (key !== undefined) f.key = key;
  return f;
}

/** Reads fail[] in both shapes; one Failure per error. */
export function readFailures(body: unknown): Failure[] {
  const fail = (body as Envelope | undefined)?.fail;
  if (!Array.isArray(fail)) return [];
  const out: Failure[] = [];
  for (const entry of fail) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as { key?: unknown; errors?: unknown } & RawError;
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      for (const err of e.errors) out.push(toFailure((err ?? {}) as RawError, e.key));
    } else {
      out.push(toFailure(e, e.key));
    }
  }
  return out;
}

/** Reads the REST-style error envelope: {"error":[{"code","message"}]}. */
export function readRestErrors(body: unknown): Failure[] {
  const err = (body as { error?: unknown } | undefined)?.error;
  if (!Array.isArray(err)) return [];
  return err.filter((e) => e && typeof e === 'object').map((e) => toFailure(e as RawError, undefined));
}

export function metaStatus(body: unknown): number | undefined {
  const s = (body as Envelope | undefined)?.meta?.status;
  return typeof s === 'number' ? s : undefined;
}

/** Maps a Mimecast error code (or HTTP status) to the envelope's error type. */
export function errorTypeFor(code: string | undefined, httpStatus?: number): ErrorType {
  const c = (code ?? '').toLowerCase();
  // status_NNN: the code recorded for a call whose meta.status (inside HTTP 200) was NNN.
  const meta = /^status_(\d{3})$/.exec(c);
  if (meta && httpStatus === undefined) httpStatus = Number(meta[1]);
  if (c.includes('forbidden') || httpStatus === 403) return 'permission_error';
  if (c.includes('not_found') || c.includes('notfound') || httpStatus === 404) return 'not_found';
  if (c === 'token_expired' || c.includes('unauthorized') || c.includes('invalidclient') || httpStatus === 401) return 'auth_error';
  if (httpStatus === 429) return 'rate_limited';
  return 'api_error';
}

/** Row extraction: '' → data[]; 'x' → data[0].x (Mimecast nests some lists one level down). */
export function rowsAt(body: unknown, resultPath: string): unknown[] {
  const data = (body as Envelope | undefined)?.data;
  if (!Array.isArray(data)) return [];
  if (!resultPath) return data;
  const rows: unknown[] = [];
  for (const d of data) {
    const v = d && typeof d === 'object' ? (d as Record<string, unknown>)[resultPath] : undefined;
    if (Array.isArray(v)) append(rows, v);
  }
  return rows;
}
