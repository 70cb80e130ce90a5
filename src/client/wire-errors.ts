/**
 * What went wrong on the wire, as a typed error: a timeout, a TLS failure, a refused or dropped
 * connection, a proxy that refused its tunnel. `maybeApplied` says whether the request may have
 * reached Mimecast (the retry rules and write safety read it); `retryable` whether trying again can help.
 */
import { ConnectorError } from '../base/errors.js';
import { DEADLINE_HINT } from './retry.js';

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_CERT|ERR_SSL)/;
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Classifies a thrown transport error. maybeApplied: the request may have reached Mimecast. */
export function classifyTransportError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || code === 'UND_ERR_ABORTED') {
    return new ConnectorError('timeout', `${what}: the action's time limit ran out before Mimecast answered`, {
      maybeApplied: true,
      hint: DEADLINE_HINT,
    });
  }
  if (TLS_CODES.test(code)) {
    return new ConnectorError('transport_error', `${what}: TLS certificate verification failed (${code})`, {
      code,
      hint: 'Check the base URL; a TLS-inspecting proxy needs its CA in the ca_file setting (a PEM file). verify=false works but is unsafe.',
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ConnectorError('timeout', `${what}: no answer from Mimecast within the timeout (${code})`, {
      code,
      maybeApplied: code !== 'UND_ERR_CONNECT_TIMEOUT',
      retryable: true,
      hint: 'Raise the instance timeout (15-120 s), or try again later.',
    });
  }
  return new ConnectorError('transport_error', `${what}: ${e.message ?? 'network error'}${code ? ` (${code})` : ''}`, {
    code: code || undefined,
    maybeApplied: !NOT_SENT_CODES.has(code),
    retryable: true,
    hint: NOT_SENT_CODES.has(code) ? 'Check the base URL and that this host can reach Mimecast.' : undefined,
  });
}

/** An error of the way to the proxy or of its tunnel: nothing reached Mimecast. */
export function proxyError(err: unknown, what: string, proxy: string): ConnectorError | undefined {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const refused = /^Proxy response \((\d+)\)/.exec(e.message ?? '');
  if (refused) {
    const status = Number(refused[1]);
    return new ConnectorError('transport_error', `${what}: the proxy ${proxy} refused the tunnel (HTTP ${status})`, {
      httpStatus: status,
      retryable: status >= 500,
      hint:
        status === 407
          ? 'The proxy wants credentials: give them in the proxy URL (http://user:password@host:port).'
          : 'Check that the proxy allows CONNECT to the Mimecast host and port, or exempt the host with NO_PROXY.',
    });
  }
  const code = e.code ?? e.cause?.code ?? '';
  if (NOT_SENT_CODES.has(code) && code !== 'UND_ERR_CONNECT_TIMEOUT') {
    // Through a tunnel the proxy resolves and connects to Mimecast: what failed is the way to the proxy.
    return new ConnectorError('transport_error', `${what}: cannot reach the proxy ${proxy} (${code})`, {
      code,
      retryable: true,
      hint: 'Check the proxy URL (the proxy setting, HTTPS_PROXY or HTTP_PROXY) and that this host can reach it.',
    });
  }
  if (code === 'UND_ERR_PRX_TLS' || code === 'UND_ERR_PRX_CONN') {
    return new ConnectorError('transport_error', `${what}: the connection to the proxy ${proxy} failed (${code})`, {
      code,
      retryable: code === 'UND_ERR_PRX_CONN',
      hint: 'Check the proxy URL (the proxy setting, HTTPS_PROXY or HTTP_PROXY) and that this host can reach it.',
    });
  }
  return undefined;
}
