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
/** The length of the shortest form: a shorter text cannot hold one. */
let shortest = Infinity;
/** Whether a form could be part of a number's text (a secret of digits): only then are numbers looked at. */
let numeric = false;

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
  shortest = forms[forms.length - 1].length;
  numeric = forms.some((f) => /^[-+.0-9eE]+$/.test(f));
}

/** A bearer token we did not register (e.g. echoed by a server): what redact() masks after the known forms. */
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const HAS_BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]{8}/i;
/** "Bearer", one space and eight characters. */
const BEARER_MIN = 15;

export function redact(text: string): string {
  let out = text;
  for (const f of forms) {
    if (out.includes(f)) out = out.split(f).join(REDACTED);
  }
  if (out.length < BEARER_MIN || !HAS_BEARER.test(out)) return out;
  return out.replace(BEARER, `$1${REDACTED}`);
}

/** Whether redact() would change this text. */
export function holdsSecret(text: string): boolean {
  if (text.length >= shortest) {
    for (const f of forms) if (text.includes(f)) return true;
  }
  return text.length >= BEARER_MIN && HAS_BEARER.test(text);
}

/**
 * The names the result envelope itself prints (its keys and those of error, failures[] and meta):
 * public words, never masked as a key wherever they stand. Masking one hides nothing (the envelope
 * shows it anyway) and would rename the keys a playbook reads: a secret such as `status` or `e`.
 */
const ENVELOPE_KEYS = new Set([
  ...['status', 'action', 'summary', 'data', 'failures', 'error', 'meta'],
  ...['type', 'message', 'hint', 'http_status', 'code', 'request_id', 'field', 'retryable', 'key'],
  ...['requests', 'pages', 'duration_ms', 'rate_limit', 'limit', 'remaining', 'reset_ms', 'next_page_token', 'dry_run', 'run_id'],
]);

const holdsKey = (k: string): boolean => !ENVELOPE_KEYS.has(k) && holdsSecret(k);
const maskKey = (k: string): string => (ENVELOPE_KEYS.has(k) ? k : redact(k));

/**
 * A value for output with every secret masked: each string, key and number (as JSON would write
 * it) goes through redact(). A value that holds none, nearly every result, is returned as it is,
 * after a walk that reads every string and copies nothing; one that holds any is copied masked.
 * Every form of a secret is one of its registered forms, so a secret that shows in the value's
 * JSON text shows in one of its strings. Output is JSON.stringify of the masked value, never a
 * masked JSON text: a secret such as `"` or `,` then masks characters of strings, not of the syntax.
 */
export function redactValue<T>(value: T): T {
  return holds(value) ? (masked(value) as T) : value;
}

function holds(v: unknown): boolean {
  if (typeof v === 'string') return holdsSecret(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numeric && holdsSecret(String(v));
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (holds(v[i])) return true;
    return false;
  }
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return holds(toJSON.call(v));
  // for...in: no array of keys per object (an inherited enumerable key is looked at too, which is harmless).
  for (const k in v) if (holdsKey(k) || holds((v as Record<string, unknown>)[k])) return true;
  return false;
}

function masked(v: unknown): unknown {
  if (typeof v === 'string') return redact(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numeric && holdsSecret(String(v)) ? redact(String(v)) : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(masked);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return masked(toJSON.call(v));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const key = maskKey(k);
    const value = masked((v as Record<string, unknown>)[k]);
    // An answer's own "__proto__" key is data: assigned, it would become the copy's prototype
    // (the key gone from the JSON, its fields inherited by a table's or CSV's columns).
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
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
