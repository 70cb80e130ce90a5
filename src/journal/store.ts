/**
 * The journal file: one JSON line per write run, in an owner-only directory (beside the token
 * cache by default). Appends are one write() of the whole line on a descriptor opened with
 * O_APPEND, then fsync: the kernel places each write at the end of the file under the file's lock,
 * so lines of parallel steps never interleave, whatever their length (a regular file on a local
 * filesystem; test/journal/parallel.test.ts runs several processes at once).
 * Size: past MAX_BYTES the file is renamed to journal.1.ndjson (replacing the one before) and a new
 * one is started, so the journal holds the last 8-16 MiB of writes, several thousand runs.
 */
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync, fsyncSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError } from '../base/errors.js';
import { createExclusive, privateDir, readRegular } from '../client/cache-files.js';
import { tokenCacheDir } from '../client/cache-paths.js';
import type { JournalRecord } from './types.js';

export const JOURNAL_FILE = 'journal.ndjson';
export const ROTATED_FILE = 'journal.1.ndjson';
/** The size past which the journal is rotated. */
export const MAX_BYTES = 8 * 1024 * 1024;
/** A rotation lock older than this was left by a process that died. */
const STALE_LOCK_MS = 30_000;

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

export interface JournalLocation {
  /** The directory (journal_dir, else MIMECAST_JOURNAL_DIR, else the token cache directory). */
  dir?: string;
  /** Rotation size (tests). */
  maxBytes?: number;
}

/** Where the journal of this configuration lives: journal_dir, else MIMECAST_JOURNAL_DIR, else the cache directory. */
export function journalDir(config?: Pick<InstanceConfig, 'journal_dir'>, opts: { dir?: string; cacheDir?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = opts.env ?? process.env;
  return resolve(opts.dir ?? config?.journal_dir ?? (env.MIMECAST_JOURNAL_DIR || undefined) ?? opts.cacheDir ?? tokenCacheDir());
}

function usableDir(dir: string): void {
  const problem = privateDir(dir);
  if (problem) throw new ConnectorError('config_error', `the journal directory ${problem}`, { field: 'journal_dir' });
}

/** Appends one record as one line; throws when it cannot (the caller decides what a lost record means). */
export function appendRecord(dir: string, record: JournalRecord, maxBytes = MAX_BYTES): void {
  usableDir(dir);
  const path = join(dir, JOURNAL_FILE);
  rotateIfFull(dir, maxBytes);
  const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const fd = openSync(path, APPEND, 0o600);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConnectorError('config_error', `the journal ${path} is not a regular file`, { field: 'journal_dir' });
    // Created by an older umask or copied in: made owner-only before anything is written to it.
    if ((st.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
    // One write for the whole line: with O_APPEND it lands at the end in one piece.
    const n = writeSync(fd, line, 0, line.length);
    if (n !== line.length) throw new ConnectorError('internal_error', `the journal ${path}: short write (${n} of ${line.length} bytes)`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Past the size cap, one process renames the file (the others skip: they hold the lock file's
 * O_EXCL create). A step that opened the old file before the rename still appends to it whole.
 */
function rotateIfFull(dir: string, maxBytes: number): void {
  const path = join(dir, JOURNAL_FILE);
  let size: number;
  try {
    size = lstatSync(path).size;
  } catch {
    return;
  }
  if (size < maxBytes) return;
  const lock = `${path}.rotate.lock`;
  try {
    createExclusive(lock, String(process.pid));
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    if (lstatSync(path).size >= maxBytes) renameSync(path, join(dir, ROTATED_FILE));
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Every record, oldest first (the rotated file, then the current one); a line that does not parse is skipped. */
export function readRecords(dir: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const name of [ROTATED_FILE, JOURNAL_FILE]) {
    const file = readRegular(join(dir, name));
    if (!file) continue;
    for (const line of file.text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as JournalRecord;
        if (r && typeof r === 'object' && typeof r.run_id === 'string') records.push(r);
      } catch {
        // A line cut by a full disk: the records around it are still read.
      }
    }
  }
  return records;
}

/** Who holds a claim: its file, the process that made it, and whether that process still runs. */
export interface ClaimHolder {
  file: string;
  pid?: number;
  running: boolean;
}

/**
 * The claim that a run is being (or was) undone: a file created once, never over an existing one.
 * true when this process holds it now; else who holds it.
 */
export function claimUndo(dir: string, runId: string): true | ClaimHolder {
  usableDir(dir);
  const claims = join(dir, 'undone');
  usableDir(claims);
  const file = join(claims, runId);
  try {
    createExclusive(file, String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const pid = Number(readRegular(file)?.text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return { file, running: false };
  return { file, pid, running: processRuns(pid) };
}

/** Whether a process of this id exists (signal 0 checks without sending anything). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it exists, under another user
  }
}

/** Gives a claim back (the undo sent nothing: it may be tried again). */
export function releaseUndo(dir: string, runId: string): void {
  rmSync(join(dir, 'undone', runId), { force: true });
}

/** The runs claimed for undo. */
export function undoClaims(dir: string): Set<string> {
  try {
    return new Set(readdirSync(join(dir, 'undone')));
  } catch {
    return new Set();
  }
}
