/**
 * `run --format table|csv`: a result envelope for people (a table fitted to the terminal) and for
 * spreadsheets (CSV). JSON stays the contract; these are views of the same result:
 * - a list answer (data is an array of records) → one row per item: in a table the action's main
 *   columns (the manifest's `columns`, else the first few scalar keys), in CSV those first and then
 *   every other key;
 * - any other answer → key/value rows; a failed run → its error as key/value rows;
 * - nested values → compact JSON in the cell; a dry run → the requests it would send.
 * cli-table3 draws the table (display widths of wide characters, truncation with …); csv-stringify
 * quotes the CSV (RFC 4180: a cell with a comma, a quote or a line break is quoted, quotes doubled).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { largest } from '../base/arrays.js';
import type { ResultEnvelope } from '../runtime/run.js';
import type { Format } from './args.js';

/** How many scalar keys a table shows when the manifest declares no columns. */
const DEFAULT_COLUMNS = 6;
/** A column is not narrowed below this (unless its content is narrower). */
const MIN_COLUMN = 8;

type Row = Record<string, unknown>;

/** What a result shows: rows under named columns (a list) or key/value pairs. */
interface View {
  columns: string[];
  rows: unknown[][];
}

export interface FormatOptions {
  /** The main columns of an action's rows (manifest `columns`), by action id. */
  columnsOf: (action: string) => string[] | undefined;
  /** Terminal width for tables. */
  width: number;
}

const isRecord = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value at a dotted path ("from.emailAddress"); undefined when any step is missing. */
function at(row: Row, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(row, path)) return row[path];
  let value: unknown = row;
  for (const key of path.split('.')) value = isRecord(value) ? value[key] : undefined;
  return value;
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Every key of the records, in order of first appearance. */
function allKeys(rows: Row[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys];
}

/** The first few keys whose values are scalars (text, numbers, flags). */
function scalarKeys(rows: Row[]): string[] {
  return allKeys(rows)
    .filter((k) => rows.every((r) => r[k] === undefined || isScalar(r[k])))
    .slice(0, DEFAULT_COLUMNS);
}

function keyValue(pairs: [string, unknown][]): View {
  return { columns: ['key', 'value'], rows: pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [k, v]) };
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

/** What the run's data shows: list rows, a dry run's requests, or key/value pairs. */
function dataView(result: ResultEnvelope, format: 'table' | 'csv', declared: string[] | undefined): View {
  let data = result.data;
  if (result.meta.dry_run && isRecord(data) && Array.isArray(data.requests)) {
    data = data.requests;
    declared = ['method', 'url', 'body'];
  }
  if (Array.isArray(data) && data.every(isRecord)) {
    const rows = data as Row[];
    const main = declared ?? scalarKeys(rows);
    const columns = format === 'table' ? main : [...main, ...allKeys(rows).filter((k) => !main.includes(k))];
    return { columns, rows: rows.map((r) => columns.map((c) => at(r, c))) };
  }
  if (Array.isArray(data)) return { columns: ['value'], rows: data.map((v) => [v]) };
  if (isRecord(data)) return keyValue(Object.entries(data));
  return keyValue([['data', data]]);
}

/** The per-item failures of a partial run (shown under its table). */
function failuresView(result: ResultEnvelope): View {
  const columns = ['code', 'message', 'field', 'key'];
  return { columns, rows: result.failures.map((f) => columns.map((c) => (f as unknown as Row)[c])) };
}

/** One cell's text: nested values as compact JSON, nothing for null/undefined. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A spreadsheet would run a cell starting with one of these as a formula: such text gets a leading '. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvText(value: unknown): string {
  const text = cellText(value);
  return typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
}

/** The column widths (padding included) that fit `width`: the widest columns give way first. */
export function fitColumns(natural: number[], width: number): number[] {
  const widths = natural.map((w) => w + 2);
  const room = (n: number) => width - (n + 1); // one border character per column, plus one
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > room(widths.length)) {
    const widest = widths.indexOf(largest(widths));
    if (widths[widest] <= MIN_COLUMN + 2) break;
    widths[widest]--;
    total--;
  }
  // Still too wide at the narrowest: the last columns are left out.
  while (widths.length > 1 && widths.reduce((a, b) => a + b, 0) > room(widths.length)) widths.pop();
  return widths;
}

/** East Asian wide characters and emoji take two terminal columns (cli-table3 measures exactly; this sizes the columns). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

const displayLength = (s: string): number => [...s].reduce((n, ch) => n + (WIDE.test(ch) ? 2 : 1), 0);

/** A table cell on one line, without control characters (a subject can carry terminal escape sequences). */
const tableText = (value: unknown): string =>
  cellText(value)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    // eslint-disable-next-line no-control-regex -- the control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');

function renderTable(view: View, width: number): string {
  const text = view.rows.map((r) => r.map(tableText));
  const natural = view.columns.map((c, i) => text.reduce((w, r) => Math.max(w, displayLength(r[i])), displayLength(c)));
  const colWidths = fitColumns(natural, width);
  const table = new Table({
    head: view.columns.slice(0, colWidths.length).map(tableText),
    colWidths,
    truncate: '…',
    style: { head: [], border: [], compact: true }, // no colours (stdout is often a file or a pipe), no rule between rows
  });
  for (const r of text) table.push(r.slice(0, colWidths.length));
  return table.toString();
}

function renderCsv(view: View): string {
  return stringify(
    view.rows.map((r) => r.map(csvText)),
    { header: true, columns: view.columns },
  );
}

/** One run's result as a table (with a failures table under a partial one) or as CSV. */
function formatOne(result: ResultEnvelope, format: 'table' | 'csv', options: FormatOptions): string {
  const failed = result.status === 'failed';
  const view = failed ? errorView(result) : dataView(result, format, options.columnsOf(result.action));
  if (format === 'csv') return renderCsv(view).replace(/\n$/, '');
  const tables = [renderTable(view, options.width)];
  if (!failed && result.failures.length) tables.push(renderTable(failuresView(result), options.width));
  return tables.join('\n');
}

/**
 * The text `run` prints for one result or for the results of an array input (one table or CSV
 * block per run, a blank line between them).
 */
export function formatResults(results: ResultEnvelope | ResultEnvelope[], format: Format, options: FormatOptions): string {
  if (format === 'json') return JSON.stringify(results, null, 2) + '\n';
  const list = Array.isArray(results) ? results : [results];
  return list.map((r) => formatOne(r, format, options)).join('\n\n') + '\n';
}
