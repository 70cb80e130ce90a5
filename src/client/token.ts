/**
 * OAuth 2.0 client credentials. The token is cached in memory (per connection) and across
 * processes (token-file.ts: an owner-only file, encrypted by token-crypto.ts, refreshed under a
 * lock of token-lock.ts), refreshed before expires_in runs out, and fetched by one request at a time.
 */
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { log, registerSecret } from '../base/log.js';
import { tokenCacheDir } from './cache-paths.js';
import { waitFromHeaders } from './pacing.js';
import { MIN_TOKEN_LENGTH, plausibleToken, type CachedToken } from './token-crypto.js';
import { FileTokenCache } from './token-file.js';
import { DEFAULT_TOKEN_LOCK, type TokenLockTimings } from './token-lock.js';
import type { Transport } from './transport.js';

export type TokenCacheMode = 'file' | 'memory';

/** Refresh when less than this is left (Mimecast tokens live 30 minutes). */
export const REFRESH_MARGIN_MS = 120_000;

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
