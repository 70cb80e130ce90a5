/**
 * The token lock and cache under hostile or broken file systems: a lock whose owner is gone is
 * broken at once, whatever its age; nothing at the lock or cache path is followed through a
 * symlink or blocks (FIFO); a cache that cannot persist says so once and falls back to memory;
 * two secrets of one application never share a cache file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import nock from 'nock';
import { tokenCachePath } from '../../src/client/cache-paths.js';
import { parseConfig } from '../../src/runtime/config.js';
import { runAction } from '../../src/runtime/run.js';
import { BASE, TOKEN, config, fast, mimecast, setupNock, tmpDir } from '../helpers/nock.js';

const groups = { meta: { status: 200 }, data: [{ source: 'cloud', folders: [] }], fail: [] };
const WAIT = 4_000; // a lock wait far longer than any of these runs may take

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('token lock and cache hardening', () => {
  setupNock();
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

  const setup = () => {
    const cacheDir = join(tmpDir(), 'cache');
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const file = tokenCachePath(parseConfig(config), cacheDir);
    return { cacheDir, file, lock: `${file}.lock`, opts: { ...fast, tokenCache: 'file' as const, cacheDir, tokenLock: { waitMs: WAIT } } };
  };

  const runOnce = async (opts: object) => {
    mimecast().post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    const r = await runAction('search_groups', {}, config, opts);
    expect(r.status).toBe('success');
    expect(r.meta.requests).toBe(2); // its own token, and the call
    return r;
  };

  it('a fresh lock whose owner process is gone is broken at once: no wait', async () => {
    const { lock, opts } = setup();
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), start: '1' }), { mode: 0o600 });
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
    expect(existsSync(lock)).toBe(false);
  });

  it('a lock whose pid is alive but belongs to a newer process (pid reused) is broken', async () => {
    const { lock, opts } = setup();
    writeFileSync(lock, JSON.stringify({ pid: process.pid, start: 'not-this-process' }), { mode: 0o600 });
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
  });

  it('an unreadable lock with a future mtime is not waited on', async () => {
    const { lock, opts } = setup();
    writeFileSync(lock, 'garbage', { mode: 0o600 });
    const future = Date.now() / 1000 + 3600;
    utimesSync(lock, future, future);
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
  });

  it('a dangling symlink at the lock path is removed, never followed', async () => {
    const { cacheDir, lock, opts } = setup();
    const target = join(cacheDir, 'elsewhere');
    symlinkSync(target, lock);
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
    expect(existsSync(target)).toBe(false);
  });

  it('a directory at the lock path means no locking, not a wait', async () => {
    const { lock, opts } = setup();
    mkdirSync(lock);
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
  });

  it('a FIFO at the cache path does not hang the step', async () => {
    const { file, opts } = setup();
    execFileSync('mkfifo', [file]);
    const r = await runOnce(opts);
    expect(r.meta.duration_ms).toBeLessThan(WAIT / 2);
  });

  it('with no writable cache directory the step runs and says once that the token is not cached', async () => {
    const blocker = join(tmpDir(), 'a-file');
    writeFileSync(blocker, 'x');
    await runOnce({ ...fast, tokenCache: 'file', cacheDir: join(blocker, 'cache') });
    const notes = stderr
      .join('')
      .split('\n')
      .filter((l) => l.includes('not cached across runs'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^warning: the token is not cached across runs \(.*ENOTDIR.*\); it is kept in memory for this run only$/);
  });

  it('a symlinked cache directory is not used, and its target keeps its mode', async () => {
    const real = join(tmpDir(), 'real');
    mkdirSync(real, { mode: 0o755 });
    const link = join(tmpDir(), 'link');
    symlinkSync(real, link);
    await runOnce({ ...fast, tokenCache: 'file', cacheDir: link });
    expect(statSync(real).mode & 0o777).toBe(0o755);
    expect(readdirSync(real)).toEqual([]);
    expect(stderr.join('')).toContain('is a symlink');
  });

  it('two secrets of one base URL and client id keep two cache files, neither overwriting the other', async () => {
    const { cacheDir } = setup();
    const other = { ...config, client_secret: 'second-secret-of-the-app-77' };
    const opts = { ...fast, tokenCache: 'file' as const, cacheDir };
    expect(tokenCachePath(parseConfig(config), cacheDir)).not.toBe(tokenCachePath(parseConfig(other), cacheDir));
    await runOnce(opts);
    nock(BASE)
      .post('/oauth/token', (b) => b.client_secret === other.client_secret)
      .reply(200, { access_token: 'tok-two-Xy81Qp7Lm4Wz', token_type: 'Bearer', expires_in: 1799 });
    nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', 'Bearer tok-two-Xy81Qp7Lm4Wz').reply(200, groups);
    expect((await runAction('search_groups', {}, other, opts)).meta.requests).toBe(2);
    // Each secret's next run finds its own token.
    nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', `Bearer ${TOKEN}`).reply(200, groups);
    expect((await runAction('search_groups', {}, config, opts)).meta.requests).toBe(1);
    nock(BASE).post('/api/directory/find-groups').matchHeader('authorization', 'Bearer tok-two-Xy81Qp7Lm4Wz').reply(200, groups);
    expect((await runAction('search_groups', {}, other, opts)).meta.requests).toBe(1);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
  });
});
