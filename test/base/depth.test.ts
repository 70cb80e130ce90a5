/** The depth checks that refuse input and answers nested past MAX_JSON_DEPTH before anything recurses over them. */
import { MAX_JSON_DEPTH, textTooDeep, valueTooDeep } from '../../src/base/depth.js';

const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('textTooDeep', () => {
  it('counts brackets up to the limit, and refuses one level more', () => {
    expect(textTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(textTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(textTooDeep(`{"a":${nested(3)}}`, 4)).toBe(false);
    expect(textTooDeep(`{"a":${nested(4)}}`, 4)).toBe(true);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    const opening = '['.repeat(10);
    expect(textTooDeep(`{"note":"${opening}"}`, 2)).toBe(false);
    expect(textTooDeep(`{"note":"say \\"${opening}\\" twice"}`, 2)).toBe(false);
    expect(textTooDeep(JSON.stringify({ note: `a"${opening}"b\\`, n: [1] }), 2)).toBe(false);
  });

  it('ends a string at a quote after an even run of backslashes', () => {
    // "a\\" is a string ending in one backslash: the brackets after it are structure.
    expect(textTooDeep(`["a\\\\",${nested(3)}]`, 3)).toBe(true);
    expect(textTooDeep(`["a\\\\\\"${nested(3)}"]`, 3)).toBe(false);
  });

  it('an unterminated string is not deep (JSON.parse refuses it)', () => {
    expect(textTooDeep(`["${'['.repeat(500)}`)).toBe(false);
  });

  it('agrees with the depth of the parsed value on a real answer', () => {
    const answer = JSON.stringify({ meta: { status: 200 }, data: [{ folders: [{ id: 'eNo[1]', description: 'a "quoted" {name}' }] }], fail: [] });
    for (const limit of [1, 2, 3, 4, 5, 6]) expect(textTooDeep(answer, limit)).toBe(valueTooDeep(JSON.parse(answer), limit));
  });
});
