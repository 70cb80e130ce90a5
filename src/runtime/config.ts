/**
 * Instance configuration: parsed once, at the edge, into a typed frozen object.
 * The client secret never leaves this object except in the token request body.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import manifest from '../generated/manifest.js';
import { config as validateConfig } from '../generated/validators.js';
import { isLoopbackHost, type InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { log, registerSecret, REDACTED } from '../base/log.js';
import { parseProxyUrl, showProxy } from '../client/proxy.js';
import { describeAjvError, normalize, pickAjvError } from './normalize.js';

export { isLoopbackHost, type InstanceConfig };

const MB = 1024 * 1024;

const configError = (field: string, reason: string, hint?: string): ConnectorError => new ConnectorError('config_error', `${field} ${reason}`, { field, hint });

function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError('base_url', `is not a valid URL: "${raw}"`, 'Use e.g. https://api.services.mimecast.com');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw configError('base_url', 'must use https:// (plain http:// is accepted only for loopback hosts)');
  }
  if (url.username || url.password) throw configError('base_url', 'must not contain credentials');
  if (url.search || url.hash) throw configError('base_url', 'must not contain a query string or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A readable PEM file holding at least one certificate that parses; returned as an absolute path. */
function checkCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw configError('ca_file', `cannot be read: ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw configError('ca_file', `holds no PEM certificate (-----BEGIN CERTIFICATE-----): ${path}`);
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      throw configError('ca_file', `holds a certificate that does not parse: ${path}`);
    }
  }
  return resolve(path);
}

const parsed = new WeakSet<object>();

/** Validates and freezes a raw configuration object; a configuration parsed before is returned as it is. */
export function parseConfig(raw: unknown): InstanceConfig {
  if (raw !== null && typeof raw === 'object' && parsed.has(raw)) return raw as InstanceConfig;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConnectorError('config_error', 'configuration must be a JSON object');
  }
  const secret = (raw as Record<string, unknown>).client_secret;
  if (typeof secret === 'string') registerSecret(secret);
  else if (typeof secret === 'number' || typeof secret === 'boolean') {
    // Not coerced like other fields: a JSON number drops leading zeros and digits past 2^53, so the
    // text sent would not be the secret. Refused, without echoing it; a number is masked all the
    // same (true or false is no secret, and masking them would blank every "true" in output).
    if (typeof secret === 'number') registerSecret(String(secret));
    throw configError('client_secret', 'must be a string: put the secret in quotes (a JSON number can lose digits)');
  }
  // The proxy URL's credentials are secrets before anything can echo them (a failed validation).
  const proxy = (raw as Record<string, unknown>).proxy;
  if (typeof proxy === 'string' && proxy) parseProxyUrl(proxy, 'proxy');
  let value: unknown;
  try {
    value = normalize(manifest.app.configuration.schema, raw);
  } catch (e) {
    if (e instanceof ConnectorError) throw new ConnectorError('config_error', e.message, { field: e.field });
    throw e;
  }
  if (!validateConfig(value)) {
    throw describeAjvError(pickAjvError(validateConfig.errors!), 'config_error', 'configuration');
  }
  const v = value as Omit<InstanceConfig, 'max_response_bytes' | 'max_download_bytes'> & { max_response_mb?: number; max_download_mb?: number };
  const base_url = checkBaseUrl(v.base_url);
  if (v.verify === false) log.warn('TLS certificate verification is off (verify=false); the connection to Mimecast can be intercepted.');
  const ca_file = v.ca_file === undefined ? undefined : checkCaFile(v.ca_file);
  if (ca_file && v.verify === false) log.warn('ca_file has no effect while verify is false.');
  const cfg: Record<string, unknown> = {
    base_url,
    client_id: v.client_id,
    client_secret: v.client_secret,
    timeout: v.timeout ?? 15,
    verify: v.verify ?? true,
    max_response_bytes: (v.max_response_mb ?? 64) * MB,
    max_download_bytes: (v.max_download_mb ?? 1024) * MB,
    max_calls: v.max_calls ?? 1000,
  };
  // Without a deadline, the connection gives each run 4 × timeout.
  if (v.deadline !== undefined) cfg.deadline = v.deadline;
  if (v.proxy !== undefined) cfg.proxy = parseProxyUrl(v.proxy, 'proxy');
  if (ca_file !== undefined) cfg.ca_file = ca_file;
  // Shown without the secret and without the proxy's credentials.
  const shown = () => ({ ...cfg, client_secret: REDACTED, ...(cfg.proxy ? { proxy: showProxy(cfg.proxy as string) } : {}) });
  Object.defineProperty(cfg, 'toJSON', { value: shown, enumerable: false });
  Object.defineProperty(cfg, inspect.custom, { value: () => `InstanceConfig ${inspect(shown())}`, enumerable: false });
  const frozen = Object.freeze(cfg) as unknown as InstanceConfig;
  parsed.add(frozen);
  return frozen;
}

/** The environment's names of the configuration keys (a platform step passes secrets this way). */
const ENV_KEYS: Record<string, string> = {
  MIMECAST_BASE_URL: 'base_url',
  MIMECAST_CLIENT_ID: 'client_id',
  MIMECAST_CLIENT_SECRET: 'client_secret',
  MIMECAST_TIMEOUT: 'timeout',
  MIMECAST_VERIFY: 'verify',
  MIMECAST_DEADLINE: 'deadline',
  MIMECAST_PROXY: 'proxy',
  MIMECAST_CA_FILE: 'ca_file',
  MIMECAST_MAX_CALLS: 'max_calls',
};

/** Reads the configuration from a JSON file and/or the MIMECAST_* environment (file wins). */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): InstanceConfig {
  const env = opts.env ?? process.env;
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];
  }
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new ConnectorError('config_error', `cannot read the config file ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConnectorError('config_error', `the config file ${opts.file} is not valid JSON`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConnectorError('config_error', `the config file ${opts.file} must hold a JSON object`);
    }
    Object.assign(raw, parsed);
  }
  if (Object.keys(raw).length === 0) {
    throw new ConnectorError('config_error', 'no configuration: pass --config FILE or set MIMECAST_BASE_URL, MIMECAST_CLIENT_ID and MIMECAST_CLIENT_SECRET', {
      hint: 'Or add --simulator to run against the embedded Mimecast simulator.',
    });
  }
  return parseConfig(raw);
}
