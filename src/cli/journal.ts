/**
 * The journal and undo commands: `journal` lists the writes this host recorded (a table, or the
 * records as JSON); `undo` runs one run's undo plan and prints its result envelope.
 */
import { log, redactValue } from '../base/log.js';
import { readJournal, type JournalRecord } from '../journal/index.js';
import { journalDir } from '../journal/store.js';
import { loadConfig } from '../runtime/config.js';
import { largest } from '../base/arrays.js';
import { parseSince } from './args.js';
import { simulatorClock } from './shared.js';

/**
 * "Now" for --since: the real clock, or MIMECAST_SIMULATOR_NOW when the configured base URL (of
 * --config, else MIMECAST_BASE_URL) is loopback, as for a run: a tenant's journal is never read
 * on a simulated clock left in the environment.
 */
export function sinceClock(baseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  // No base URL, or not a URL: not a loopback one.
  const { now } = baseUrl !== undefined && URL.canParse(baseUrl) ? simulatorClock(baseUrl, env) : {};
  return now ? now() : Date.now();
}

/** The runs' state of undo, by run id: the undo runs recorded for each. */
function undoneBy(records: JournalRecord[]): Map<string, string> {
  const by = new Map<string, string>();
  for (const r of records) if (r.undo_of && !by.has(r.undo_of)) by.set(r.undo_of, r.run_id);
  return by;
}

function undoColumn(r: JournalRecord, by: Map<string, string>): string {
  if (r.undo_of) return `undo of ${r.undo_of}`;
  const done = by.get(r.run_id);
  if (done) return `undone by ${done}`;
  if (r.undo.steps.length === 0) return 'none';
  return `${r.undo.action} (${r.undo.steps.length} step${r.undo.steps.length === 1 ? '' : 's'})`;
}

function table(rows: string[][]): string {
  // A journal holds tens of thousands of lines: no spread of its rows into call arguments.
  const widths = rows[0].map((_, i) => largest(rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

export function cmdJournal(values: Record<string, string | boolean | undefined>): number {
  // --config is read like any configuration (its journal_dir, its base_url).
  const file = values.config as string | undefined;
  const config = file ? loadConfig({ file, env: {} }) : undefined;
  const dir = journalDir(config);
  const now = sinceClock(config?.base_url ?? process.env.MIMECAST_BASE_URL);
  const since = values.since === undefined ? undefined : parseSince(values.since as string, now);
  const records = readJournal(undefined, { dir, since });
  if (values.json === true) {
    process.stdout.write(JSON.stringify(redactValue(records), null, 2) + '\n');
    return 0;
  }
  if (records.length === 0) {
    log.info(`no write recorded${since ? ` since ${since.toISOString()}` : ''} in ${dir}`);
    return 0;
  }
  const by = undoneBy(readJournal(undefined, { dir }));
  const rows = [['TIME', 'RUN ID', 'ACTION', 'STATUS', 'OK', 'FAILED', 'UNDO']];
  for (const r of records) {
    rows.push([r.time, r.run_id, r.action, r.status, String(r.outcome.succeeded.length), String(r.outcome.failures.length), undoColumn(r, by)]);
  }
  process.stdout.write(redactValue(table(rows)));
  return 0;
}
