/**
 * Proxies and private CAs, through runAction against the simulator over real loopback HTTP(S)
 * and a loopback forward proxy (test/helpers/proxy.ts): HTTPS_PROXY / HTTP_PROXY (given as
 * RunOptions.env, the process environment's stand-in), the `proxy` key with credentials, NO_PROXY,
 * a CONNECT tunnel for a remote https target (the proxy never reads a request, so never the token),
 * a loopback or plain-http target always direct (the proxy sees nothing of it), ca_file trusting a
 * private CA with verify on, and redirects never followed to another host. The remote https host
 * is REMOTE_HOST, which only the test proxy resolves (to the simulator on 127.0.0.1).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { jest } from '@jest/globals';
import { redact } from '../../src/base/log.js';
import { bypassesProxy, parseProxyUrl, proxyFor, proxySettings } from '../../src/client/proxy.js';
import { parseConfig } from '../../src/runtime/config.js';
import { exitCodeFor, runAction, type ResultEnvelope, type RunOptions } from '../../src/runtime/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { REMOTE_HOST, startProxy, type TestProxy } from '../helpers/proxy.js';

const TLS_DIR = join(process.cwd(), 'test/fixtures/tls');
const CA_FILE = join(TLS_DIR, 'cert.pem');
const PROXY_USER = 'proxy-user';
const PROXY_PASSWORD = 'proxy-pass-9f3kQ2xW';
const FIND = '/api/directory/find-groups';

const quick: RunOptions = { tokenCache: 'memory', retry: { retries: 1, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };

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

/** No secret (client secret, proxy password in any form, the bearer tokens the simulator issued) in the result or on stderr. */
function expectNoSecrets(r: ResultEnvelope, sim: Simulator): void {
  const out = JSON.stringify(r) + stderr.join('');
  expect(out).not.toContain(sim.credentials.client_secret);
  expect(out).not.toContain(PROXY_PASSWORD);
  expect(out).not.toContain(Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'));
  for (const q of sim.requests) {
    const auth = String(q.headers.authorization ?? '');
    if (auth.startsWith('Bearer ')) expect(out).not.toContain(auth.slice(7));
  }
}

/** The proxy opened at least one tunnel, each to the simulator by its remote name (a tunnel per connection in the pool). */
function expectTunnelsTo(proxy: TestProxy, sim: Simulator): void {
  expect(proxy.connects.length).toBeGreaterThan(0);
  expect(new Set(proxy.connects)).toEqual(new Set([`${REMOTE_HOST}:${sim.port}`]));
}

/** The proxy saw nothing at all: no tunnel, no forwarded request, no byte. */
function expectUntouched(proxy: TestProxy): void {
  expect(proxy.connects).toEqual([]);
  expect(proxy.forwarded).toEqual([]);
  expect(proxy.authorizations).toEqual([]);
  expect(proxy.tunnelBytes().length).toBe(0);
}

describe('proxy settings', () => {
  it('the proxy key wins over the environment; lower-case variables before upper-case; https falls back to HTTP_PROXY', () => {
    expect(proxySettings('http://key:3128', { HTTPS_PROXY: 'http://env:1' })).toMatchObject({ http: 'http://key:3128', https: 'http://key:3128' });
    expect(proxySettings(undefined, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })).toMatchObject({
      https: 'http://lower:1',
      source: { https: 'https_proxy' },
    });
    expect(proxySettings(undefined, { HTTP_PROXY: 'http://plain:1' })).toMatchObject({ http: 'http://plain:1', https: 'http://plain:1' });
    expect(proxySettings(undefined, {})).toMatchObject({ http: undefined, https: undefined, noProxy: '' });
  });

  it.each([
    ['127.0.0.1', 'https://127.0.0.1:9443', true],
    ['localhost, 127.0.0.1', 'https://127.0.0.1', true],
    ['example.com', 'https://api.example.com', true],
    ['.example.com', 'https://example.com', true],
    ['*.example.com', 'https://example.com', false],
    ['*.example.com', 'https://us-api.services.example.com', true],
    ['api.example.com:8443', 'https://api.example.com', false],
    ['api.example.com:443', 'https://api.example.com', true],
    ['*', 'https://anything.example', true],
    ['[::1]', 'https://[::1]:9443', true],
    ['other.example', 'https://api.example.com', false],
    ['', 'https://api.example.com', false],
  ])('NO_PROXY=%j for %s: bypass %s', (noProxy, url, bypass) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(bypass);
    expect(proxyFor(new URL(url), { https: 'http://p:1', noProxy, source: {} })).toBe(bypass ? undefined : 'http://p:1');
  });

  it.each([
    'http://127.0.0.1:8080',
    'https://127.0.0.1:9443',
    'https://127.1',
    'https://localhost:9443',
    'https://LOCALHOST.',
    'https://api.localhost',
    'https://[::1]:9443',
    'https://[::ffff:127.0.0.1]',
    'https://0.0.0.0',
    'http://api.services.mimecast.com',
  ])('%s (loopback or plain http) is never proxied, whatever the settings', (url) => {
    const all = { http: 'http://p:1', https: 'http://p:1', noProxy: '', source: {} };
    expect(proxyFor(new URL(url), all)).toBeUndefined();
  });

  it.each(['https://api.services.mimecast.com', 'https://localhost.example.com', 'https://127.0.0.1.example.com', 'https://[::ffff:808:808]'])(
    '%s (remote https) is proxied',
    (url) => {
      expect(proxyFor(new URL(url), { https: 'http://p:1', noProxy: '', source: {} })).toBe('http://p:1');
    },
  );

  it('reads host:port without a scheme as http://, refuses other schemes and paths naming where the URL came from', () => {
    expect(parseProxyUrl('proxy.corp.example:3128', 'HTTPS_PROXY')).toBe('http://proxy.corp.example:3128');
    expect(() => parseProxyUrl('socks5://127.0.0.1:1080', 'HTTPS_PROXY')).toThrow(expect.objectContaining({ type: 'config_error', field: 'HTTPS_PROXY' }));
    expect(() => parseProxyUrl('http://127.0.0.1:3128/path', 'proxy')).toThrow(expect.objectContaining({ type: 'config_error', field: 'proxy' }));
  });

  it('the proxy key: its credentials are secrets, redacted everywhere; the config shows the proxy without them', () => {
    const cfg = parseConfig({
      base_url: 'https://api.services.mimecast.com',
      client_id: 'id',
      client_secret: 'proxy-test-client-secret',
      proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:3128`,
    });
    expect(cfg.proxy).toBe(`http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:3128`);
    expect(JSON.parse(JSON.stringify(cfg)).proxy).toBe('http://127.0.0.1:3128');
    expect(inspect(cfg)).not.toContain(PROXY_PASSWORD);
    expect(redact(`echo ${PROXY_PASSWORD} and ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`)).toBe('echo [REDACTED] and [REDACTED]');
  });

  it('an invalid proxy key or an unreadable ca_file is a config_error naming the key; nothing is sent', async () => {
    const base = { base_url: 'https://127.0.0.1:1', client_id: 'id', client_secret: 'proxy-test-client-secret' };
    const bad = await runAction('search_groups', {}, { ...base, proxy: 'ftp://127.0.0.1:21' }, quick);
    expect(bad.error).toMatchObject({ type: 'config_error', field: 'proxy' });
    expect(exitCodeFor(bad)).toBe(2);
    const missing = await runAction('search_groups', {}, { ...base, ca_file: join(TLS_DIR, 'missing.pem') }, quick);
    expect(missing.error).toMatchObject({ type: 'config_error', field: 'ca_file' });
    const notPem = await runAction('search_groups', {}, { ...base, ca_file: join(TLS_DIR, 'README.md') }, quick);
    expect(notPem.error).toMatchObject({ type: 'config_error', field: 'ca_file', message: expect.stringMatching(/no PEM certificate/) });
    expect(exitCodeFor(notPem)).toBe(2);
  });

  it('a malformed proxy variable is a config_error naming the variable', async () => {
    const r = await runAction(
      'search_groups',
      {},
      { base_url: 'https://127.0.0.1:1', client_id: 'id', client_secret: 'proxy-test-client-secret' },
      { ...quick, env: { HTTPS_PROXY: 'http://[bad' } },
    );
    expect(r.error).toMatchObject({ type: 'config_error', field: 'HTTPS_PROXY' });
    expect(exitCodeFor(r)).toBe(2);
  });
});

describe('an https simulator with a private CA (test/fixtures/tls), through a loopback proxy', () => {
  let sim: Simulator;
  let proxy: TestProxy;
  let authProxy: TestProxy;
  beforeAll(async () => {
    sim = await startSimulator({ tls: { key: readFileSync(join(TLS_DIR, 'key.pem')), cert: readFileSync(CA_FILE) } });
    proxy = await startProxy();
    authProxy = await startProxy({ credentials: `${PROXY_USER}:${PROXY_PASSWORD}` });
  });
  beforeEach(() => sim.reset());
  afterAll(async () => {
    await proxy.close();
    await authProxy.close();
    await sim.close();
  });
  afterEach(() => {
    proxy.reset();
    authProxy.reset();
  });

  /** The simulator by a remote name (which only the proxy resolves): what a proxy is for. */
  const remote = () => `https://${REMOTE_HOST}:${sim.port}`;
  const config = (over: Record<string, unknown> = {}) => ({ base_url: remote(), ...sim.credentials, ca_file: CA_FILE, ...over });
  const loopbackConfig = () => ({ base_url: sim.url, ...sim.credentials, ca_file: CA_FILE });

  it('without ca_file, verification refuses the private CA (transport_error naming ca_file in the hint); nothing reaches the simulator', async () => {
    const r = await runAction('search_groups', {}, { base_url: sim.url, ...sim.credentials }, quick);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'transport_error', message: expect.stringMatching(/TLS certificate verification failed/) });
    expect(r.error?.hint).toMatch(/ca_file/);
    expect(sim.requests).toEqual([]);
  });

  it('with ca_file the private CA is trusted and verify stays true', async () => {
    expect(parseConfig(loopbackConfig()).verify).toBe(true);
    const r = await runAction('search_groups', {}, loopbackConfig(), quick);
    expect(r.status).toBe('success');
    expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /oauth/token', `POST ${FIND}`]);
    expect(stderr.join('')).not.toMatch(/verify=false/);
    expectNoSecrets(r, sim);
  });

  it('HTTPS_PROXY: the action goes through a CONNECT tunnel, and the proxy never sees the token or the secret', async () => {
    const r = await runAction('search_groups', {}, config(), { ...quick, env: { HTTPS_PROXY: proxy.url } });
    expect(r.status).toBe('success');
    expectTunnelsTo(proxy, sim);
    expect(proxy.forwarded).toEqual([]);
    expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /oauth/token', `POST ${FIND}`]);
    const bytes = proxy.tunnelBytes().toString('latin1');
    expect(bytes.length).toBeGreaterThan(0);
    const token = String(sim.requests[1].headers.authorization).slice('Bearer '.length);
    expect(token.length).toBeGreaterThan(10);
    expect(bytes).not.toContain(token);
    expect(bytes).not.toContain('Bearer');
    expect(bytes).not.toContain(sim.credentials.client_secret);
    expectNoSecrets(r, sim);
  });

  it('the proxy key with credentials: test_connectivity says which proxy it went through; no credential is shown', async () => {
    const key = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}`;
    // The environment's proxy loses to the key.
    const r = await runAction('test_connectivity', {}, config({ proxy: key }), { ...quick, env: { HTTPS_PROXY: proxy.url } });
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ connected: true, proxy: authProxy.url });
    expect(r.summary).toBe(`Connected to Mimecast at ${remote()} as account "POC - API - JupiterOne", through the proxy ${authProxy.url}.`);
    expectTunnelsTo(authProxy, sim);
    expect(authProxy.authorizations.every((a) => a === `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`)).toBe(true);
    expect(proxy.connects).toEqual([]);
    // The proxy's credentials go to the proxy only, never to Mimecast.
    expect(sim.requests.every((q) => q.headers['proxy-authorization'] === undefined)).toBe(true);
    expectNoSecrets(r, sim);
  });

  it('wrong proxy credentials: transport_error naming the 407 with a hint, nothing reaches Mimecast, no credential shown', async () => {
    const key = `http://${PROXY_USER}:wrong-password-Zx81@127.0.0.1:${authProxy.port}`;
    const r = await runAction('search_groups', {}, config({ proxy: key }), quick);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'transport_error', http_status: 407 });
    expect(r.error?.message).toBe(`POST /oauth/token: the proxy ${authProxy.url} refused the tunnel (HTTP 407)`);
    expect(r.error?.hint).toMatch(/credentials/);
    expect(exitCodeFor(r)).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(JSON.stringify(r) + stderr.join('')).not.toContain('wrong-password-Zx81');
    expectNoSecrets(r, sim);
  });

  it('NO_PROXY sends the base URL direct: the proxy sees nothing (and the remote name, which only the proxy resolves, is not found)', async () => {
    const r = await runAction('test_connectivity', {}, config(), { ...quick, env: { HTTPS_PROXY: proxy.url, NO_PROXY: `localhost,${REMOTE_HOST}` } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'transport_error', code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) });
    expect(r.error?.message).not.toMatch(/proxy/);
    expectUntouched(proxy);
    expect(sim.requests).toEqual([]);
  });

  it.each([
    ['HTTPS_PROXY', { HTTPS_PROXY: 'proxy' }, {}],
    ['HTTP_PROXY', { HTTP_PROXY: 'proxy' }, {}],
    ['the proxy key', {}, { proxy: 'authProxy' }],
  ])('a loopback https base URL goes direct with %s set: the proxy sees nothing, test_connectivity says so', async (_name, env, key) => {
    const url = (which: string) => (which === 'proxy' ? proxy.url : `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}`);
    const r = await runAction(
      'test_connectivity',
      {},
      { ...loopbackConfig(), ...Object.fromEntries(Object.entries(key).map(([k, v]) => [k, url(v)])) },
      { ...quick, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, url(v)])) },
    );
    expect(r.status).toBe('success');
    expect(r.data).toMatchObject({ proxy: null });
    expect(r.summary).toMatch(/, directly \(no proxy\)\.$/);
    expectUntouched(proxy);
    expectUntouched(authProxy);
    expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /oauth/token', 'POST /api/account/get-account']);
    expectNoSecrets(r, sim);
  });

  it('a proxy that does not listen: transport_error naming the proxy (the way to Mimecast is the proxy)', async () => {
    const closed = await startProxy();
    const url = closed.url;
    await closed.close();
    const r = await runAction('search_groups', {}, config({ proxy: url }), quick);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'transport_error',
      code: 'ECONNREFUSED',
      message: `POST /oauth/token: cannot reach the proxy ${url} (ECONNREFUSED)`,
    });
    expect(r.error?.hint).toMatch(/proxy/);
    expect(sim.requests).toEqual([]);
  });
});

