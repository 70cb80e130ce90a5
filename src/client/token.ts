/**
 * OAuth 2.0 client credentials. The token is cached in memory (per connection) and across
 * processes (an owner-only file whose content is AES-256-GCM encrypted with a key derived from
 * the client secret), refreshed before expires_in runs out, and fetched by one request at a time.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { log, registerSecret } from '../base/log.js';
import { createExclusive, ownerOnly, privateDir, readRegular, replaceFile } from './cache-files.js';
import { waitFromHeaders, type Transport } from './transport.js';

/** RFC 6750's b64token: the only characters a bearer token can have. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Mimecast's tokens are 28 characters; a shorter one is a guess away and would be masked inside ordinary words. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Whether a value can be a bearer token. Every token is registered as a secret and masked wherever
 * it shows, so a server's `"` or `status` would corrupt the output: such a value is refused.
 */
export function plausibleToken(value: string): boolean {
  return value.length >= MIN_TOKEN_LENGTH && B64TOKEN.test(value);
}

export interface CachedToken {
  access_token: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

export type TokenCacheMode = 'file' | 'memory';

/** Refresh when less than this is left (Mimecast tokens live 30 minutes). */
export const REFRESH_MARGIN_MS = 120_000;

export function tokenCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'mimecast-connector');
}

/**
 * The cache file's name: derived (HKDF) from the client secret as well as the base URL and client
 * id, so two secrets of one application never share (or overwrite) a file, and the name reveals
 * nothing about the secret.
 */
function cacheKey(config: InstanceConfig): string {
  return Buffer.from(hkdfSync('sha256', config.client_secret, 'mimecast-connector cache name v2', `${config.base_url}\n${config.client_id}`, 16)).toString(
    'hex',
  );
}

function deriveKey(config: InstanceConfig, salt: Buffer): Buffer {
  const info = `mimecast-connector token cache v1\n${config.base_url}\n${config.client_id}`;
  return Buffer.from(hkdfSync('sha256', config.client_secret, salt, info, 32));
}

export function encryptToken(config: InstanceConfig, token: CachedToken): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(config, salt), iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return JSON.stringify({
    v: 1,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  });
}

export function decryptToken(config: InstanceConfig, text: string): CachedToken | null {
  try {
    const f = JSON.parse(text) as { v: number; salt: string; iv: string; tag: string; ct: string };
    if (f.v !== 1) return null;
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(config, Buffer.from(f.salt, 'base64')), Buffer.from(f.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(f.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(f.ct, 'base64')), decipher.final()]).toString('utf8');
    const t = JSON.parse(plain) as CachedToken;
    return typeof t.access_token === 'string' && plausibleToken(t.access_token) && typeof t.expires_at === 'number' ? t : null;
  } catch {
    return null; // another secret (rotated), corrupt or foreign file: ignore it
  }
}

/** Where a configuration's token is cached (the lock is the same path + ".lock"). */
export function tokenCachePath(config: InstanceConfig, dir: string = tokenCacheDir()): string {
  return join(dir, `token-${cacheKey(config)}.json`);
}

/** Where a configuration's quota windows are left for the next process (see shared-quota.ts). */
export function quotaCachePath(config: InstanceConfig, dir: string = tokenCacheDir()): string {
  return join(dir, `quota-${cacheKey(config)}.json`);
}

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

class FileTokenCache {
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

  /**
   * Takes the cross-process refresh lock: true when this process may fetch the token (it holds
   * the lock, or locking is impossible here), false while another live process holds it. A lock
   * whose owner is gone (or whose pid now belongs to another process), an unreadable or foreign
   * entry at its path (a symlink, a FIFO) is removed at once; a directory there means no locking.
   */
  tryLock(config: InstanceConfig, retry = true): boolean {
    if (!this.ensureDir()) return true;
    const lock = `${this.path(config)}.lock`;
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
      return this.tryLock(config, false); // the holder just released it
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
    const stale = owner ? !alive(owner) : !st.isFile() || Math.abs(Date.now() - st.mtimeMs) > this.lockTimings.staleMs;
    if (!stale) return false;
    try {
      unlinkSync(lock);
    } catch {
      /* someone else broke it first */
    }
    return this.tryLock(config, false);
  }

