/**
 * The token cache file: one owner-only file per configuration in the cache directory, its content
 * encrypted (token-crypto.ts), refreshed under the cross-process lock (token-lock.ts). Where the
 * cache cannot be written, the run says so once and the token lives in memory only.
 */
import { unlinkSync } from 'node:fs';
import type { InstanceConfig } from '../base/config-types.js';
import { log } from '../base/log.js';
import { ownerOnly, privateDir, readRegular, replaceFile } from './cache-files.js';
import { tokenCachePath } from './cache-paths.js';
import { decryptToken, encryptToken, type CachedToken } from './token-crypto.js';
import { tryLock, unlock, type TokenLockTimings } from './token-lock.js';

export class FileTokenCache {
  /** Why the cache cannot persist here (said once on stderr), or undefined while it can. */
  private broken?: string;

  constructor(
    private readonly dir: string,
    readonly lockTimings: TokenLockTimings,
  ) {}

  private path(config: InstanceConfig): string {
    return tokenCachePath(config, this.dir);
  }

  /** From now on the token lives in memory only; says so once. */
  private giveUp(reason: string): void {
    if (this.broken) return;
    this.broken = reason;
    log.warn(`the token is not cached across runs (${reason}); it is kept in memory for this run only`);
  }

  /** The cache directory, owner-only; false (and said once) when it cannot be used. */
  private ensureDir(): boolean {
    if (this.broken) return false;
    const problem = privateDir(this.dir);
    if (problem) this.giveUp(problem);
    return !problem;
  }

  /** Takes the cross-process refresh lock (token-lock.ts); true also when locking is impossible here. */
  tryLock(config: InstanceConfig): boolean {
    if (!this.ensureDir()) return true;
    return tryLock(`${this.path(config)}.lock`, this.lockTimings.staleMs);
  }

  unlock(config: InstanceConfig): void {
    unlock(`${this.path(config)}.lock`);
  }

  read(config: InstanceConfig): CachedToken | null {
    if (this.broken) return null;
    const p = this.path(config);
    const file = readRegular(p);
    if (!file) return null;
    if (!ownerOnly(file)) {
      log.warn(`ignoring the token cache ${p}: it is not owner-only`);
      return null;
    }
    return decryptToken(config, file.text);
  }

  write(config: InstanceConfig, token: CachedToken): void {
    if (!this.ensureDir()) return;
    const p = this.path(config);
    try {
      replaceFile(p, encryptToken(config, token));
    } catch (e) {
      this.giveUp(`${p} cannot be written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  clear(config: InstanceConfig): void {
    try {
      unlinkSync(this.path(config));
    } catch {
      /* not there */
    }
  }
}
