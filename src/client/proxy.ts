/**
 * Which proxy a request goes through: the instance's `proxy` key, else HTTPS_PROXY (falling back to
 * HTTP_PROXY), lower-case names first; NO_PROXY (host, .domain or *.domain suffix, host:port, *)
 * sends a host direct. The rules are undici's EnvHttpProxyAgent's, decided here so that the
 * transport can say which proxy it used. Only a remote https target is ever proxied: a loopback
 * target is on this host, and a plain-http one would cross the proxy in clear (a CONNECT tunnel
 * carries bytes, and for http:// those bytes are the client secret and the bearer token).
 */
import { ConnectorError } from '../base/errors.js';
import { registerSecret } from '../base/log.js';

export interface ProxySettings {
  /** HTTP_PROXY (a URL; its credentials are secrets): checked, and the fallback of `https`; an http:// target is never proxied. */
  http?: string;
  /** The proxy for https:// targets. */
  https?: string;
  /** NO_PROXY as given (comma or space separated). */
  noProxy: string;
  /** Where the proxy came from, for people: "proxy" (the config key) or the variable's name. */
  source: { http?: string; https?: string };
}

const pick = (env: NodeJS.ProcessEnv, ...names: string[]): { value?: string; name?: string } => {
  for (const name of names) if (env[name]) return { value: env[name], name };
  return {};
};

/** The settings of one instance: its `proxy` key wins over the environment's proxies; NO_PROXY applies to both. */
export function proxySettings(configProxy: string | undefined, env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const noProxy = pick(env, 'no_proxy', 'NO_PROXY').value ?? '';
  if (configProxy) return { http: configProxy, https: configProxy, noProxy, source: { http: 'proxy', https: 'proxy' } };
  const http = pick(env, 'http_proxy', 'HTTP_PROXY');
  const https = pick(env, 'https_proxy', 'HTTPS_PROXY');
  return {
    http: http.value,
    https: https.value ?? http.value,
    noProxy,
    source: { http: http.name, https: https.name ?? http.name },
  };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** True when NO_PROXY sends this URL's host direct. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname
    .replace(/^\[(.+)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  for (const raw of noProxy.split(/[,\s]/)) {
    if (!raw) continue;
    const v6 = /^\[(.+)\]:(\d+)$/.exec(raw);
    const plain = raw.replace(/^\[(.+)\]$/, '$1');
    const hostPort = !v6 && (plain.match(/:/g) ?? []).length === 1 ? /^(.+):(\d+)$/.exec(plain) : null;
    const entryHost = (v6?.[1] ?? hostPort?.[1] ?? plain)
      .replace(/^\*?\./, '')
      .replace(/^(.+)\.$/, '$1')
      .toLowerCase();
    const entryPort = Number(v6?.[2] ?? hostPort?.[2] ?? 0);
    if (entryPort && entryPort !== port) continue;
    if (entryHost === '*') return true;
    // "*.example.com" matches subdomains only; "example.com" and ".example.com" the apex too.
    if (!raw.startsWith('*') && host === entryHost) return true;
    if (host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/**
 * A host that is this machine, in any form a URL can name it: localhost (and *.localhost, RFC 6761),
 * 127.0.0.0/8 (the URL parser writes 127.1 or 0x7f.1 as dotted quads), ::1, an IPv4-mapped
 * ::ffff:127.x.y.z, and the unspecified 0.0.0.0 / :: (which connect to this host too).
 */
const LOOPBACK = /^(?:(?:.+\.)?localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])\.?$/i;

export function isLoopbackTarget(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

/**
 * The proxy URL (credentials included) a request to `url` goes through, or undefined for a direct
 * connection: always direct for a loopback or plain-http target, whatever the settings say.
 */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  if (url.protocol !== 'https:' || isLoopbackTarget(url)) return undefined;
  const proxy = settings.https;
  if (!proxy || bypassesProxy(url, settings.noProxy)) return undefined;
  return proxy;
}

/** A proxy URL as it may be shown: scheme, host and port, never its credentials. */
export function showProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(a proxy URL that does not parse)';
  }
}

/**
 * Checks a proxy URL (`field` names where it came from: "proxy", "HTTPS_PROXY"...) and registers
 * its credentials as secrets. "host:port" without a scheme means http://host:port, as curl reads it.
 */
export function parseProxyUrl(raw: string, field: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new ConnectorError('config_error', `${field} is not a valid proxy URL`, {
      field,
      hint: 'Use e.g. http://proxy.example.com:3128 (user:password@ before the host if it needs them).',
    });
  }
  if (u.username || u.password) {
    // The credentials as written are secrets before they are decoded (a bad escape is reported without them).
    for (const s of [u.password, `${u.username}:${u.password}`]) registerSecret(s);
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(u.username);
      password = decodeURIComponent(u.password);
    } catch {
      throw new ConnectorError('config_error', `${field} has a user name or password with a malformed percent-escape`, {
        field,
        hint: 'Write a % in a proxy user name or password as %25, and other escapes as % and two hex digits.',
      });
    }
    for (const s of [password, `${user}:${password}`, Buffer.from(`${user}:${password}`).toString('base64')]) registerSecret(s);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConnectorError('config_error', `${field} must be an http:// or https:// proxy URL (not ${u.protocol})`, { field });
  }
  if ((u.pathname && u.pathname !== '/') || u.search || u.hash) {
    throw new ConnectorError('config_error', `${field} must be a proxy URL without a path, query or fragment`, { field });
  }
  return text;
}
