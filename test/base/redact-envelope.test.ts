/**
 * Masking cannot corrupt a result: a secret that is a word of the envelope (`status`), a single
 * letter or a quote masks text inside strings, never the envelope's own keys, and the result's
 * JSON stays the envelope. An answer's own "__proto__" key stays data.
 */
import { REDACTED, redactValue, registerSecret } from '../../src/base/log.js';

// A client secret can be anything the operator chose; these are the hostile ones.
for (const s of ['status', 'meta', '"', 'x']) registerSecret(s);

describe('redactValue keeps the envelope', () => {
  it('never renames the envelope keys, those of error, failures[] and meta, wherever a secret matches them', () => {
    const result = {
      status: 'failed',
      action: 'search_groups',
      summary: 'Failed: the status is "x"',
      data: { status: 'active', metadata: 'x' },
      failures: [{ code: 'err_x', message: 'meta x', field: 'status', retryable: false, key: { meta: 1 } }],
      error: { type: 'api_error', message: 'status "x"', code: 'err_x', http_status: 400, request_id: 'r-1', hint: 'h', field: 'f' },
      meta: { requests: 1, duration_ms: 3, rate_limit: { limit: 10, remaining: 9, reset_ms: 100 }, next_page_token: 'p', pages: 1, dry_run: false },
    };
    const out = redactValue(result);
    expect(out).toEqual({
      status: 'failed',
      action: 'search_groups',
      summary: `Failed: the ${REDACTED} is ${REDACTED}${REDACTED}${REDACTED}`,
      data: { status: 'active', [`${REDACTED}data`]: REDACTED },
      failures: [{ code: `err_${REDACTED}`, message: `${REDACTED} ${REDACTED}`, field: REDACTED, retryable: false, key: { meta: 1 } }],
      error: {
        type: 'api_error',
        message: `${REDACTED} ${REDACTED}${REDACTED}${REDACTED}`,
        code: `err_${REDACTED}`,
        http_status: 400,
        request_id: 'r-1',
        hint: 'h',
        field: 'f',
      },
      meta: { requests: 1, duration_ms: 3, rate_limit: { limit: 10, remaining: 9, reset_ms: 100 }, next_page_token: 'p', pages: 1, dry_run: false },
    });
    // Its JSON is still the envelope (a quote masked inside strings, not in the syntax).
    expect(Object.keys(JSON.parse(JSON.stringify(out)))).toEqual(['status', 'action', 'summary', 'data', 'failures', 'error', 'meta']);
  });

  it("keeps an answer's own __proto__ key as data: in the JSON, and never as the copy's prototype", () => {
    const answer = JSON.parse('{"data":[{"__proto__":{"id":"inherited?","isAdmin":true},"description":"seen by x"}]}') as { data: Record<string, unknown>[] };
    const out = redactValue(answer);
    expect(out).not.toBe(answer);
    const row = out.data[0];
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['__proto__', 'description']);
    expect(row.id).toBeUndefined();
    expect(row.isAdmin).toBeUndefined();
    expect(JSON.stringify(out)).toBe(`{"data":[{"__proto__":{"id":"inherited?","isAdmin":true},"description":"seen by ${REDACTED}"}]}`);
  });
});
