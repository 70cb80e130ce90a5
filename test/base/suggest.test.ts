/** The "did you mean" helper: edit distance and the closest known word. */
import { closest, editDistance } from '../../src/base/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['input', 'input', 0],
    ['', 'json', 4],
    ['dryrun', 'dry-run', 1],
    ['inptu', 'input', 1],
    ['serch_groups', 'search_groups', 1],
    ['kitten', 'sitting', 3],
    ['abc', 'cab', 2],
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const options = ['config', 'input', 'output-dir', 'dry-run', 'simulator', 'format', 'deadline', 'quiet'];

  it('names the option a typo was meant to be', () => {
    expect(closest('dryrun', options)).toBe('dry-run');
    expect(closest('inptu', options)).toBe('input');
    expect(closest('outputdir', options)).toBe('output-dir');
    expect(closest('simulater', options)).toBe('simulator');
    expect(closest('Dry-Run', options)).toBe('dry-run');
  });

  it('suggests nothing for a word that is not close to any candidate', () => {
    expect(closest('verbose', options)).toBeUndefined();
    expect(closest('x', ['json'])).toBeUndefined();
    expect(closest('anything', [])).toBeUndefined();
  });

  it('allows more edits in longer words: a third of the length, at least 2', () => {
    expect(closest('serch_grops', ['search_groups', 'search'])).toBe('search_groups');
    expect(closest('js', ['json'])).toBe('json');
    expect(closest('jsonx', ['yaml'])).toBeUndefined();
  });

  it('prefers the nearest candidate, and the earlier one on a tie', () => {
    expect(closest('search_group', ['search', 'search_groups'])).toBe('search_groups');
    expect(closest('ab', ['aa', 'bb'])).toBe('aa');
  });
});
