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

describe('redaction of every form a secret takes', () => {
  setupNock();
  let err: string[];
  let spyErr: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    err = [];
    process.env.MIMECAST_DEBUG = '1';
    spyErr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  });
  afterEach(() => {
    spyErr.mockRestore();
    if (debugBefore === undefined) delete process.env.MIMECAST_DEBUG;
    else process.env.MIMECAST_DEBUG = debugBefore;
  });

  it.each([
    ['a quote, a backslash and a tab', 'se"cr\\et\tQ9-x'],
    ['a space, an ampersand and a plus', 'my secret&key+1'],
    // The shortest secret taken (a shorter one is refused as a placeholder before it could be registered).
    ['only 8 characters', 'k3Y!z&7q'],
  ])('a secret with %s, echoed by Mimecast, is masked in the result and on stderr in every encoding', async (_what, secret) => {
    const cfg = { ...config, client_secret: secret };
    nock(BASE)
      .post('/oauth/token')
      .reply(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 })
      .post('/api/directory/find-groups')
      .reply(400, {
        meta: { status: 400 },
        data: [],
        fail: [{ errors: [{ code: 'err_echo', message: `you sent ${secret} (${encodeURIComponent(secret)}) ${JSON.stringify({ s: secret })}` }] }],
      });
    const r = await runAction('search_groups', {}, cfg, opts);
    expect(r.status).toBe('failed');
    const out = JSON.stringify(r);
    const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)];
    for (const f of forms) {
      expect(out).not.toContain(f);
      expect(err.join('')).not.toContain(f);
    }
    expect(out).toContain(REDACTED);
  });

  it('server text with ANSI/OSC escapes or newlines reaches stderr printable, one line per message', async () => {
    const evil = 'bad\u001b]0;owned\u0007\u001b[2J\nwarning: forged line\r';
    mimecast()
      .post('/api/directory/find-groups')
      .reply(503, { fail: [{ code: 'err_x', message: evil }] })
      .post('/api/directory/find-groups')
      .reply(503, '');
    await runAction('search_groups', {}, config, opts);
    const text = err.join('');
    // eslint-disable-next-line no-control-regex -- asserting that no control character got through
    expect(text.replace(/\n$/gm, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(text).not.toMatch(/^warning: forged line/m);
    expect(text).toContain('bad\\x1b]0;owned\\x07\\x1b[2J\\x0awarning: forged line\\x0d');
  });
});
