/**
 * Redaction canary: the client secret and the bearer token never appear in a result or on
 * stderr, whatever Mimecast echoes back, debug output included.
 */
import { inspect } from 'node:util';
import { jest } from '@jest/globals';
import nock from 'nock';
import { parseConfig } from '../../src/runtime/config.js';
import { redact, REDACTED } from '../../src/base/log.js';
import { runAction, type ResultEnvelope, type RunOptions } from '../../src/runtime/run.js';
import { BASE, CLIENT_SECRET, TOKEN, config, mimecast, setupNock } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 1, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };
const GROUP_ID = 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq';
const echo = `token ${TOKEN} / secret ${CLIENT_SECRET} / header Bearer ${TOKEN} / form client_secret=${encodeURIComponent(CLIENT_SECRET)}`;

let stderr: string[];
let spy: ReturnType<typeof jest.spyOn>;
const debugBefore = process.env.MIMECAST_DEBUG;

function expectClean(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(TOKEN);
    expect(t).not.toContain(CLIENT_SECRET);
  }
}

const json = (r: ResultEnvelope) => JSON.stringify(r);

describe('redaction canary', () => {
  setupNock();
  beforeEach(() => {
    stderr = [];
    process.env.MIMECAST_DEBUG = '1';
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  });
  afterEach(() => {
    spy.mockRestore();
    if (debugBefore === undefined) delete process.env.MIMECAST_DEBUG;
    else process.env.MIMECAST_DEBUG = debugBefore;
  });

  it('a success whose data echoes the token and the secret', async () => {
    mimecast()
      .post('/api/directory/find-groups')
      .reply(200, {
        meta: { status: 200, pagination: {} },
        data: [{ folders: [{ id: 'g1', description: echo }] }],
        fail: [],
      });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    const text = json(r);
    expectClean(text, stderr.join(''));
    expect(text).toContain(REDACTED);
  });

  it('an auth failure whose body echoes the submitted secret', async () => {
    nock(BASE)
      .post('/oauth/token')
      .reply(401, { error: 'invalid_client', error_description: `bad client_secret=${CLIENT_SECRET}` });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.error?.type).toBe('auth_error');
    expectClean(json(r), stderr.join(''));
  });

  it('an unreadable token response that echoes the secret', async () => {
    nock(BASE).post('/oauth/token').reply(200, `{"access_token": "${CLIENT_SECRET}`, { 'content-type': 'application/json' });
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.error).toMatchObject({ type: 'auth_error', message: 'Mimecast token endpoint returned an unreadable response' });
    expectClean(json(r), stderr.join(''));
  });

  it('API errors whose bodies echo both, across a retry logged at debug level', async () => {
    const failing = { meta: { status: 503 }, data: [], fail: [{ code: 'err_echo', message: echo }] };
    mimecast().post('/api/directory/find-groups').reply(503, failing).post('/api/directory/find-groups').reply(503, failing);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('api_error');
    expect(r.error?.message).toContain(REDACTED);
    const err = stderr.join('');
    expect(err).toContain('debug: retrying after: POST /api/directory/find-groups: Mimecast answered HTTP 503');
    expect(err).toContain(REDACTED);
    expectClean(json(r), err);
  });

  it('per-item failures that echo both (write, fail[] inside HTTP 200)', async () => {
    const key = { id: GROUP_ID, emailAddress: 'a@example.com' };
    mimecast()
      .post('/api/directory/add-group-member')
      .reply(200, { meta: { status: 200 }, data: [], fail: [{ key, errors: [{ code: 'err_x', message: echo }] }] });
    const r = await runAction('add_group_member', { member_information: [key] }, config, opts);
    expect(r.status).toBe('failed');
    expect(r.failures[0].message).toContain(REDACTED);
    expectClean(json(r), stderr.join(''));
  });

  it('an unregistered bearer token echoed by the server is still masked', () => {
    expect(redact('Authorization: Bearer abcdefgh12345678.xyz')).toBe(`Authorization: Bearer ${REDACTED}`);
  });
});

describe('configuration object', () => {
  it('never shows the secret through JSON.stringify or util.inspect', () => {
    const cfg = parseConfig(config);
    expect(cfg.client_secret).toBe(CLIENT_SECRET); // usable by the token request
    const text = JSON.stringify(cfg);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(text)).toEqual({
      base_url: config.base_url,
      client_id: config.client_id,
      client_secret: REDACTED,
      timeout: 15,
      verify: true,
      max_calls: 1000,
      max_download_bytes: 1024 * 1024 * 1024,
      max_response_bytes: 64 * 1024 * 1024,
    });
    expect(inspect(cfg)).not.toContain(CLIENT_SECRET);
    expect(inspect({ nested: { cfg } }, { depth: 5 })).not.toContain(CLIENT_SECRET);
    expect(`${JSON.stringify({ cfg })}`).not.toContain(CLIENT_SECRET);
  });

  it('a config_error never echoes the secret', async () => {
    const r = await runAction('search_groups', {}, { ...config, client_secret: CLIENT_SECRET, extra: CLIENT_SECRET });
    expect(r.error?.type).toBe('config_error');
    expect(JSON.stringify(r)).not.toContain(CLIENT_SECRET);
  });
});
