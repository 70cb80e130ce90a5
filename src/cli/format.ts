/**
 * `run --format table|csv`: a result envelope for people (a table fitted to the terminal) and for
 * spreadsheets (CSV). JSON stays the contract; these are views of the same result:
 * - a list answer (data is an array of records) → one row per item: in a table the action's
 *   `primary` fields (the record's identifier and what tells records apart) and then its main
 *   `columns` (else the first few scalar keys), in CSV those first and then every other key;
 * - any other answer → key/value rows (primary fields first); a failed run → its error as key/value
 *   rows; key/value tables wrap long values instead of cutting them (a hint is read whole);
 * - nested values → compact JSON in the cell; a dry run → the requests it would send.
 * A table cuts wide cells with … to fit the terminal, but never the values a next step needs: the
 * first primary field and every `contains` path are shown whole. Whole primary fields always stay
 * (a Mimecast ID can be 200 characters: the line is then wider than the terminal); another whole
 * column that does not fit is left out, and stderr names it.
 * What a view leaves out (fields, cut cells, meta) is returned as notes for stderr (a CSV's item
 * failures are main.ts's warning).
 * Cells are made safe for the reader: no control or bidi characters (a terminal escape or a
 * Trojan-Source reordering from an answer), and in CSV no cell, header included, that a
 * spreadsheet would run as a formula.
 * cli-table3 draws the table (display widths of wide characters, truncation with …); csv-stringify
 * quotes the CSV (RFC 4180: a cell with a comma, a quote or a line break is quoted, quotes doubled).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { ResultEnvelope } from '../runtime/run.js';
import type { Format } from './args.js';
import { csvText, displayLength, fitColumns, MIN_COLUMN, tableText, wrapText } from './cells.js';

/** How many columns a table shows when the manifest declares no `columns` (primary fields included). */
const DEFAULT_COLUMNS = 6;
/**
 * Meta keys that are counts, timing and quota: not worth a note when a view leaves them out (a
 * resume token or a run id is).
 */
const ROUTINE_META = new Set(['requests', 'pages', 'duration_ms', 'rate_limit', 'dry_run', 'run_id']);

type Row = Record<string, unknown>;

/** What a result shows: rows under named columns (a list) or key/value pairs. */
interface View {
  columns: string[];
  rows: unknown[][];
  /** Per column: never cut in a table (an identifier a next step needs). */
  whole: boolean[];
  /** Per column: never cut nor left out (a whole primary field). */
  fixed?: boolean[];
  /** Key/value rows: the value column wraps instead of cutting. */
  keyValue?: boolean;
  /** Key/value rows: whether each row's value is never to be broken (an identifier). */
  wholeRows?: boolean[];
  /** A list's top-level keys that no column shows. */
  hidden?: string[];
  /** Of those, the ones holding nested values (objects, lists). */
  nested?: string[];
}

/** What the manifest says of an action's records (manifest `primary`, `columns`, `contains`). */
export interface RecordFields {
  /** The fields that identify a record and tell records apart, shown first; the first is never cut. */
  primary?: string[];
  /** The fields shown after the primary ones. */
  columns?: string[];
  /** The paths a next step pivots on: never cut. */
  contains?: string[];
}

export interface FormatOptions {
  /** An action's record fields, by action id. */
  fieldsOf: (action: string) => RecordFields | undefined;
  /** Terminal width for tables. */
  width: number;
}

/** The text for stdout, and what it leaves out (one line per run, for stderr). */
export interface Formatted {
  text: string;
  notes: string[];
}

const isRecord = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

