/**
 * OAuth 2.0 client credentials. The token is cached in memory and across processes (an
 * owner-only file whose content is AES-256-GCM encrypted with a key derived from the client
 * secret), refreshed before expires_in runs out, and fetched by one request at a time.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { InstanceConfig } from '../runtime/config.js';
import { ConnectorError } from '../runtime/errors.js';
import { log, registerSecret } from '../runtime/redact.js';
import { send, waitFromHeaders } from './transport.js';

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

function cacheKey(config: InstanceConfig): string {
  return createHash('sha256').update(`${config.base_url}\n${config.client_id}`).digest('hex').slice(0, 32);
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
    return typeof t.access_token === 'string' && typeof t.expires_at === 'number' ? t : null;
  } catch {
    return null; // another secret (rotated), corrupt or foreign file: ignore it
  }
}

/** Where a configuration's token is cached (the lock is the same path + ".lock"). */
export function tokenCachePath(config: InstanceConfig, dir: string = tokenCacheDir()): string {
  return join(dir, `token-${cacheKey(config)}.json`);
}

/** A refresh lock older than this is left over from a process that died: it is broken. */
export const LOCK_STALE_MS = 30_000;
/** How long a process waits for another one's token before fetching its own. */
export const LOCK_WAIT_MS = 10_000;

class FileTokenCache {
  constructor(private readonly dir: string) {}

  private path(config: InstanceConfig): string {
    return tokenCachePath(config, this.dir);
  }

