/**
 * redactValue: what a caller of the library gets back never holds a registered secret or a bearer
 * token, in a string, a key or a number, at any depth; a result that holds none comes back as it
 * is (no copy), and one that does is copied masked, the original left untouched.
 */
import { REDACTED, redact, redactValue, registerSecret } from '../../src/base/log.js';

const SECRET = 'se"cr\\et\tQ9-x&+1';
const DIGITS = '8675309421';
registerSecret(SECRET);
registerSecret(DIGITS);

/** Every form redact() masks, as the JSON text of a value would show it. */
const forms = (s: string) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), new URLSearchParams({ v: s }).toString().slice(2)];

function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const f of [...forms(SECRET), ...forms(DIGITS)]) expect(text).not.toContain(f);
  expect(text).not.toMatch(/Bearer\s+[A-Za-z0-9._~+/=-]{8}/i);
}

describe('redactValue', () => {
  it('returns a value without secrets as it is, the same object', () => {
    const result = {
      status: 'success',
      data: [{ id: 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq', count: 3, ok: true, none: null }],
      meta: { requests: 1, duration_ms: 4, rate_limit: { limit: 100, remaining: 99, reset_ms: 500 } },
    };
    expect(redactValue(result)).toBe(result);
    expect(redactValue('Bearer short')).toBe('Bearer short'); // fewer than eight token characters: not a token
  });

  it.each([
    ['a string value', { data: [{ description: `you sent ${SECRET}` }] }],
    ['the JSON-escaped form inside a string', { message: `echo ${JSON.stringify({ s: SECRET })}` }],
    ['the URL-encoded form', { url: `https://x.example/?s=${encodeURIComponent(SECRET)}` }],
    ['an object key', { data: [{ [SECRET]: 'value' }] }],
    ['a number that is a secret made of digits', { data: [{ code: Number(DIGITS) }] }],
    ['an unregistered bearer token', { failures: [{ message: 'header was authorization: bearer abcdefgh12345678.xyz' }] }],
    ['a nested array', { data: [[[`deep ${SECRET} inside`]]] }],
    ['a value with toJSON', { when: { toJSON: () => `at ${SECRET}` } }],
  ])('masks a secret in %s, in a copy', (_what, value) => {
    const before = JSON.stringify(value);
    const out = redactValue(value);
    expect(out).not.toBe(value);
    expectNoSecret(out);
    expect(JSON.stringify(out)).toContain(REDACTED);
    expect(JSON.stringify(value)).toBe(before); // the original is not changed
  });

  it('masks what redact() masks in the JSON text, leaving the rest as it was', () => {
    const value = {
      status: 'failed',
      summary: `Failed: POST /api/x: Mimecast answered HTTP 400: bad ${SECRET} (err_echo)`,
      data: [{ id: 'g1', list: ['a', `Bearer ${'t'.repeat(20)}`], n: 7 }],
      failures: [],
    };
    const out = redactValue(value);
    expect(out).toEqual({
      status: 'failed',
      summary: `Failed: POST /api/x: Mimecast answered HTTP 400: bad ${REDACTED} (err_echo)`,
      data: [{ id: 'g1', list: ['a', `Bearer ${REDACTED}`], n: 7 }],
      failures: [],
    });
    expect(JSON.stringify(out)).toBe(redact(JSON.stringify(value)));
  });
});
