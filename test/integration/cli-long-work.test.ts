/**
 * Long work and real networks, through the built CLI in a child process against the simulator:
 * a 10-page pull whose page 3 fails for good (partial, exit 3, the token to resume from, and the
 * rerun with --input page_token), progress lines on stderr (and none with --quiet), the
 * MIMECAST_DEBUG=1 trace, and a loopback proxy from HTTPS_PROXY / the proxy key for a remote
 * https name only the proxy resolves (NO_PROXY bypassing it) with a private CA from ca_file, and
 * never for a loopback target (--simulator, an http:// base URL). No secret on stdout or stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { type CliResult, hoursBefore, postFault, requestsTo, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';
import { REMOTE_HOST, startProxy, type TestProxy } from '../helpers/proxy.js';

const LOGS = '/api/ttp/url/get-logs';
const TLS_DIR = join(process.cwd(), 'test/fixtures/tls');
const CA_FILE = join(TLS_DIR, 'cert.pem');
const PROXY_PASSWORD = 'cli-proxy-pass-Vb72Kq';

/** The simulator's 240 click logs of the last 24 hours: 10 pages of 24. */
const tenPages = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ start: hoursBefore(cli.sim.now(), 25), end: hoursBefore(cli.sim.now(), -1), page_size: 24, ...over });

const cli = useCliSimulator();

/** Neither the client secret, a proxy password nor a bearer token the simulator issued is in the output. */
function expectNoSecrets(r: CliResult, s: Simulator = cli.sim): void {
  const out = r.stdout + r.stderr;
  expect(out).not.toContain(s.credentials.client_secret);
  expect(out).not.toContain(PROXY_PASSWORD);
  for (const q of s.requests) if (q.headers.authorization) expect(out).not.toContain(String(q.headers.authorization).slice('Bearer '.length));
}

const pageTokensSent = () => requestsTo(cli.sim, LOGS).map((q) => (q.body as { meta: { pagination: { pageToken?: string } } }).meta.pagination.pageToken);

describe('a 10-page pull whose page 3 fails for good', () => {
  it('exits 3 with the rows of pages 1-2 and meta.next_page_token; the rerun with page_token sends it and gets the rest', async () => {
    await postFault(cli.sim, { kind: 'status', status: 503, path: LOGS, after: 2, times: 10 });
    // Page 3 is tried five times with the real backoff (0.5-8 s, jittered): up to ~15 s.
    const r = await runCli(['run', 'get_ttp_url_logs', '--input', tenPages()], { env: { ...simEnv(cli.sim) }, timeoutMs: 40_000 });
    expect(r.code).toBe(3);
    expect(r.json.status).toBe('partial');
    expect(r.json.data).toHaveLength(48);
    expect(r.json.meta.pages).toBe(2);
    expect(r.json.error).toMatchObject({ type: 'api_error', http_status: 503 });
    const token = pageTokensSent()[2];
    expect(typeof token).toBe('string');
    expect(r.json.meta.next_page_token).toBe(token);
    // Progress on stderr: the pages and each retry wait of page 3.
    expect(r.stderr).toContain('page 1/10: 24 entries so far\npage 2/10: 48 entries so far\n');
    expect(r.stderr).toMatch(/^POST \/api\/ttp\/url\/get-logs: Mimecast answered HTTP 503.*; retrying in [\d.]+ m?s \(attempt 2\)$/m);
    expectNoSecrets(r);

    cli.sim.reset();
    const rest = await runCli(['run', 'get_ttp_url_logs', '--quiet', '--input', tenPages({ page_token: token })], { env: { ...simEnv(cli.sim) } });
    expect(rest.code).toBe(0);
    expect(pageTokensSent()[0]).toBe(token);
    expect(rest.json.data).toHaveLength(192);
    expect(rest.json.data[0]).not.toEqual(r.json.data[0]);
    expect(rest.json.meta.next_page_token).toBeUndefined();
    // --quiet: no progress at all.
    expect(rest.stderr).toBe('');
  }, 60_000);
});

describe('progress and trace on stderr', () => {
  it('a rate-limit wait leaves a line with its length', async () => {
    // Longer than the first backoff (0.5-1 s), so the wait is what Mimecast asks.
    await postFault(cli.sim, { kind: 'rate_limit', path: LOGS, resetMs: 1500 });
    const r = await runCli(['run', 'get_ttp_url_logs', '--input', tenPages({ no_of_pages: 1 })], { env: { ...simEnv(cli.sim) } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`POST ${LOGS}: Mimecast rate limit reached (HTTP 429); waiting 1.5 s as Mimecast asks (attempt 2)\npage 1/1: 24 entries so far\n`);
  });

  it('MIMECAST_DEBUG=1: a trace line per request (POST /api/... 200), no secret', async () => {
    const r = await runCli(['run', 'get_ttp_url_logs', '--quiet', '--input', tenPages({ no_of_pages: 2 })], {
      env: { ...simEnv(cli.sim), MIMECAST_DEBUG: '1' },
    });
    expect(r.code).toBe(0);
    const trace = r.stderr.split('\n').filter((l) => / in \d+ ms/.test(l));
    expect(trace).toEqual([
      expect.stringMatching(/^debug: POST \/oauth\/token 200 in \d+ ms \(request id [0-9a-f-]{36}\)$/),
      expect.stringMatching(/^debug: POST \/api\/ttp\/url\/get-logs 200 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\)$/),
      expect.stringMatching(/^debug: POST \/api\/ttp\/url\/get-logs 200 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\)$/),
    ]);
    expectNoSecrets(r);
  });
});