  /**
   * Takes the cross-process refresh lock: true when this process may fetch the token (it holds
   * the lock, or locking is impossible here), false while another live process holds it.
   */
  tryLock(config: InstanceConfig, retry = true): boolean {
    const lock = `${this.path(config)}.lock`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return true;
      try {
        if (retry && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) {
          unlinkSync(lock);
          return this.tryLock(config, false);
        }
      } catch {
        return this.tryLock(config, false); // the holder just released it
      }
      return false;
    }
  }

  unlock(config: InstanceConfig): void {
    try {
      unlinkSync(`${this.path(config)}.lock`);
    } catch {
      /* already gone */
    }
  }

  read(config: InstanceConfig): CachedToken | null {
    const p = this.path(config);
    try {
      const st = statSync(p);
      if ((st.mode & 0o077) !== 0 || (typeof process.getuid === 'function' && st.uid !== process.getuid())) {
        log.warn(`ignoring the token cache ${p}: it is not owner-only`);
        return null;
      }
      return decryptToken(config, readFileSync(p, 'utf8'));
    } catch {
      return null;
    }
  }

  write(config: InstanceConfig, token: CachedToken): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      chmodSync(this.dir, 0o700);
      const p = this.path(config);
      const tmp = `${p}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, encryptToken(config, token), { mode: 0o600 });
      renameSync(tmp, p);
    } catch (e) {
      log.debug(`token cache not written: ${(e as Error).message}`);
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

const memory = new Map<string, CachedToken>();
const inflight = new Map<string, Promise<CachedToken>>();

/** Forgets every in-memory token (tests). */
export function clearMemoryTokens(): void {
  memory.clear();
  inflight.clear();
}

export interface TokenProviderOptions {
  cache: TokenCacheMode;
  cacheDir?: string;
  now?: () => number;
  signal?: AbortSignal;
  /** Counts HTTP requests (meta.requests). */
  onRequest?: () => void;
}

export class TokenProvider {
  private readonly key: string;
  private readonly file?: FileTokenCache;
  private readonly now: () => number;

  constructor(
    private readonly config: InstanceConfig,
    private readonly agent: Dispatcher,
    private readonly opts: TokenProviderOptions,
  ) {
    // The secret is part of the in-memory key: a token fetched with one secret must never serve a
    // configuration with another (a wrong or revoked secret would otherwise pass while it is cached).
    const secretId = createHash('sha256').update(config.client_secret).digest('hex').slice(0, 32);
    this.key = `${config.base_url}\n${config.client_id}\n${secretId}`;
    this.file = opts.cache === 'file' ? new FileTokenCache(opts.cacheDir ?? tokenCacheDir()) : undefined;
    this.now = opts.now ?? Date.now;
  }

  private fresh(t: CachedToken | null | undefined): t is CachedToken {
    return !!t && t.expires_at - this.now() > REFRESH_MARGIN_MS;
  }

  async get(): Promise<string> {
    const mem = memory.get(this.key);
    if (this.fresh(mem)) return mem.access_token;
    const fromFile = this.fromFile();
    if (fromFile) return fromFile.access_token;
    let p = inflight.get(this.key);
    if (!p) {
      p = this.fetchShared().finally(() => inflight.delete(this.key));
      inflight.set(this.key, p);
    }
    return (await p).access_token;
  }

  private fromFile(): CachedToken | null {
    const t = this.file?.read(this.config);
    if (!this.fresh(t)) return null;
    registerSecret(t.access_token);
    memory.set(this.key, t);
    return t;
  }

  /**
   * One refresh at a time across processes too: parallel playbook steps of one instance wait for
   * the step that holds the lock file and use the token it caches, instead of each asking Mimecast.
   */
  private async fetchShared(): Promise<CachedToken> {
    const file = this.file;
    if (!file) return this.fetch();
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    while (!file.tryLock(this.config)) {
      await new Promise((r) => setTimeout(r, 100));
      const t = this.fromFile();
      if (t) return t;
      if (Date.now() > giveUpAt) {
        log.debug('token refresh lock still held after 10 s; fetching a token without it');
        return this.fetch();
      }
    }
    try {
      return this.fromFile() ?? (await this.fetch());
    } finally {
      file.unlock(this.config);
    }
  }

  /** Drops the cached token after Mimecast refused it (401). */
  invalidate(token: string): void {
    const mem = memory.get(this.key);
    if (mem && mem.access_token === token) memory.delete(this.key);
    const f = this.file?.read(this.config);
    if (f && f.access_token === token) this.file?.clear(this.config);
  }

  private async fetch(): Promise<CachedToken> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.client_id,
      client_secret: this.config.client_secret,
    }).toString();
    this.opts.onRequest?.();
    const what = 'POST /oauth/token';
    const res = await send(
      this.agent,
      {
        method: 'POST',
        url: `${this.config.base_url}/oauth/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: this.opts.signal,
      },
      what,
    ).catch((e: unknown) => {
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
      throw new ConnectorError('rate_limited', 'Mimecast rate-limited the token request (HTTP 429)', { httpStatus: 429, retryable: true, waitMs: waitFromHeaders(res.headers) });
    }
    if (res.status >= 300) {
      throw new ConnectorError('api_error', `Mimecast token endpoint answered HTTP ${res.status}`, {
        httpStatus: res.status,
        retryable: res.status >= 500,
        hint: res.status === 404 ? 'The base URL does not serve /oauth/token: check it (API 2.0 hosts: api.services.mimecast.com, us-api..., uk-api...).' : undefined,
      });
    }
    const j = res.json as { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | undefined;
    if (!j || typeof j.access_token !== 'string' || !j.access_token) {
      throw new ConnectorError('auth_error', 'Mimecast token endpoint returned no access_token');
    }
    if (typeof j.token_type === 'string' && j.token_type.toLowerCase() !== 'bearer') {
      throw new ConnectorError('auth_error', `Mimecast token endpoint returned an unsupported token type "${j.token_type}"`);
    }
    registerSecret(j.access_token);
    const expiresIn = typeof j.expires_in === 'number' ? j.expires_in : Number(j.expires_in) || 1800;
    const token: CachedToken = { access_token: j.access_token, expires_at: this.now() + expiresIn * 1000 };
    memory.set(this.key, token);
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
