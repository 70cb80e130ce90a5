/**
 * Secrets registry. Every secret the process learns (client secret, bearer tokens) is
 * registered here, and everything written to stdout or stderr passes through redact().
 */
const secrets = new Set<string>();

export const REDACTED = '[REDACTED]';

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; Mimecast secrets and tokens are long.
  if (value && value.length >= 6) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
    // URL-encoded forms (form bodies, query strings) too.
    const enc = encodeURIComponent(s);
    if (enc !== s && out.includes(enc)) out = out.split(enc).join(REDACTED);
  }
  // Bearer tokens we did not register (e.g. echoed by a server) are still masked.
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}

/** Logs go to stderr only, redacted. Debug lines need MIMECAST_DEBUG=1. */
export const log = {
  warn(message: string): void {
    process.stderr.write(redact(`warning: ${message}`) + '\n');
  },
  info(message: string): void {
    process.stderr.write(redact(message) + '\n');
  },
  debug(message: string): void {
    if (process.env.MIMECAST_DEBUG === '1') process.stderr.write(redact(`debug: ${message}`) + '\n');
  },
};
