/**
 * A cell's text for a terminal table or a CSV file: nested values as compact JSON, characters that
 * must not reach the reader's screen (or start a spreadsheet formula) made harmless, and columns
 * fitted and wrapped to the terminal's width.
 */

/** A column is not narrowed below this (unless its content is narrower). */
export const MIN_COLUMN = 8;

/** One cell's text: nested values as compact JSON, nothing for null/undefined. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Characters an answer must not bring to the reader's screen: C0 and C1 controls and DEL (ESC and
 * BEL start terminal sequences, e.g. an OSC 52 clipboard write; a lone CR hides what precedes it)
 * and the bidi controls that reorder what is shown (Trojan Source). Each becomes U+FFFD, so the
 * reader sees that something was there.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what is replaced
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** In CSV, line breaks (LF, CRLF) and tabs inside a quoted cell are text layout: they stay. */
// eslint-disable-next-line no-control-regex -- the control characters are what is replaced
const CSV_UNSAFE = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A spreadsheet would run a cell starting with one of these as a formula (OWASP CSV injection): such text gets a leading '. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV cell, header or value: safe characters, and text that cannot start a formula (numbers and flags stay as they are). */
export function csvText(value: unknown): string {
  const text = cellText(value).replace(CSV_UNSAFE, '\ufffd');
  return typeof value !== 'number' && typeof value !== 'boolean' && FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * The column widths (padding included) that fit `width`: the widest columns give way first, down
 * to MIN_COLUMN, except the `whole` ones, which are never cut; when that is not enough, the last
 * column that may go is left out (0) and the rest fitted again. `fixed` columns (whole identifiers
 * among the primary fields) are never left out either and take the room they need: the other
 * columns share what is left of the width, and at least a quarter of it, so a long identifier makes the
 * line wider than `width` rather than leave nothing else to read. At least one column stays.
 */
export function fitColumns(natural: number[], width: number, whole: boolean[] = [], fixed: boolean[] = []): number[] {
  const floor = natural.map((n, i) => (whole[i] || fixed[i] ? n : Math.min(n, MIN_COLUMN)) + 2);
  const fixedWidth = natural.reduce((sum, n, i) => sum + (fixed[i] ? n + 2 : 0), 0);
  const kept = natural.map(() => true);
  for (;;) {
    const widths = natural.map((n, i) => (kept[i] ? n + 2 : 0));
    const count = kept.filter(Boolean).length;
    const room = fixedWidth + Math.max(width - (count + 1) - fixedWidth, Math.floor(width / 4)); // one border character per column, plus one
    let total = widths.reduce((a, b) => a + b, 0);
    while (total > room) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
      if (widest < 0) break;
      widths[widest]--;
      total--;
    }
    const last = kept.map((k, i) => k && !fixed[i]).lastIndexOf(true);
    if (total <= room || last < 0 || count === 1) return widths;
    kept[last] = false;
  }
}

/** East Asian wide characters and emoji take two terminal columns (cli-table3 measures exactly; this sizes the columns). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

const charWidth = (ch: string): number => (WIDE.test(ch) ? 2 : 1);
export const displayLength = (s: string): number => [...s].reduce((n, ch) => n + charWidth(ch), 0);

/** A table cell on one line, without control or bidi characters (a subject can carry terminal escape sequences). */
export const tableText = (value: unknown): string =>
  cellText(value)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(UNSAFE, '\ufffd');

/** Text broken into lines of at most `width` terminal columns: at spaces where it can, inside a word where it must. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(/(?<= )/)) {
    const w = displayLength(word.trimEnd());
    if (used > 0 && used + w > width && w <= width) {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
    }
    for (const ch of word) {
      if (ch === ' ' && used >= width) continue; // the space that ends a full line
      if (used + charWidth(ch) > width) {
        lines.push(line.trimEnd());
        line = '';
        used = 0;
      }
      line += ch;
      used += charWidth(ch);
    }
  }
  lines.push(line.trimEnd());
  return lines;
}
