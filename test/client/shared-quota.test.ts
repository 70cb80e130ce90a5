/**
 * Quota windows shared across processes (one CLI process per playbook step): a connection leaves
 * what it learnt in the cache directory when it closes, the next one starts from it, so a step
 * that starts after another spent a window waits for the reset instead of drawing a 429. The file
 * is only a hint: malformed, foreign, expired or far-off windows are ignored.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SHARED_RESET_MS, SharedQuotaFile } from '../../src/client/shared-quota.js';
import { quotaCachePath } from '../../src/client/cache-paths.js';
import { parseConfig } from '../../src/runtime/config.js';
import { createConnector } from '../../src/runtime/run.js';
import { startSimulator } from '../../src/simulator/server.js';

const made: string[] = [];
const cacheDir = (): string => {
  const root = mkdtempSync(join(tmpdir(), 'mc-quota-'));
  made.push(root);
  const dir = join(root, 'cache');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const NOW = 1_800_000_000_000;
const fileIn = (dir: string) => new SharedQuotaFile(join(dir, 'quota.json'), dir, () => NOW);
const write = (dir: string, content: unknown, mode = 0o600) => {
  writeFileSync(join(dir, 'quota.json'), typeof content === 'string' ? content : JSON.stringify(content), { mode });
  chmodSync(join(dir, 'quota.json'), mode);
};

describe('SharedQuotaFile', () => {
  it('leaves the windows in an owner-only file and reads them back', () => {
    const dir = cacheDir();
    fileIn(dir).save(new Map([['/api/directory/find-groups', { left: 0, resetAt: NOW + 2_000 }]]));
    expect(statSync(join(dir, 'quota.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'quota.json'), 'utf8'))).toEqual({
      v: 1,
      windows: { '/api/directory/find-groups': { left: 0, resetAt: NOW + 2_000 } },
    });
    expect([...fileIn(dir).load()]).toEqual([['/api/directory/find-groups', { left: 0, resetAt: NOW + 2_000 }]]);
  });

  it('merges with what other processes left: of one window the lower count, else the later window', () => {
    const dir = cacheDir();
    write(dir, {
      v: 1,
      windows: { '/api/a': { left: 3, resetAt: NOW + 5_000 }, '/api/b': { left: 9, resetAt: NOW + 1_000 }, '/api/c': { left: 4, resetAt: NOW + 3_000 } },
    });
    fileIn(dir).save(
      new Map([
        ['/api/a', { left: 1, resetAt: NOW + 5_400 }], // the same window, seen later: 1 left
        ['/api/b', { left: 50, resetAt: NOW + 30_000 }], // a newer window
        ['/api/d', { left: 7, resetAt: NOW + 8_000 }],
      ]),
    );
    expect(Object.fromEntries(fileIn(dir).load())).toEqual({
      '/api/a': { left: 1, resetAt: NOW + 5_400 },
      '/api/b': { left: 50, resetAt: NOW + 30_000 },
      '/api/c': { left: 4, resetAt: NOW + 3_000 },
      '/api/d': { left: 7, resetAt: NOW + 8_000 },
    });
  });

  it('ignores expired, far-off and malformed windows', () => {
    const dir = cacheDir();
    write(dir, {
      v: 1,
      windows: {
        '/api/ok': { left: 2, resetAt: NOW + 1_000 },
        '/api/expired': { left: 2, resetAt: NOW - 1 },
        '/api/far': { left: 0, resetAt: NOW + MAX_SHARED_RESET_MS + 1 },
        '/api/negative': { left: -1, resetAt: NOW + 1_000 },
        '/api/fraction': { left: 1.5, resetAt: NOW + 1_000 },
        '/api/text': { left: '0', resetAt: NOW + 1_000 },
        'not-a-path': { left: 0, resetAt: NOW + 1_000 },
        '/api/null': null,
      },
    });
    expect([...fileIn(dir).load().keys()]).toEqual(['/api/ok']);
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['another version', { v: 2, windows: { '/api/a': { left: 0, resetAt: NOW + 1_000 } } }],
    ['no windows', { v: 1 }],
  ])('a file that is %s is no file', (_what, content) => {
    const dir = cacheDir();
    write(dir, content);
    expect(fileIn(dir).load().size).toBe(0);
  });

  it('a file others can read or write, or a symlink, is not read', () => {
    const dir = cacheDir();
    write(dir, { v: 1, windows: { '/api/a': { left: 0, resetAt: NOW + 1_000 } } }, 0o644);
    expect(fileIn(dir).load().size).toBe(0);
    const other = cacheDir();
    write(other, { v: 1, windows: { '/api/a': { left: 0, resetAt: NOW + 1_000 } } });
    const linked = cacheDir();
    symlinkSync(join(other, 'quota.json'), join(linked, 'quota.json'));
    expect(fileIn(linked).load().size).toBe(0);
  });
});

describe('steps in separate processes, one connection each', () => {
  const run = async (sim: Awaited<ReturnType<typeof startSimulator>>, opts: Parameters<typeof createConnector>[1]) => {
    const connector = createConnector({ base_url: sim.url, ...sim.credentials }, opts);
    const r = await connector.run('search_groups', { query: 'a' }, { retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 5_000 } });
    await connector.close();
    return r;
  };

  it('a step after the quota was spent waits for the reset instead of drawing a 429', async () => {
    const sim = await startSimulator({ rateLimit: 2, rateWindowMs: 1_500, enforceRateLimit: true });
    try {
      const dir = cacheDir();
      const shared = { tokenCache: 'file' as const, cacheDir: dir };
      expect((await run(sim, shared)).status).toBe('success');
      expect((await run(sim, shared)).status).toBe('success'); // the window's two calls are spent
      expect(JSON.parse(readFileSync(quotaCachePath(parseConfig({ base_url: sim.url, ...sim.credentials }), dir), 'utf8')).windows).toEqual({
        '/api/directory/find-groups': { left: 0, resetAt: expect.any(Number) },
      });
      const t0 = Date.now();
      const third = await run(sim, shared);
      expect(third.status).toBe('success');
      expect(third.meta.requests).toBe(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
      expect(sim.stats.rate_limited ?? 0).toBe(0);
      expect(sim.stats.api_requests).toBe(3);
    } finally {
      await sim.close();
    }
  });

  it('without the shared file (a memory-only step) the same step knows nothing, probes, and draws a 429', async () => {
    const sim = await startSimulator({ rateLimit: 2, rateWindowMs: 1_500, enforceRateLimit: true });
    try {
      const shared = { tokenCache: 'file' as const, cacheDir: cacheDir() };
      await run(sim, shared);
      await run(sim, shared);
      const blind = await run(sim, { tokenCache: 'memory' });
      expect(blind.status).toBe('success');
      expect(sim.stats.rate_limited).toBe(1);
      expect(sim.stats.api_requests).toBe(4);
    } finally {
      await sim.close();
    }
  });
});
