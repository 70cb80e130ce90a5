/** The parsed instance configuration (runtime/config.ts parses it; the client only reads it). */
export interface InstanceConfig {
  readonly base_url: string;
  readonly client_id: string;
  readonly client_secret: string;
  /** Seconds, per request: connect, headers, body idle. */
  readonly timeout: number;
  readonly verify: boolean;
  /** The largest JSON answer read, in bytes (max_response_mb). */
  readonly max_response_bytes: number;
  /** The largest file saved, in bytes (max_download_mb). */
  readonly max_download_bytes: number;
  /** The most API calls one run may make. */
  readonly max_calls: number;
  /** Seconds for the whole action (every request, retry and wait); default 4 × timeout. */
  readonly deadline?: number;
  /** A proxy URL (its credentials are secrets); wins over HTTPS_PROXY / HTTP_PROXY. */
  readonly proxy?: string;
  /** A PEM bundle added to the trusted CAs (a TLS-inspecting gateway's private CA). */
  readonly ca_file?: string;
  /** Where the journal of writes lives (absolute); default: MIMECAST_JOURNAL_DIR, else the token cache directory. */
  readonly journal_dir?: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}
