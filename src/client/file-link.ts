/**
 * The credential policy of a file link Mimecast answered with (get-file on API 2.0 may answer JSON
 * that links to the file). On the base URL's origin the bearer token goes with it; on any other
 * origin (a pre-signed link) no credential does, and the answer's rate-limit headers are not taken
 * for Mimecast's. A link must be https; plain http only to a loopback host and only when the base
 * URL is loopback too (a local simulator or test server, never a remote tenant's link).
 */
import { isLoopbackHost } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { wireRequest, type WireRequest } from './steps/step.js';

/** The request for a link, or the api_error that says why it is not fetched. */
export function linkRequest(link: string, baseUrl: string, baseOrigin: string): WireRequest {
  let u: URL;
  try {
    u = new URL(link, baseUrl);
  } catch {
    throw new ConnectorError('api_error', 'Mimecast answered with a file link that is not a URL');
  }
  const localOnly = u.protocol === 'http:' && isLoopbackHost(u.hostname) && isLoopbackHost(new URL(baseUrl).hostname);
  if (u.protocol !== 'https:' && !localOnly) {
    throw new ConnectorError('api_error', `Mimecast answered with a file link that is not https (${u.protocol}); it was not fetched`);
  }
  const sameOrigin = u.origin === baseOrigin;
  return wireRequest({
    method: 'GET',
    path: u.pathname,
    url: u.toString(),
    accept: '*/*',
    // A pre-signed link's query is a credential: errors name the origin and path only.
    what: `GET ${sameOrigin ? u.pathname : `${u.origin}${u.pathname}`}`,
    endpoint: sameOrigin ? u.pathname : undefined,
    anonymous: !sameOrigin,
    // A GET of a link changes nothing, so it is retried like a read.
    readOnly: true,
    attempt: 1,
  });
}
