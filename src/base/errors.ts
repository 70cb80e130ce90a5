/**
 * One failure channel: every error that reaches the result envelope is a ConnectorError.
 * The bottom layer: runtime, client and CLI import it; it imports nothing of theirs.
 */

export type ErrorType =
  | 'config_error'
  | 'input_error'
  | 'auth_error'
  | 'permission_error'
  | 'not_found'
  | 'api_error'
  | 'rate_limited'
  | 'timeout'
  | 'transport_error'
  | 'internal_error';

export interface ErrorInfo {
  type: ErrorType;
  message: string;
  hint?: string;
  http_status?: number;
  code?: string;
  request_id?: string;
  field?: string;
}

export interface ConnectorErrorOptions {
  hint?: string;
  httpStatus?: number;
  code?: string;
  requestId?: string;
  field?: string;
  /** True when the request may have reached Mimecast (used by the retry policy). */
  maybeApplied?: boolean;
  /** The error is transient: the same call may succeed later (whether it may be re-sent is the retry rules' decision). */
  retryable?: boolean;
  /** A write that may have reached Mimecast was deliberately not re-sent (the hint says so). */
  resendWithheld?: boolean;
  /** Milliseconds Mimecast asked us to wait (429). */
  waitMs?: number;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly type: ErrorType;
  readonly hint?: string;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly field?: string;
  readonly maybeApplied: boolean;
  readonly retryable: boolean;
  readonly resendWithheld: boolean;
  readonly waitMs?: number;

  constructor(type: ErrorType, message: string, options: ConnectorErrorOptions = {}) {
    super(message);
    this.name = 'ConnectorError';
    this.type = type;
    this.hint = options.hint;
    this.httpStatus = options.httpStatus;
    this.code = options.code;
    this.requestId = options.requestId;
    this.field = options.field;
    this.maybeApplied = options.maybeApplied ?? false;
    this.retryable = options.retryable ?? false;
    this.resendWithheld = options.resendWithheld ?? false;
    this.waitMs = options.waitMs;
    if (options.cause !== undefined) this.cause = options.cause;
  }

  /** The same error with some options changed (errors are immutable). */
  with(changes: ConnectorErrorOptions & { type?: ErrorType; message?: string }): ConnectorError {
    const e = new ConnectorError(changes.type ?? this.type, changes.message ?? this.message, {
      hint: this.hint,
      httpStatus: this.httpStatus,
      code: this.code,
      requestId: this.requestId,
      field: this.field,
      maybeApplied: this.maybeApplied,
      retryable: this.retryable,
      resendWithheld: this.resendWithheld,
      waitMs: this.waitMs,
      cause: this.cause,
      ...changes,
    });
    return e;
  }

  /** Exit code class: errors found before anything was sent are invocation errors (2). */
  get beforeSend(): boolean {
    return this.type === 'config_error' || this.type === 'input_error';
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { type: this.type, message: this.message };
    if (this.hint) info.hint = this.hint;
    if (this.httpStatus !== undefined) info.http_status = this.httpStatus;
    if (this.code) info.code = this.code;
    if (this.requestId) info.request_id = this.requestId;
    if (this.field) info.field = this.field;
    return info;
  }
}

export const inputError = (field: string, reason: string): ConnectorError => new ConnectorError('input_error', `${field} ${reason}`, { field });

/** Wraps anything thrown into a ConnectorError without leaking stack traces to the envelope. */
export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectorError('internal_error', `Unexpected error: ${message}`, {
    hint: 'This is a connector bug; run with MIMECAST_DEBUG=1 and report the stderr output.',
    cause: err,
  });
}
