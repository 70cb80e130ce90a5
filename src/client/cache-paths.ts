/**
 * Where the cache directory's files live: the token cache (and its lock, the same path + ".lock")
 * and the quota windows left for the next process, both named from the configuration's secret.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { InstanceConfig } from '../base/config-types.js';
import { cacheKey } from './token-crypto.js';

export function tokenCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mimecast-connector');
}

/** Where a configuration's token is cached (the lock is the same path + ".lock"). */
export function tokenCachePath(config: InstanceConfig, dir: string = tokenCacheDir()): string {
  return join(dir, `token-${cacheKey(config)}.json`);
}

/** Where a configuration's quota windows are left for the next process (see shared-quota.ts). */
export function quotaCachePath(config: InstanceConfig, dir: string = tokenCacheDir()): string {
  return join(dir, `quota-${cacheKey(config)}.json`);
}
