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
import { closest, didYouMean } from '../base/suggest.js';
import { log, registerSecret, REDACTED } from '../base/log.js';
import { parseProxyUrl, showProxy } from '../client/proxy.js';
import { describeAjvError, normalize, pickAjvError, pointerToPath, type JsonSchema } from './normalize.js';

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

/** The configuration's keys and their schemas (schemas/config.schema.json, in the manifest). */
const KEYS: Record<string, JsonSchema> = manifest.app.configuration.schema.properties ?? {};

/** The shortest client secret taken: Mimecast's are far longer, so a shorter one is a placeholder ("secret", "x"). */
const MIN_SECRET_LENGTH = 8;

/** A key shown in a message: quoted, cut when long (it is whatever the caller typed). */
const showKey = (key: string): string => JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key);

/**
 * An unknown key is named with the closest known one (`timout` → timeout) before anything else is
 * read: a misspelt optional key would otherwise be a setting silently not applied.
 */
function checkKeys(raw: Record<string, unknown>): void {
  const known = Object.keys(KEYS);
  for (const key of Object.keys(raw)) {
    if (Object.prototype.hasOwnProperty.call(KEYS, key)) continue;
    const near = closest(key, known);
    throw new ConnectorError('config_error', `configuration has an unknown key ${showKey(key)}${near ? didYouMean(near) : ` (allowed: ${known.join(', ')})`}`, {
      field: key,
    });
  }
}

/**
 * A placeholder secret is refused before it is registered for masking: masking a short, common
 * string would garble every message that happens to contain it. The secret is never shown.
 */
function checkSecret(secret: unknown): void {
  if (typeof secret !== 'string' && typeof secret !== 'number') return;
  const text = String(secret);
  if (text.trim() === '' || text.length >= MIN_SECRET_LENGTH) return;
  throw configError(
    'client_secret',
    `is shorter than ${MIN_SECRET_LENGTH} characters: a placeholder, not a Mimecast client secret`,
    'Copy the Client Secret Mimecast showed when the API 2.0 application was created (Reset Keys gives a new one).',
  );
}

/** An integer setting out of its range says the whole range: "timeout must be 15-120". */
function rangeError(err: { keyword: string; instancePath: string }): ConnectorError | undefined {
  if (err.keyword !== 'minimum' && err.keyword !== 'maximum') return undefined;
  const key = pointerToPath(err.instancePath);
  const schema = Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : undefined;
  if (schema?.minimum === undefined || schema.maximum === undefined) return undefined;
  return configError(key, `must be ${schema.minimum}-${schema.maximum}`);
}

/** Validates and freezes a raw configuration object; a configuration parsed before is returned as it is. */
export function parseConfig(raw: unknown): InstanceConfig {
  if (raw !== null && typeof raw === 'object' && parsed.has(raw)) return raw as InstanceConfig;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConnectorError('config_error', 'configuration must be a JSON object');
  }
  checkKeys(raw as Record<string, unknown>);
  const secret = (raw as Record<string, unknown>).client_secret;
  checkSecret(secret);
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
    const first = pickAjvError(validateConfig.errors!);
    throw rangeError(first) ?? describeAjvError(first, 'config_error', 'configuration');
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
  if (v.journal_dir !== undefined) cfg.journal_dir = resolve(v.journal_dir);
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
  MIMECAST_JOURNAL_DIR: 'journal_dir',
};

/** A variable's value as shown in a message: as typed when it is plain, else quoted (and cut when long). */
function showEnvValue(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return /^[\x21-\x7e]+$/.test(cut) ? cut : JSON.stringify(cut);
}

/**
 * A setting the environment gave is named as the user typed it: `MIMECAST_TIMEOUT=10: must be
 * 15-120`, not the configuration key. A secret's value (the client secret, the proxy URL with its
 * credentials) is never shown, only its variable.
 */
function fromEnvironment(e: ConnectorError, given: Map<string, { name: string; value: string }>): ConnectorError {
  const from = e.type === 'config_error' && e.field !== undefined ? given.get(e.field) : undefined;
  if (!from) return e;
  const key = e.field!;
  const reason = e.message.startsWith(`${key} `) ? e.message.slice(key.length + 1) : e.message;
  const shown = KEYS[key]?.['x-secret'] === true ? '' : `=${showEnvValue(from.value)}`;
  return e.with({ message: `${from.name}${shown}: ${reason}`, field: from.name });
}

/** Reads the configuration from a JSON file and/or the MIMECAST_* environment (file wins). */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): InstanceConfig {
  const env = opts.env ?? process.env;
  const raw: Record<string, unknown> = {};
  // The settings the environment gave (and the file did not override): an error in one names its variable.
  const given = new Map<string, { name: string; value: string }>();
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      raw[key] = value;
      given.set(key, { name, value });
    }
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
    for (const key of Object.keys(parsed)) given.delete(key);
  }
  if (Object.keys(raw).length === 0) {
    throw new ConnectorError('config_error', 'no configuration: pass --config FILE or set MIMECAST_BASE_URL, MIMECAST_CLIENT_ID and MIMECAST_CLIENT_SECRET', {
      hint: 'Or add --simulator to run against the embedded Mimecast simulator.',
    });
  }
  try {
    return parseConfig(raw);
  } catch (e) {
    throw e instanceof ConnectorError ? fromEnvironment(e, given) : e;
  }
}
