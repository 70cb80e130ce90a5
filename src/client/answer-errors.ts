/**
 * What an answer that is not a success means, as a typed error: the HTTP status table (429, 403,
 * 404, 5xx, redirects, the rest by Mimecast's code), a 5xx inside HTTP 200, a 401 that a fresh
 * token did not cure, and an answer that is not a Mimecast envelope at all.
 */
import { ConnectorError } from '../base/errors.js';
import { errorTypeFor, readFailures, readRestErrors, type Failure } from './envelope.js';
import { waitFromHeaders } from './pacing.js';
import type { HttpResponse, StreamResponse } from './transport.js';

const requestIdOf = (headers: Record<string, string>): string | undefined => headers['x-request-id'] ?? headers['x-mc-request-id'];

/** A Mimecast /api/* answer: a JSON object with meta, data or fail. */
export function isEnvelope(json: unknown): boolean {
  return !!json && typeof json === 'object' && !Array.isArray(json) && ('meta' in json || 'data' in json || 'fail' in json);
}

/** What came back instead of an envelope, described for a person: its type and first bytes, printable only. */
export function notAnEnvelope(res: HttpResponse, what: string): ConnectorError {
  const type = res.contentType || 'no content type';
  const head = res.text
    .slice(0, 120)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim();
  const shown = head ? `: "${head}${res.text.length > 120 ? '…' : ''}"` : ' (an empty body)';
  return new ConnectorError(
    'api_error',
    `${what}: Mimecast answered HTTP ${res.status} with something that is not a Mimecast answer (${type}, ${res.text.length} bytes)${shown}`,
    {
      httpStatus: res.status,
      maybeApplied: true,
      hint: 'A proxy, a login page or a wrong base URL answered instead of Mimecast; check the base URL and the network path.',
    },
  );
}

/** The first Mimecast error of a 401 answer: read from an answer read whole, or from a small unread body (a download's). */
async function unauthorizedReason(res: object): Promise<Failure | undefined> {
  let json = (res as Partial<HttpResponse>).json;
  const body = (res as Partial<StreamResponse>).body;
  if (json === undefined && body && typeof body.text === 'function') {
    try {
      json = JSON.parse(await body.text());
    } catch {
      json = undefined;
    }
  }
  return [...readFailures(json), ...readRestErrors(json)][0];
}

/** Mimecast refused a freshly issued token: its own code says why (err_xdk_invalid_signature, ...) and reaches error.code. */
export async function refusedFreshToken(res: { headers: Record<string, string> }): Promise<ConnectorError> {
  const first = await unauthorizedReason(res);
  return new ConnectorError('auth_error', `Mimecast refused a freshly issued token (HTTP 401)${first ? `: ${first.message} (${first.code})` : ''}`, {
    httpStatus: 401,
    code: first?.code,
    requestId: requestIdOf(res.headers),
    hint: 'The API application may have been disabled or its credentials revoked; check it in Integrations Hub → Mimecast API 2.0.',
  });
}

/** A Mimecast answer whose meta.status is 5xx inside HTTP 200: a server-side failure, like an HTTP 5xx. */
export function serverErrorInside(res: HttpResponse, status: number, what: string): ConnectorError {
  const first = readFailures(res.json)[0];
  const detail = first ? `: ${first.message} (${first.code})` : '';
  return new ConnectorError('api_error', `${what}: Mimecast reported status ${status} inside HTTP 200${detail}`, {
    httpStatus: status,
    code: first?.code,
    requestId: requestIdOf(res.headers),
    retryable: true,
    maybeApplied: true,
    hint: 'A server-side problem at Mimecast; try again later.',
  });
}

/** A redirect is never followed: the bearer token goes to the base URL and nowhere else. */
function redirected(res: HttpResponse, what: string, common: { httpStatus: number; requestId?: string }): ConnectorError {
  let where = '';
  try {
    // Origin and path only: a query can carry a credential.
    const to = new URL(res.headers.location ?? '', 'invalid:/');
    if (to.protocol !== 'invalid:') where = ` to ${to.origin}${to.pathname}`;
  } catch {
    where = '';
  }
  return new ConnectorError('api_error', `${what}: Mimecast answered HTTP ${res.status}, a redirect${where}; redirects are not followed`, {
    ...common,
    hint: 'The bearer token is only sent to the base URL. Check the base URL (its region and scheme), or a proxy that redirects.',
  });
}

/** The hint of a permission_error when the action's manifest names the permission it needs. */
export const permissionHint = (permission: string | undefined): string =>
  permission
    ? `Give the API application's role the "${permission}" permission in Mimecast (Administration → Roles).`
    : "The API application's role lacks the permission for this call (Administration → Roles).";

/** Hands back a 2xx answer; throws the right ConnectorError for any other. */
export function checkStatus(res: HttpResponse, what: string, permission?: string): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const failures = [...readFailures(res.json), ...readRestErrors(res.json)];
  const first = failures[0];
  const detail = first ? `: ${first.message} (${first.code})` : '';
  const common = { httpStatus: res.status, code: first?.code, requestId: requestIdOf(res.headers), field: first?.field };
  if (res.status === 429) {
    throw new ConnectorError('rate_limited', `${what}: Mimecast rate limit reached (HTTP 429)`, {
      ...common,
      retryable: true,
      waitMs: waitFromHeaders(res.headers),
      hint: 'Mimecast did not run the call; it is retried after the wait Mimecast asks for.',
    });
  }
  if (res.status === 403) {
    throw new ConnectorError('permission_error', `${what}: Mimecast refused the call (HTTP 403)${detail}`, {
      ...common,
      hint: permissionHint(permission),
    });
  }
  if (res.status === 404) {
    throw new ConnectorError('not_found', `${what}: Mimecast answered HTTP 404${detail}`, {
      ...common,
      hint: first ? undefined : 'The path does not exist on this base URL; check the path and the region of the base URL.',
    });
  }
  if (res.status >= 500) {
    const html = res.contentType.includes('html') || /^\s*</.test(res.text);
    throw new ConnectorError('api_error', `${what}: Mimecast answered HTTP ${res.status}${html ? ' (an HTML error page)' : ''}${detail}`, {
      ...common,
      retryable: true,
      maybeApplied: true,
      hint: 'A server-side problem at Mimecast; try again later.',
    });
  }
  if (res.status >= 300 && res.status < 400) throw redirected(res, what, common);
  const emptyBody = res.text.trim() === '';
  throw new ConnectorError(errorTypeFor(first?.code, res.status), `${what}: Mimecast answered HTTP ${res.status}${detail}`, {
    ...common,
    hint: res.status === 400 && emptyBody ? 'HTTP 400 with an empty body usually means a truncated or malformed Mimecast ID; copy the whole ID.' : undefined,
  });
}
