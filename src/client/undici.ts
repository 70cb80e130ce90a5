/**
 * The one place that reaches into undici's internals. The package index also loads fetch,
 * WebSocket, caches and mocks, which cost about 40 ms of cold start per playbook step (the bench's
 * cold_start figure), so the connector deep-imports only the Agent and the request API, and the
 * ProxyAgent when a proxy applies. Paths inside a package are not its public contract: undici is
 * pinned to one exact version in package.json, and test/client/undici-deep-imports.test.ts names
 * the path that is gone when an upgrade moves one. Upgrading undici: change the pin, run that test.
 */
import UndiciAgent from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';

export { UndiciAgent, apiRequest };

/** Every path deep-imported (the static ones above, the proxy's loaded below), checked by the test. */
export const UNDICI_DEEP_IMPORTS = [
  'undici/lib/dispatcher/agent.js',
  'undici/lib/api/api-request.js',
  'undici/lib/dispatcher/proxy-agent.js',
  'undici/lib/dispatcher/dispatcher.js',
  'undici/lib/api/api-connect.js',
] as const;

/**
 * undici's ProxyAgent, loaded only when a proxy applies. It opens its tunnel with
 * Dispatcher#connect, which undici's index attaches to every dispatcher; without the index that
 * one method is attached here, once, and only where undici has not attached one itself.
 */
export async function loadProxyAgent() {
  const [{ default: ProxyAgent }, { default: DispatcherClass }, { default: connect }] = await Promise.all([
    import('undici/lib/dispatcher/proxy-agent.js'),
    import('undici/lib/dispatcher/dispatcher.js'),
    import('undici/lib/api/api-connect.js'),
  ]);
  (DispatcherClass.prototype as { connect?: unknown }).connect ??= connect;
  return ProxyAgent;
}
