/**
 * The checkpoint: one versioned JSON document for every stream, written atomically (a temporary
 * file beside it, fsync, rename, fsync of the directory) and only after the events it covers are
 * written. `out_length` is the length of --out the checkpoint covers: a restart truncates --out to
 * it, so a line written after the last checkpoint (even half a line) is dropped and written again.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConnectorError } from '../base/errors.js';

export const STATE_VERSION = 1;

/** A window stream: the next window starts at `from`; the ids delivered at or after it are in `seen`. */
export interface WindowCheckpoint {
  kind: 'window';
  from: string;
  /** A window being paged when the run stopped: resumed with its page token (the window stays fixed). */
  window?: { from: string; to: string; token?: string; newest?: string };
  /** id → ISO time of the events delivered inside the overlap (dedupe). */
  seen: Record<string, string>;
}

/** A cursor stream: Mimecast's cursor, the newest event time and the recent ids (a cursor may repeat). */
export interface CursorCheckpoint {
  kind: 'cursor';
  cursor?: string;
  /** Where the first request starts when there is no cursor yet. */
  from: string;
  newest?: string;
  seen: string[];
}

export type StreamCheckpoint = WindowCheckpoint | CursorCheckpoint;

/** A span of events lost to retention: the checkpoint was older than what Mimecast still serves. */
export interface Gap {
  stream: string;
  from: string;
  to: string;
  /** When the poller found it (ISO). */
  found: string;
}

export interface Checkpoint {
  version: typeof STATE_VERSION;
  streams: Record<string, StreamCheckpoint>;
  gaps: Gap[];
  /** The length of --out this checkpoint covers (absent without --out). */
  out_length?: number;
}

export const emptyCheckpoint = (): Checkpoint => ({ version: STATE_VERSION, streams: {}, gaps: [] });

/** A checkpoint given by a caller (the state file or the in-process argument), checked. */
export function checkCheckpoint(v: unknown, where: string): Checkpoint {
  if (v === undefined || v === null) return emptyCheckpoint();
  const c = v as Checkpoint;
  if (typeof v !== 'object' || c.version !== STATE_VERSION || !c.streams || typeof c.streams !== 'object' || !Array.isArray(c.gaps))
    throw new ConnectorError(
      'input_error',
      `${where} is not a poll checkpoint of version ${STATE_VERSION} (expected {"version": 1, "streams": {…}, "gaps": […]})`,
      {
        field: 'checkpoint',
      },
    );
  return structuredClone(c);
}

export function readState(file: string): Checkpoint {
  if (!existsSync(file)) return emptyCheckpoint();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConnectorError('input_error', `--state ${file} is not JSON (${(e as Error).message}); nothing was sent`, { field: 'state' });
  }
  return checkCheckpoint(parsed, `--state ${file}`);
}

/** The points of a commit a test can crash at (the engine's hook). */
export type CommitPoint = 'written' | 'synced' | 'before-rename' | 'renamed';
export type Hook = (point: CommitPoint) => void;

/** Writes the state atomically: temp file, fsync, rename, directory fsync. */
export function writeState(file: string, state: Checkpoint, hook: Hook = () => undefined): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  hook('before-rename');
  renameSync(tmp, file);
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse a directory fsync; the rename itself is still atomic.
  }
  hook('renamed');
}
