/**
 * How deeply nested a JSON value or text is: a value nested past a sane depth is refused at the
 * edge instead of overflowing the stack somewhere inside. The value walk recurses at most `limit`
 * levels (it stops there), which the stack holds with room to spare.
 */
export const MAX_JSON_DEPTH = 128;

/** True when the value nests objects/arrays more than `limit` levels deep. */
export function valueTooDeep(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return deeper(value, limit);
}

/** Whether `v` nests objects/arrays `levels` or more deep (objects below it count from 1). */
function deeper(v: unknown, levels: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (levels <= 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (deeper(v[i], levels - 1)) return true;
  } else {
    for (const k in v) if (deeper((v as Record<string, unknown>)[k], levels - 1)) return true;
  }
  return false;
}

/** True when JSON text nests brackets more than `limit` levels deep (strings are skipped). */
export function textTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: jump to the quote that ends it (one not escaped by an odd run of backslashes).
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return false; // unterminated: not JSON, and no deeper than seen so far
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
        if (slashes % 2 === 0) break;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