describe('proxies', () => {
  let tlsSim: Simulator;
  let proxy: TestProxy;
  let authProxy: TestProxy;
  beforeAll(async () => {
    tlsSim = await startSimulator({ tls: { key: readFileSync(join(TLS_DIR, 'key.pem')), cert: readFileSync(CA_FILE) } });
    proxy = await startProxy();
    authProxy = await startProxy({ credentials: `cli-user:${PROXY_PASSWORD}` });
  });
  beforeEach(() => {
    tlsSim.reset();
    proxy.reset();
    authProxy.reset();
  });
  afterAll(async () => {
    await proxy?.close();
    await authProxy?.close();
    await tlsSim?.close();
  });

  /** A config file for the https simulator by its remote name (which only the proxy resolves), trusting its private CA. */
  const configFile = (over: Record<string, unknown> = {}): string => {
    const file = join(tmpDir('mc-proxy-config-'), 'config.json');
    const base = `https://${REMOTE_HOST}:${tlsSim.port}`;
    writeFileSync(file, JSON.stringify({ base_url: base, ...tlsSim.credentials, ca_file: CA_FILE, ...over }), { mode: 0o600 });
    return file;
  };

  it('HTTPS_PROXY: test-connectivity goes through the proxy and says so; the private CA is trusted with verify on', async () => {
    const r = await runCli(['test-connectivity', '--config', configFile()], { env: { HTTPS_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(r.json.data).toMatchObject({ connected: true, proxy: proxy.url });
    expect(r.json.summary).toMatch(new RegExp(`through the proxy ${proxy.url.replace(/[.]/g, '\\.')}\\.$`));
    expect(new Set(proxy.connects)).toEqual(new Set([`${REMOTE_HOST}:${tlsSim.port}`]));
    expect(r.stderr).not.toMatch(/verify=false/);
    expect(tlsSim.requests.map((q) => q.path)).toEqual(['/oauth/token', '/api/account/get-account']);
    expectNoSecrets(r, tlsSim);
  });

  it('NO_PROXY bypasses HTTPS_PROXY: direct, where the remote name (only the proxy resolves it) is not found', async () => {
    // A name not found is retried like any failed connection: a short deadline ends the run.
    const r = await runCli(['run', 'search_groups', '--config', configFile(), '--deadline', '2'], { env: { HTTPS_PROXY: proxy.url, NO_PROXY: REMOTE_HOST } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^POST /oauth/token: getaddrinfo (ENOTFOUND|EAI_AGAIN) ${REMOTE_HOST}`, 'm'));
    expect(r.stderr).not.toMatch(/proxy/);
    expect(proxy.connects).toEqual([]);
    expect(tlsSim.requests).toEqual([]);
  });

  it('the proxy key with credentials wins over HTTPS_PROXY; no credential in the output', async () => {
    const file = configFile({ proxy: `http://cli-user:${PROXY_PASSWORD}@127.0.0.1:${authProxy.port}` });
    const r = await runCli(['run', 'search_groups', '--config', file], { env: { HTTPS_PROXY: proxy.url, MIMECAST_DEBUG: '1' } });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(authProxy.connects.length).toBeGreaterThan(0);
    expect(proxy.connects).toEqual([]);
    expect(r.stderr).toMatch(/^debug: POST \/api\/directory\/find-groups 200 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\)$/m);
    expectNoSecrets(r, tlsSim);
  });

  /** The proxy saw nothing at all: no tunnel, no forwarded request, no byte. */
  const untouched = (p: TestProxy) => {
    expect(p.connects).toEqual([]);
    expect(p.forwarded).toEqual([]);
    expect(p.tunnelBytes().length).toBe(0);
  };

  it('an http:// loopback base URL goes direct with HTTP_PROXY, HTTPS_PROXY and the proxy key set: the proxy sees nothing', async () => {
    const r = await runCli(['run', 'search_groups'], {
      env: { ...simEnv(cli.sim), HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, MIMECAST_PROXY: proxy.url },
    });
    expect(r.code).toBe(0);
    untouched(proxy);
    expect(requestsTo(cli.sim, '/oauth/token')).toHaveLength(1);
    expect(requestsTo(cli.sim, '/api/directory/find-groups')).toHaveLength(1);
    expectNoSecrets(r);
  });

  it('--simulator with HTTP_PROXY and HTTPS_PROXY set: direct, the proxy sees nothing', async () => {
    const r = await runCli(['test-connectivity', '--simulator'], { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
    expect(r.code).toBe(0);
    expect(r.json.data.proxy).toBeNull();
    untouched(proxy);
  });
});
