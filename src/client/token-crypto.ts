/**
 * The token cache's crypto: a cached token is AES-256-GCM encrypted with a key derived (HKDF-SHA256)
 * from the client secret, and the cache file's name is derived from the secret too. Nothing here
 * touches a file.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { InstanceConfig } from '../base/config-types.js';

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

/**
 * The cache file's name: derived (HKDF) from the client secret as well as the base URL and client
 * id, so two secrets of one application never share (or overwrite) a file, and the name reveals
 * nothing about the secret.
 */
export function cacheKey(config: InstanceConfig): string {
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