describe('an http simulator (loopback, plain http) with a proxy set', () => {
  let sim: Simulator;
  let proxy: TestProxy;
  beforeAll(async () => {
    sim = await startSimulator();
    proxy = await startProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
  });

  afterEach(() => {
    sim.reset();
    proxy.reset();
  });

  // Through a tunnel or not, the proxy would carry the client secret and the bearer token in clear.
  it.each([
    ['HTTP_PROXY', { HTTP_PROXY: 'x' }, undefined],
    ['HTTPS_PROXY', { HTTPS_PROXY: 'x' }, undefined],
    ['the proxy key', {}, 'x'],
  ])('%s: the token request and the call go direct; the proxy sees nothing', async (_name, env, key) => {
    const given = Object.fromEntries(Object.keys(env).map((k) => [k, proxy.url]));
    const r = await runAction('search_groups', {}, { base_url: sim.url, ...sim.credentials, ...(key ? { proxy: proxy.url } : {}) }, { ...quick, env: given });
    expect(r.status).toBe('success');
    expectUntouched(proxy);
    expect(sim.requests.map((q) => q.path)).toEqual(['/oauth/token', FIND]);
    expectNoSecrets(r, sim);
  });
});

describe('redirects', () => {
  let other: Server;
  let redirecting: Server;
  const reached: string[] = [];
  let otherBase = '';
  let base = '';
  beforeAll(async () => {
    other = createServer((req, res) => {
      reached.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"meta":{"status":200},"data":[],"fail":[]}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    redirecting = createServer((req, res) => {
      req.resume();
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'redirect-canary-token-7Hq2Lm', expires_in: 1799 }));
        return;
      }
      res.writeHead(302, { location: `${otherBase}/steal?token=x` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of [other, redirecting]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('a redirect to another host is not followed: the token never goes there', async () => {
    const r = await runAction('search_groups', {}, { base_url: base, client_id: 'id', client_secret: 'redirect-client-secret' }, quick);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'api_error',
      http_status: 302,
      message: `POST ${FIND}: Mimecast answered HTTP 302, a redirect to ${otherBase}/steal; redirects are not followed`,
    });
    expect(reached).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('redirect-canary-token-7Hq2Lm');
  });
});
