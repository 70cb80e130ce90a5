/**
 * Secrets registry and logging. Every secret the process learns (client secret, bearer tokens,
 * proxy credentials) is registered here, and everything written to stdout or stderr passes
 * through redact(), which masks the raw value and every encoding of it that can reach output
 * (JSON-escaped, URL-encoded, form-encoded), whatever its length. Text printed on stderr is also
 * made printable: a server's ANSI/OSC escapes or newlines cannot drive the terminal or forge log
 * lines.
 */
export const REDACTED = '[REDACTED]';

/** Every form of every secret, longest first (so a secret inside another is masked whole). */
let forms: string[] = [];
const secrets = new Set<string>();

/** The forms in which a value can appear in output. */
function encodings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  // JSON-escaped twice: a JSON answer quoted inside a JSON string (an echoed body in a message).
  const json2 = JSON.stringify(json).slice(1, -1);
  return [...new Set([value, json, json2, url, form])];
}

export function registerSecret(value: string | undefined): void {
  if (!value || secrets.has(value)) return;
  secrets.add(value);
  forms = [...new Set([...forms, ...encodings(value)])].sort((a, b) => b.length - a.length);
}

export function redact(text: string): string {
  let out = text;
  for (const f of forms) {
    if (out.includes(f)) out = out.split(f).join(REDACTED);
  }
  // Bearer tokens we did not register (e.g. echoed by a server) are still masked.
  if (!/bearer/i.test(out)) return out;
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}

/** Control characters (C0, DEL, C1) shown as \xNN: nothing printed on stderr can steer a terminal or start a new line. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this replaces
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line on stderr: redacted, printable, newline-terminated. */
export function errLine(text: string): void {
  process.stderr.write(printable(redact(text)) + '\n');
}

/** Logs go to stderr only, redacted and printable, one line each. Debug lines need MIMECAST_DEBUG=1. */
export const log = {
  warn(message: string): void {
    errLine(`warning: ${message}`);
  },
  info(message: string): void {
    errLine(message);
  },
  debug(message: string): void {
    if (process.env.MIMECAST_DEBUG === '1') errLine(`debug: ${message}`);
  },
};