  unlock(config: InstanceConfig): void {
    const lock = `${this.path(config)}.lock`;
    try {
      const held = readRegular(lock);
      if (held && (JSON.parse(held.text) as LockOwner).pid !== process.pid) return; // not ours any more
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
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

export interface TokenStoreOptions {
  cache: TokenCacheMode;
  cacheDir?: string;
  now?: () => number;
  tokenLock?: Partial<TokenLockTimings>;
}

/** Per-call context: the run's deadline and its request counter (meta.requests). */
export interface TokenCallContext {
  signal?: AbortSignal;
  onRequest?: () => void;
}

/**
 * The token of one instance configuration (one per connection): in memory, in the shared file
 * cache, and one fetch in flight at a time, in this process and across processes.
 */
export class TokenStore {
  private readonly file?: FileTokenCache;
  private readonly now: () => number;
  private memory?: CachedToken;
  private inflight?: Promise<CachedToken>;

  constructor(
    private readonly config: InstanceConfig,
    private readonly transport: Transport,
    opts: TokenStoreOptions,
  ) {
    this.file = opts.cache === 'file' ? new FileTokenCache(opts.cacheDir ?? tokenCacheDir(), { ...DEFAULT_TOKEN_LOCK, ...opts.tokenLock }) : undefined;
    this.now = opts.now ?? Date.now;
  }

  private fresh(t: CachedToken | null | undefined): t is CachedToken {
    return !!t && t.expires_at - this.now() > REFRESH_MARGIN_MS;
  }

  /** The fresh token in memory, or undefined (the common case, without a promise). */
  cached(): string | undefined {
    return this.fresh(this.memory) ? this.memory.access_token : undefined;
  }

  async get(ctx: TokenCallContext = {}): Promise<string> {
    if (this.fresh(this.memory)) return this.memory.access_token;
    const fromFile = this.fromFile();
    if (fromFile) return fromFile.access_token;
    this.inflight ??= this.fetchShared(ctx).finally(() => (this.inflight = undefined));
    return (await this.inflight).access_token;
  }

  private fromFile(): CachedToken | null {
    const t = this.file?.read(this.config);
    if (!this.fresh(t)) return null;
    registerSecret(t.access_token);
    this.memory = t;
    return t;
  }

  /**
   * One refresh at a time across processes too: parallel playbook steps of one instance wait for
   * the step that holds the lock file and use the token it caches, instead of each asking Mimecast.
   * A waiting step looks at the cache only once it holds the lock (the holder writes the token
   * before it lets go), so that look is the one that stops it asking again; a step that gives up
   * waiting looks once more before it asks without the lock.
   */
  private async fetchShared(ctx: TokenCallContext): Promise<CachedToken> {
    const file = this.file;
    if (!file) return this.fetch(ctx);
    const { waitMs, pollMs } = file.lockTimings;
    const giveUpAt = Date.now() + waitMs;
    while (!file.tryLock(this.config)) {
      if (Date.now() > giveUpAt) {
        log.debug(`token refresh lock still held after ${waitMs} ms; fetching a token without it`);
        return this.fromFile() ?? this.fetch(ctx);
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    try {
      return this.fromFile() ?? (await this.fetch(ctx));
    } finally {
      file.unlock(this.config);
    }
  }

  /** Drops the cached token after Mimecast refused it (401). */
  invalidate(token: string): void {
    if (this.memory?.access_token === token) this.memory = undefined;
    const f = this.file?.read(this.config);
    if (f && f.access_token === token) this.file?.clear(this.config);
  }

  private async fetch(ctx: TokenCallContext): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.client_id,
      client_secret: this.config.client_secret,
    }).toString();
    ctx.onRequest?.();
    const what = 'POST /oauth/token';
    const res = await this.transport
      .send(
        {
          method: 'POST',
          url: `${this.config.base_url}/oauth/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          signal: ctx.signal,
        },
        what,
      )
      .catch((e: unknown) => {
        if (e instanceof ConnectorError && e.type === 'api_error') {
          // Never echo the body of a failed token call: it can contain the submitted credentials.
          throw new ConnectorError('auth_error', 'Mimecast token endpoint returned an unreadable response', { httpStatus: e.httpStatus });
        }
        throw e;
      });
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new ConnectorError('auth_error', `Mimecast refused the client credentials (HTTP ${res.status} from /oauth/token)`, {
        httpStatus: res.status,
        code: oauthErrorCode(res.json),
        hint: 'Check client_id and client_secret and the base URL region. New API 2.0 credentials can take about 30 minutes to become active.',
      });
    }
    if (res.status === 429) {
      throw new ConnectorError('rate_limited', 'Mimecast rate-limited the token request (HTTP 429)', {
        httpStatus: 429,
        retryable: true,
        waitMs: waitFromHeaders(res.headers),
      });
    }
    if (res.status >= 300) {
      throw new ConnectorError('api_error', `Mimecast token endpoint answered HTTP ${res.status}`, {
        httpStatus: res.status,
        retryable: res.status >= 500,
        hint:
          res.status === 404
            ? 'The base URL does not serve /oauth/token: check it (API 2.0 hosts: api.services.mimecast.com, us-api..., uk-api...).'
            : undefined,
      });
    }
    const j = res.json as { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | undefined;
    if (!j || typeof j.access_token !== 'string' || !j.access_token) {
      throw new ConnectorError('auth_error', 'Mimecast token endpoint returned no access_token');
    }
    if (typeof j.token_type === 'string' && j.token_type.toLowerCase() !== 'bearer') {
      throw new ConnectorError('auth_error', `Mimecast token endpoint returned an unsupported token type "${j.token_type}"`);
    }
    if (!plausibleToken(j.access_token)) {
      // Never echoed, cached or sent: a value such as `"` or `status` would be masked all over the output.
      throw new ConnectorError('auth_error', 'Mimecast token endpoint returned an access_token that is not a bearer token', {
        hint: `A bearer token is at least ${MIN_TOKEN_LENGTH} characters of letters, digits and - . _ ~ + / (then = padding); check that the base URL is Mimecast's API host.`,
      });
    }
    registerSecret(j.access_token);
    const expiresIn = typeof j.expires_in === 'number' ? j.expires_in : Number(j.expires_in) || 1800;
    const token: CachedToken = { access_token: j.access_token, expires_at: this.now() + expiresIn * 1000 };
    this.memory = token;
    this.file?.write(this.config, token);
    return token;
  }
}

function oauthErrorCode(json: unknown): string | undefined {
  const j = json as { error?: unknown; fail?: { code?: string }[] } | undefined;
  if (j && typeof j.error === 'string') return j.error;
  if (j && Array.isArray(j.fail) && j.fail[0]?.code) return j.fail[0].code;
  return undefined;
}
