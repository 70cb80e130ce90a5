/** The parsed instance configuration (runtime/config.ts parses it; the client only reads it). */
export interface InstanceConfig {
  readonly base_url: string;
  readonly client_id: string;
  readonly client_secret: string;
  /** Seconds, per request: connect, headers, body idle. */
  readonly timeout: number;
  readonly verify: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}
