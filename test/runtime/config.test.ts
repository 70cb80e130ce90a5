/**
 * Instance configuration: base_url rules, timeout range, verify, required keys, MIMECAST_*
 * environment and config files, and what runAction does with a bad configuration.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { loadConfig, parseConfig } from '../../src/runtime/config.js';
import { ConnectorError } from '../../src/base/errors.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { redactValue } from '../../src/base/log.js';

// No nock here (nothing is sent): a local temp directory helper.
const tmpDir = (): string => mkdtempSync(join(tmpdir(), 'mc-config-'));

const base = { client_id: 'cid', client_secret: 'config-test-secret-123' };

function configError(raw: unknown): ConnectorError {
  try {
    parseConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).type).toBe('config_error');
    return e as ConnectorError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(raw)}`);
}

let stderr: string[];
let spy: ReturnType<typeof jest.spyOn>;
beforeEach(() => {
  stderr = [];
  spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => spy.mockRestore());

describe('base_url', () => {
  it.each([
    ['https://api.services.mimecast.com', 'https://api.services.mimecast.com'],
    ['https://us-api.services.mimecast.com/', 'https://us-api.services.mimecast.com'],
    ['https://API.services.mimecast.com:443//', 'https://api.services.mimecast.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:8443', 'http://[::1]:8443'],
  ])('accepts %s as %s', (raw, normalised) => {
    expect(parseConfig({ ...base, base_url: raw }).base_url).toBe(normalised);
  });

  it.each([
    ['http://api.services.mimecast.com', 'base_url must use https:// (plain http:// is accepted only for loopback hosts)'],
    ['http://10.0.0.5:8080', 'base_url must use https:// (plain http:// is accepted only for loopback hosts)'],
    ['http://localhost.evil.example', 'base_url must use https:// (plain http:// is accepted only for loopback hosts)'],
    ['ftp://api.services.mimecast.com', 'base_url must use https:// (plain http:// is accepted only for loopback hosts)'],
    ['api.services.mimecast.com', 'base_url is not a valid URL: "api.services.mimecast.com"'],
    ['not a url', 'base_url is not a valid URL: "not a url"'],
    ['https://user:pw@api.services.mimecast.com', 'base_url must not contain credentials'],
    ['https://api.services.mimecast.com/?x=1', 'base_url must not contain a query string or fragment'],
  ])('refuses %s', (raw, message) => {
    const e = configError({ ...base, base_url: raw });
    expect(e.message).toBe(message);
    expect(e.field).toBe('base_url');
  });
});

describe('timeout and verify', () => {
  const url = { ...base, base_url: 'https://api.services.mimecast.com' };

  it('defaults to timeout 15 and verify true, without warnings', () => {
    const c = parseConfig(url);
    expect([c.timeout, c.verify]).toEqual([15, true]);
    expect(stderr.join('')).toBe('');
  });

  it.each([
    [15, 15],
    [120, 120],
    ['30', 30],
    [' 60 ', 60],
  ])('accepts timeout %j as %j', (raw, value) => {
    expect(parseConfig({ ...url, timeout: raw }).timeout).toBe(value);
  });

  it.each([
    [14, 'timeout must be 15-120'],
    [121, 'timeout must be 15-120'],
    ['0', 'timeout must be 15-120'],
    ['soon', 'timeout must be an integer'],
    [30.5, 'timeout must be an integer'],
  ])('refuses timeout %j', (raw, message) => {
    const e = configError({ ...url, timeout: raw });
    expect(e.message).toBe(message);
    expect(e.field).toBe('timeout');
  });

  it.each([
    ['false', false],
    ['False', false],
    [false, false],
    ['true', true],
    ['TRUE', true],
  ])('accepts verify %j as %j', (raw, value) => {
    expect(parseConfig({ ...url, verify: raw }).verify).toBe(value);
  });

  it('warns on stderr when verify is off', () => {
    parseConfig({ ...url, verify: 'false' });
    expect(stderr.join('')).toBe('warning: TLS certificate verification is off (verify=false); the connection to Mimecast can be intercepted.\n');
  });

  it('refuses a verify that is not a boolean', () => {
    expect(configError({ ...url, verify: 'maybe' }).message).toBe('verify must be a boolean');
  });
});

describe('required and unknown keys', () => {
  it.each(['base_url', 'client_id', 'client_secret'])('names the missing key %s', (key) => {
    const raw: Record<string, unknown> = { ...base, base_url: 'https://api.services.mimecast.com' };
    delete raw[key];
    const e = configError(raw);
    expect(e.message).toBe(`${key} is required`);
    expect(e.field).toBe(key);
  });

  it('treats an empty client_secret as missing', () => {
    expect(configError({ ...base, base_url: 'https://api.services.mimecast.com', client_secret: '' }).message).toBe('client_secret is required');
  });

  it('names an unknown key, with every allowed key when none is close', () => {
    const e = configError({ ...base, base_url: 'https://api.services.mimecast.com', region: 'eu' });
    expect(e.message).toBe(
      'configuration has an unknown key "region" (allowed: base_url, client_id, client_secret, timeout, deadline, verify, proxy, ca_file, max_response_mb, max_download_mb, journal_dir, max_calls)',
    );
    expect(e.field).toBe('region');
  });

  it.each([
    ['timout', 'timeout'],
    ['clientSecret', 'client_secret'],
    ['baseurl', 'base_url'],
    ['verfy', 'verify'],
    ['max_call', 'max_calls'],
  ])('names the unknown key %s with the closest valid key %s', (typo, key) => {
    const e = configError({ ...base, base_url: 'https://api.services.mimecast.com', [typo]: 30 });
    expect(e.message).toBe(`configuration has an unknown key "${typo}"; did you mean ${key}?`);
    expect(e.field).toBe(typo);
  });

  it('refuses a configuration that is not an object', () => {
    expect(configError([]).message).toBe('configuration must be a JSON object');
    expect(configError(null).message).toBe('configuration must be a JSON object');
  });

  it('is frozen', () => {
    const c = parseConfig({ ...base, base_url: 'https://api.services.mimecast.com' });
    expect(Object.isFrozen(c)).toBe(true);
  });
});

describe('loadConfig', () => {
  const env = {
    MIMECAST_BASE_URL: 'https://uk-api.services.mimecast.com/',
    MIMECAST_CLIENT_ID: 'env-id',
    MIMECAST_CLIENT_SECRET: 'env-secret-abcdef',
    MIMECAST_TIMEOUT: '45',
    MIMECAST_VERIFY: 'true',
  };

  it('reads the MIMECAST_* environment', () => {
    expect({ ...loadConfig({ env }) }).toEqual({
      base_url: 'https://uk-api.services.mimecast.com',
      client_id: 'env-id',
      client_secret: 'env-secret-abcdef',
      timeout: 45,
      verify: true,
      max_calls: 1000,
      max_download_bytes: 1024 * 1024 * 1024,
      max_response_bytes: 64 * 1024 * 1024,
    });
  });

  it('reads the optional settings from the environment too: deadline, proxy, CA file, call budget', () => {
    const caFile = join(tmpDir(), 'ca.pem');
    writeFileSync(caFile, readFileSync(join(process.cwd(), 'test/fixtures/tls/cert.pem')));
    const c = loadConfig({
      env: { ...env, MIMECAST_DEADLINE: '90', MIMECAST_PROXY: 'http://proxy.example.com:3128', MIMECAST_CA_FILE: caFile, MIMECAST_MAX_CALLS: '20' },
    });
    expect([c.deadline, c.proxy, c.ca_file, c.max_calls]).toEqual([90, 'http://proxy.example.com:3128', caFile, 20]);
  });

  it('ignores empty variables and applies the defaults', () => {
    const c = loadConfig({ env: { ...env, MIMECAST_TIMEOUT: '', MIMECAST_VERIFY: '' } });
    expect([c.timeout, c.verify]).toEqual([15, true]);
  });

  it.each([
    ['MIMECAST_TIMEOUT', '10', 'MIMECAST_TIMEOUT=10: must be 15-120'],
    ['MIMECAST_TIMEOUT', '121', 'MIMECAST_TIMEOUT=121: must be 15-120'],
    ['MIMECAST_TIMEOUT', 'soon', 'MIMECAST_TIMEOUT=soon: must be an integer'],
    ['MIMECAST_TIMEOUT', '1 minute', 'MIMECAST_TIMEOUT="1 minute": must be an integer'],
    ['MIMECAST_DEADLINE', '5', 'MIMECAST_DEADLINE=5: must be 15-86400'],
    ['MIMECAST_MAX_CALLS', '0', 'MIMECAST_MAX_CALLS=0: must be 1-100000'],
    ['MIMECAST_VERIFY', 'maybe', 'MIMECAST_VERIFY=maybe: must be a boolean'],
    [
      'MIMECAST_BASE_URL',
      'http://api.services.mimecast.com',
      'MIMECAST_BASE_URL=http://api.services.mimecast.com: must use https:// (plain http:// is accepted only for loopback hosts)',
    ],
    ['MIMECAST_CA_FILE', '/nonexistent/ca.pem', 'MIMECAST_CA_FILE=/nonexistent/ca.pem: cannot be read: /nonexistent/ca.pem (ENOENT)'],
  ])('names the variable and its value when %s=%s is refused', (name, value, message) => {
    let e: unknown;
    try {
      loadConfig({ env: { ...env, [name]: value } });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).type).toBe('config_error');
    expect((e as ConnectorError).message).toBe(message);
    expect((e as ConnectorError).field).toBe(name);
  });

  it('names a secret variable without its value', () => {
    expect(() => loadConfig({ env: { ...env, MIMECAST_CLIENT_SECRET: 'abc' } })).toThrow(
      new ConnectorError('config_error', 'MIMECAST_CLIENT_SECRET: is shorter than 8 characters: a placeholder, not a Mimecast client secret'),
    );
    expect(() => loadConfig({ env: { ...env, MIMECAST_PROXY: 'ftp://user:proxy-pass-1@proxy.example.com' } })).toThrow(
      /^MIMECAST_PROXY: must be an http:\/\/ or https:\/\/ proxy URL/,
    );
  });

  it('names the configuration key when the file gave the value', () => {
    const file = join(tmpDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ timeout: 10 }));
    expect(() => loadConfig({ file, env: { ...env, MIMECAST_TIMEOUT: '30' } })).toThrow(new ConnectorError('config_error', 'timeout must be 15-120'));
  });

  it('names a missing key when the environment is incomplete', () => {
    expect(() => loadConfig({ env: { MIMECAST_BASE_URL: env.MIMECAST_BASE_URL, MIMECAST_CLIENT_ID: 'x' } })).toThrow('client_secret is required');
  });

  it('is a config_error when nothing is configured', () => {
    expect(() => loadConfig({ env: {} })).toThrow(/^no configuration: pass --config FILE or set MIMECAST_BASE_URL/);
  });

  it('lets a config file win over the environment', () => {
    const file = join(tmpDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ client_id: 'file-id', timeout: 90 }));
    const c = loadConfig({ file, env });
    expect([c.base_url, c.client_id, c.client_secret, c.timeout]).toEqual(['https://uk-api.services.mimecast.com', 'file-id', 'env-secret-abcdef', 90]);
  });

  it('reports an unreadable or invalid file', () => {
    const dir = tmpDir();
    expect(() => loadConfig({ file: join(dir, 'missing.json'), env: {} })).toThrow(`cannot read the config file ${join(dir, 'missing.json')}: ENOENT`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"base_url": ');
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(`the config file ${bad} is not valid JSON`);
    writeFileSync(bad, '[1]');
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(`the config file ${bad} must hold a JSON object`);
  });
});

describe('a placeholder client secret', () => {
  const url = { client_id: 'cid', base_url: 'https://api.services.mimecast.com' };

  it.each([['abc'], ['secret'], ['1234567'], [1234], ['  x  ']])('refuses %j as a config_error that does not show it', (secret) => {
    const e = configError({ ...url, client_secret: secret });
    expect(e.message).toBe('client_secret is shorter than 8 characters: a placeholder, not a Mimecast client secret');
    expect(e.field).toBe('client_secret');
    expect(e.hint).toMatch(/Reset Keys/);
  });

  it('takes a secret of 8 characters', () => {
    expect(parseConfig({ ...url, client_secret: 'abcd1234' }).client_id).toBe('cid');
  });

  it('is never registered for masking, so it cannot garble messages that contain it', () => {
    configError({ ...url, client_secret: 'e' });
    configError({ ...url, client_secret: 'status' });
    expect(redactValue({ status: 'failed', summary: 'the status of every message' })).toEqual({ status: 'failed', summary: 'the status of every message' });
  });

  it('fails runAction before anything is sent (exit 2)', async () => {
    // Port 9 on loopback: were anything sent, the run would fail with a transport error instead.
    const r = await runAction('search_groups', {}, { client_id: 'cid', base_url: 'http://127.0.0.1:9', client_secret: 'x' }, { tokenCache: 'memory' });
    expect(r.error).toEqual({
      type: 'config_error',
      field: 'client_secret',
      message: 'client_secret is shorter than 8 characters: a placeholder, not a Mimecast client secret',
      hint: 'Copy the Client Secret Mimecast showed when the API 2.0 application was created (Reset Keys gives a new one).',
    });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });
});

describe('runAction with a bad configuration', () => {
  it('fails with config_error (exit 2) before sending anything', async () => {
    const r = await runAction('search_groups', {}, { ...base, base_url: 'http://api.services.mimecast.com' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'config_error', field: 'base_url' });
    expect(r.meta.requests).toBe(0);
    expect(exitCodeFor(r)).toBe(2);
  });
});
