/**
 * One token refresh at a time across processes: a run that finds another process's refresh lock
 * waits for the token that process caches instead of asking Mimecast itself; a lock left by a
 * dead process is broken; a run that fetched a token leaves no lock behind.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { tokenCachePath } from '../../src/client/cache-paths.js';
import { encryptToken } from '../../src/client/token-crypto.js';
import { parseConfig } from '../../src/runtime/config.js';
import { runAction } from '../../src/runtime/run.js';
import { BASE, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const OTHER = 'token-from-the-other-process-9d2c';
const groups = { meta: { status: 200 }, data: [{ source: 'cloud', folders: [] }], fail: [] };

describe('token refresh lock (across processes)', () => {
  setupNock();

  const setup = () => {
    const cacheDir = join(tmpDir(), 'cache');
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const file = tokenCachePath(parseConfig(config), cacheDir);
    return { cacheDir, file, lock: `${file}.lock`, opts: { ...fast, tokenCache: 'file' as const, cacheDir } };
  };

  it('waits for the token another process is fetching and makes no token request itself', async () => {
    const { file, lock, opts } = setup();
    writeFileSync(lock, '4242', { mode: 0o600 });
    // The "other process" caches its token 60 ms later and then lets go of its lock, as a run does;
    // this run tries the lock every 10 ms and, holding it, finds the token cached.
    setTimeout(() => {
      writeFileSync(file, encryptToken(parseConfig(config), { access_token: OTHER, expires_at: Date.now() + 1_700_000 }), { mode: 0o600 });
      unlinkSync(lock);
    }, 60);
    nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${OTHER}`).reply(200, groups);
    const r = await runAction('search_groups', {}, config, { ...opts, tokenLock: { pollMs: 10 } });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(1); // the API call only
    expect(existsSync(lock)).toBe(false);
  });

  it('uses the token another process cached when that process keeps its lock past the wait', async () => {
    const { file, lock, opts } = setup();
    writeFileSync(lock, '4242', { mode: 0o600 });
    setTimeout(() => {
      writeFileSync(file, encryptToken(parseConfig(config), { access_token: OTHER, expires_at: Date.now() + 1_700_000 }), { mode: 0o600 });
    }, 60);
    nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${OTHER}`).reply(200, groups);
    const r = await runAction('search_groups', {}, config, { ...opts, tokenLock: { pollMs: 10, waitMs: 150 } });
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(1); // the API call only
    expect(existsSync(lock)).toBe(true); // not ours: left alone
  });

  it('breaks a lock left by a process that died and fetches the token itself', async () => {
    const { lock, opts } = setup();
    writeFileSync(lock, '4242', { mode: 0o600 });
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    mimecast().post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(2);
    expect(existsSync(lock)).toBe(false);
  });

  it('leaves a lock that another live process took over while this run fetched its token', async () => {
    const { lock, opts } = setup();
    // The parent process is alive; its lock records its pid and start time, as a run's does.
    const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const other = JSON.stringify({ pid: process.ppid, start: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] });
    nock(BASE)
      .post('/oauth/token')
      .reply(() => {
        // This run holds the lock now; meanwhile another process takes it over (it judged ours stale).
        expect(JSON.parse(readFileSync(lock, 'utf8'))).toEqual(expect.objectContaining({ pid: process.pid }));
        writeFileSync(lock, other, { mode: 0o600 });
        return [200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 }];
      })
      .post('/api/directory/find-groups')
      .reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(readFileSync(lock, 'utf8')).toBe(other);
  });

  it('leaves neither a lock nor a clear-text token behind after fetching one', async () => {
    const { file, lock, opts } = setup();
    mimecast().post('/api/directory/find-groups').reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(file)).toBe(true);
  });
});
