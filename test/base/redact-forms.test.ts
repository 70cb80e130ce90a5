/**
 * Every form a secret takes in output is masked whole: raw, JSON-escaped, JSON-escaped twice (an
 * echoed body quoted inside a JSON string), URL-encoded and form-encoded (the token request's body),
 * and a secret that holds another one is masked before the one inside it.
 */
import { REDACTED, redact, redactValue, registerSecret } from '../../src/base/log.js';

// A space, ~ ! ' ( ) (encodeURIComponent keeps these, a form body does not), a quote and a backslash.
const SECRET = `open "se\\same"~!'(x) y`;
// Part of SECRET, registered first (e.g. a proxy password inside the client secret).
const INNER = `(x) y`;
registerSecret(INNER);
registerSecret(SECRET);

const json = JSON.stringify(SECRET).slice(1, -1);
const forms: [string, string][] = [
  ['raw', SECRET],
  ['JSON-escaped', json],
  ['JSON-escaped twice', JSON.stringify(json).slice(1, -1)],
  ['URL-encoded', encodeURIComponent(SECRET)],
  ['form-encoded', new URLSearchParams({ v: SECRET }).toString().slice(2)],
];

describe('the forms of a secret', () => {
  it('are five different texts for this secret', () => {
    expect(forms.map(([, f]) => f)).toEqual([
      `open "se\\same"~!'(x) y`,
      `open \\"se\\\\same\\"~!'(x) y`,
      `open \\\\\\"se\\\\\\\\same\\\\\\"~!'(x) y`,
      `open%20%22se%5Csame%22~!'(x)%20y`,
      `open+%22se%5Csame%22%7E%21%27%28x%29+y`,
    ]);
  });

  it.each(forms)('the %s form is masked whole, in text and in a value', (_what, form) => {
    expect(redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
    expect(redactValue({ message: `before ${form} after` })).toEqual({ message: `before ${REDACTED} after` });
  });

  it('masks an echoed token request body (form-encoded) and an echoed JSON body quoted in JSON', () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cid', client_secret: SECRET }).toString();
    expect(redact(`bad request: ${form}`)).toBe(`bad request: grant_type=client_credentials&client_id=cid&client_secret=${REDACTED}`);
    const quoted = JSON.stringify({ message: `echo ${JSON.stringify({ client_secret: SECRET })}` });
    expect(JSON.parse(redact(quoted))).toEqual({ message: `echo {"client_secret":"${REDACTED}"}` });
  });

  it('masks the longer secret whole before the one inside it (nothing of it is left around the mask)', () => {
    expect(redact(`a ${SECRET} b`)).toBe(`a ${REDACTED} b`);
    expect(redact(`a ${INNER} b`)).toBe(`a ${REDACTED} b`);
    expect(redactValue([`${SECRET}|${INNER}`])).toEqual([`${REDACTED}|${REDACTED}`]);
  });
});
