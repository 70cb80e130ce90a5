/**
 * The cross-process refresh lock of the token cache: a file beside the cache that records its
 * owner's pid and start time (from /proc where there is one), so parallel playbook steps of one
 * instance fetch one token, and a lock whose owner is gone is broken at once.
 */
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { createExclusive, readRegular } from './cache-files.js';

export interface TokenLockTimings {
  /** A refresh lock older than this is left over from a process that died: it is broken. */
  staleMs: number;
  /** How long a process waits for another one's token before fetching its own. */
  waitMs: number;
  /** How often a waiting process looks for the other one's token. */
  pollMs: number;
}

export const DEFAULT_TOKEN_LOCK: TokenLockTimings = { staleMs: 30_000, waitMs: 10_000, pollMs: 100 };

/** What a lock file records: its owner's pid and that process's start time (a reused pid is not the owner). */
interface LockOwner {
  pid: number;
  start: string;
}

/** This process's start time: /proc's clock-tick count where there is one, else a millisecond estimate. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return pid === process.pid ? String(Math.round(Date.now() - process.uptime() * 1000)) : undefined;
  }
}

function alive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStart(owner.pid);
  return start === undefined || start === owner.start;
}

/**
 * Takes the lock at `lock`: true when this process may fetch the token (it holds the lock, or
 * locking is impossible here), false while another live process holds it. A lock whose owner is
 * gone (or whose pid now belongs to another process), an unreadable or foreign entry at its path
 * (a symlink, a FIFO) is removed at once; a directory there means no locking.
 */
export function tryLock(lock: string, staleMs: number, retry = true): boolean {
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid) ?? '' };
  try {
    createExclusive(lock, JSON.stringify(me));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return true;
  }
  if (!retry) return false;
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(lock);
  } catch {
    return tryLock(lock, staleMs, false); // the holder just released it
  }
  if (st.isDirectory()) return true;
  const held = st.isFile() ? readRegular(lock) : null;
  let owner: LockOwner | undefined;
  try {
    const o = held ? (JSON.parse(held.text) as Partial<LockOwner>) : undefined;
    if (o && typeof o.pid === 'number' && typeof o.start === 'string') owner = { pid: o.pid, start: o.start };
  } catch {
    owner = undefined;
  }
  const stale = owner ? !alive(owner) : !st.isFile() || Math.abs(Date.now() - st.mtimeMs) > staleMs;
  if (!stale) return false;
  try {
    unlinkSync(lock);
  } catch {
    /* someone else broke it first */
  }
  return tryLock(lock, staleMs, false);
}

/** Lets go of the lock, unless it is not this process's any more. */
export function unlock(lock: string): void {
  try {
    const held = readRegular(lock);
    if (held && (JSON.parse(held.text) as LockOwner).pid !== process.pid) return; // not ours any more
    unlinkSync(lock);
  } catch {
    /* already gone */
  }
}
