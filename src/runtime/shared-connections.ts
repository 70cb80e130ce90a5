/**
 * The process-wide connections of the library's runAction. Mimecast's quota and the token belong to
 * the tenant (its API application), not to a call: 600 concurrent runAction calls that each opened a
 * connection of their own each fetched a token and each paced itself as if alone, and drew hundreds
 * of 429s where one connector drew none. So runAction runs on one connection per tenant and
 * connection settings (base URL, client ID and secret, every other configuration key, the token
 * cache, the proxy environment): one token, one pacer, one socket pool, as the runs of one
 * createConnector share them.
 *
 * A connection with no run left leaves what it learnt of the quota for the next process at once
 * (as a connection of its own did when it closed) and closes after IDLE_MS. The idle timer is
 * unref'd and undici unrefs idle sockets, so a process that has nothing else to do exits as soon as
 * its last run resolves. Runs with their own transport or clock (tests) get a connection of their own.
 */
import { createHash } from 'node:crypto';
import type { InstanceConfig } from '../base/config-types.js';
import { Connection } from '../client/connection.js';
import { proxySettings } from '../client/proxy.js';
import { tokenCacheDir } from '../client/cache-paths.js';
import { debugEnabled } from '../client/trace.js';
import type { ConnectionLease, RunOptions } from './run.js';

/** How long a connection with no run in flight is kept for the next one (its token and warm sockets). */
const IDLE_MS = 30_000;

interface Entry {
  connection: Connection;
  /** Runs in flight on it. */
  active: number;
  idle?: NodeJS.Timeout;
  /** Taken out of the pool while runs were in flight: closed when the last one ends. */
  retired?: boolean;
}

const pool = new Map<string, Entry>();

/**
 * Everything that makes two connections differ, hashed (the secret is part of it and is not kept
 * as a map key in clear). The configuration is the parsed one, so `timeout: '30'` and `timeout: 30` share.
 */
function keyOf(cfg: InstanceConfig, o: RunOptions): string {
  const cache = o.tokenCache ?? 'file';
  const env = o.env ?? process.env;
  const settings = [
    { ...cfg },
    cache,
    cache === 'file' ? (o.cacheDir ?? tokenCacheDir()) : null,
    o.tokenLock ?? null,
    o.requestTimeoutMs ?? null,
    proxySettings(cfg.proxy, env),
    debugEnabled(),
  ];
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
}

async function retire(key: string, entry: Entry): Promise<void> {
  if (pool.get(key) === entry) pool.delete(key);
  if (entry.idle) clearTimeout(entry.idle);
  entry.retired = true;
  if (entry.active === 0) await entry.connection.close();
}

/** A lease on the shared connection for `cfg` (one is opened when there is none); release it when the run ends. */
export function sharedConnection(cfg: InstanceConfig, options: RunOptions): ConnectionLease {
  if (options.transport || options.now) {
    const own = new Connection(cfg, options);
    return { connection: own, release: () => own.close() };
  }
  const key = keyOf(cfg, options);
  let entry = pool.get(key);
  if (!entry) {
    entry = { connection: new Connection(cfg, options), active: 0 };
    pool.set(key, entry);
  }
  const e = entry;
  if (e.idle) clearTimeout(e.idle);
  e.idle = undefined;
  e.active++;
  let released = false;
  return {
    connection: e.connection,
    release: async () => {
      if (released) return;
      released = true;
      e.active--;
      if (e.active > 0) return;
      if (e.retired) return e.connection.close();
      e.connection.saveQuota();
      e.idle = setTimeout(() => void retire(key, e), IDLE_MS);
      e.idle.unref();
    },
  };
}

/**
 * Closes the process-wide connections of runAction now (a graceful shutdown, the end of a test
 * suite); one with runs in flight closes when they end. The next runAction opens a new one.
 */
export async function closeSharedConnections(): Promise<void> {
  await Promise.all([...pool].map(([key, entry]) => retire(key, entry)));
}

/** How many process-wide connections are open (tests). */
export function sharedConnectionCount(): number {
  return pool.size;
}