const own = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** A value at a dotted path ("from.emailAddress"); undefined when any step is missing. Own keys only (no inherited fields). */
function at(row: Row, path: string): unknown {
  if (own(row, path)) return row[path];
  let value: unknown = row;
  for (const key of path.split('.')) value = isRecord(value) && own(value, key) ? value[key] : undefined;
  return value;
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Every key of the records, in order of first appearance. */
function allKeys(rows: Row[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

/** The keys whose values are scalars (text, numbers, flags). */
const scalarKeys = (rows: Row[]): string[] => allKeys(rows).filter((k) => rows.every((r) => r[k] === undefined || isScalar(r[k])));

/** Whether a column shows (part of) a top-level key: "from.emailAddress" shows some of "from". */
const shows = (column: string, key: string): boolean => column === key || column.startsWith(`${key}.`);

function keyValue(pairs: [string, unknown][], whole: (key: string) => boolean = () => false): View {
  const rows = pairs.filter(([, v]) => v !== undefined);
  return { columns: ['key', 'value'], rows, whole: [true, false], keyValue: true, wholeRows: rows.map(([k]) => whole(k)) };
}

/** The failed run's error (and item failures) as key/value rows. */
function errorView(result: ResultEnvelope): View {
  const pairs: [string, unknown][] = [
    ['status', result.status],
    ['action', result.action],
  ];
  for (const [k, v] of Object.entries(result.error ?? { message: result.summary })) pairs.push([`error.${k}`, v]);
  if (result.failures.length) pairs.push(['failures', result.failures]);
  return keyValue(pairs);
}

/** The requests of a dry run: method and URL whole (a URL is copied), the body after them. */
const DRY_RUN_FIELDS: RecordFields = { primary: ['method', 'url'], columns: ['body'], contains: ['url'] };

/** What the run's data shows: list rows, a dry run's requests, or key/value pairs. */
function dataView(result: ResultEnvelope, format: 'table' | 'csv', fields: RecordFields = {}): View {
  let data = result.data;
  if (result.meta.dry_run && isRecord(data) && Array.isArray(data.requests)) {
    data = data.requests;
    fields = DRY_RUN_FIELDS;
  }
  const primary = fields.primary ?? [];
  const keep = new Set([...primary.slice(0, 1), ...(fields.contains ?? [])]);
  if (Array.isArray(data) && data.every(isRecord)) {
    const rows = data as Row[];
    const rest =
      fields.columns ??
      scalarKeys(rows)
        .filter((k) => !primary.includes(k))
        .slice(0, Math.max(0, DEFAULT_COLUMNS - primary.length));
    const main = [...primary, ...rest.filter((c) => !primary.includes(c))];
    const columns = format === 'table' ? main : [...main, ...allKeys(rows).filter((k) => !main.includes(k))];
    const hidden = allKeys(rows).filter((k) => !columns.some((c) => shows(c, k)));
    const nested = hidden.filter((k) => rows.some((r) => !isScalar(r[k]) && r[k] !== undefined));
    const whole = columns.map((c) => keep.has(c));
    const fixed = columns.map((c, i) => whole[i] && primary.includes(c));
    return { columns, rows: rows.map((r) => columns.map((c) => at(r, c))), whole, fixed, hidden, nested };
  }
  if (Array.isArray(data)) return { columns: ['value'], rows: data.map((v) => [v]), whole: [false] };
  if (isRecord(data)) {
    const record = data;
    const first = primary.filter((p) => at(record, p) !== undefined).map((p): [string, unknown] => [p, at(record, p)]);
    const others = Object.keys(record).filter((k) => !primary.includes(k));
    return keyValue([...first, ...others.map((k): [string, unknown] => [k, record[k]])], (k) => keep.has(k));
  }
  return keyValue([['data', data]]);
}

/** The per-item failures of a partial run (shown under its table); the key names the item, so it is whole. */
function failuresView(result: ResultEnvelope): View {
  const columns = ['code', 'message', 'field', 'key'];
  return { columns, rows: result.failures.map((f) => columns.map((c) => (f as unknown as Row)[c])), whole: [false, false, false, true] };
}

interface Rendered {
  text: string;
  /** The columns left out for the width, and those whose cells were cut. */
  dropped: string[];
  cut: string[];
}

function renderTable(view: View, width: number): Rendered {
  const text = view.rows.map((r) => r.map(tableText));
  const natural = view.columns.map((c, i) => text.reduce((w, r) => Math.max(w, displayLength(r[i])), displayLength(tableText(c))));
  let colWidths: number[];
  if (view.keyValue) {
    // The key whole; the value takes the rest of the width (at least its whole values), and wraps.
    const key = natural[0] + 2;
    const whole = text.reduce((w, r, i) => (view.wholeRows?.[i] ? Math.max(w, displayLength(r[1])) : w), 0);
    const value = Math.min(natural[1], Math.max(width - key - 3 - 2, MIN_COLUMN, whole)) + 2;
    colWidths = [key, value];
    for (const r of text) if (displayLength(r[1]) > value - 2) r[1] = wrapText(r[1], value - 2).join('\n');
  } else {
    colWidths = fitColumns(natural, width, view.whole, view.fixed);
  }
  const shown = colWidths.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0);
  const table = new Table({
    head: shown.map((i) => tableText(view.columns[i])),
    colWidths: shown.map((i) => colWidths[i]),
    truncate: '…',
    style: { head: [], border: [], compact: true }, // no colours (stdout is often a file or a pipe), no rule between rows
  });
  for (const r of text) table.push(shown.map((i) => r[i]));
  return {
    text: table.toString(),
    dropped: view.columns.filter((_, i) => colWidths[i] === 0),
    cut: view.keyValue ? [] : view.columns.filter((_, i) => colWidths[i] > 0 && natural[i] > colWidths[i] - 2),
  };
}

function renderCsv(view: View): string {
  return stringify([view.columns.map(csvText), ...view.rows.map((r) => r.map(csvText))]);
}

const list = (words: string[]): string => words.join(', ');

/** One line saying what a view of a run leaves out, or nothing when it shows everything. */
function leftOut(result: ResultEnvelope, format: 'table' | 'csv', view: View, rendered?: Rendered): string | undefined {
  const parts: string[] = [];
  const nested = new Set(view.nested ?? []);
  const fields = [...(rendered?.dropped ?? []), ...(view.hidden ?? []).filter((k) => !nested.has(k))];
  if (fields.length) parts.push(`fields ${list(fields)}`);
  if (nested.size) parts.push(`nested fields ${list([...nested])}`);
  const meta = Object.keys(result.meta).filter((k) => !ROUTINE_META.has(k));
  if (meta.length) parts.push(`meta ${list(meta)}`);
  if (rendered?.cut.length) parts.push(`the end of long cells in ${list(rendered.cut)} (cut with …)`);
  if (!parts.length) return undefined;
  return `the ${format === 'csv' ? 'CSV' : 'table'} leaves out ${parts.join('; ')}: --format json shows everything`;
}

/** One run's result as a table (with a failures table under a partial one) or as CSV, and what it leaves out. */
function formatOne(result: ResultEnvelope, format: 'table' | 'csv', options: FormatOptions): { text: string; note?: string } {
  const failed = result.status === 'failed';
  const view = failed ? errorView(result) : dataView(result, format, options.fieldsOf(result.action));
  if (format === 'csv') return { text: renderCsv(view).replace(/\n$/, ''), note: leftOut(result, format, view) };
  const main = renderTable(view, options.width);
  const tables = [main.text];
  if (!failed && result.failures.length) tables.push(renderTable(failuresView(result), options.width).text);
  return { text: tables.join('\n'), note: leftOut(result, format, view, main) };
}

/**
 * The text `run` prints for one result or for the results of an array input (one table or CSV
 * block per run, a blank line between them), and the notes for stderr: what each view leaves out.
 */
export function formatResults(results: ResultEnvelope | ResultEnvelope[], format: Format, options: FormatOptions): Formatted {
  if (format === 'json') return { text: JSON.stringify(results, null, 2) + '\n', notes: [] };
  const runs = Array.isArray(results) ? results : [results];
  const formatted = runs.map((r) => formatOne(r, format, options));
  const notes = formatted.flatMap((f, i) => (f.note ? [runs.length > 1 ? `run ${i + 1}: ${f.note}` : f.note] : []));
  return { text: formatted.map((f) => f.text).join('\n\n') + '\n', notes };
}
