/**
 * Where events go. A file (--out): appended, fsynced (at a commit) before the checkpoint that covers them, and
 * truncated at start to the length the last checkpoint recorded (exactly once). stdout: written
 * before the checkpoint (at least once; the id lets a reader drop a repeat). In-process: kept in memory.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { log } from '../base/log.js';
import type { StreamEvent } from './records.js';
import type { Hook } from './state.js';

export interface Sink {
  /** Appends the events (not yet durably). */
  write(events: StreamEvent[], hook: Hook): void;
  /** Makes what was written durable (a file: fsync) and returns the output's length (files only). */
  sync?(hook: Hook): number;
  close(): void;
  /** A file's length now (undefined for a stream). */
  length?(): number;
}

const lines = (events: StreamEvent[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');

export function fileSink(path: string, coveredLength: number | undefined): Sink {
  const existed = existsSync(path);
  const fd = openSync(path, 'a+', 0o600);
  let length = fstatSync(fd).size;
  if (coveredLength !== undefined && length > coveredLength) {
    // Lines written after the last checkpoint (maybe half of one): they are fetched and written again.
    log.warn(`--out ${path}: dropping ${length - coveredLength} byte(s) written after the last checkpoint (they are fetched again)`);
    ftruncateSync(fd, coveredLength);
    fsyncSync(fd);
    length = coveredLength;
  } else if (coveredLength !== undefined && length < coveredLength) {
    log.warn(`--out ${path} is shorter (${length} bytes) than the checkpoint recorded (${coveredLength}): it was rotated or truncated; appending`);
  } else if (coveredLength === undefined && existed && length > 0) {
    log.info(`--out ${path}: appending to ${length} bytes the checkpoint does not cover`);
  }
  return {
    write(events, hook) {
      const text = lines(events);
      if (text) length += writeSync(fd, text);
      hook('written');
    },
    sync(hook) {
      fsyncSync(fd);
      hook('synced');
      return length;
    },
    close: () => closeSync(fd),
    length: () => length,
  };
}

export function streamSink(out: NodeJS.WritableStream | ((text: string) => void)): Sink {
  return {
    write(events, hook) {
      const text = lines(events);
      if (text && typeof out === 'function') out(text);
      else if (text) (out as NodeJS.WritableStream).write(text);
      hook('written');
    },
    close: () => undefined,
  };
}

export function memorySink(into: StreamEvent[]): Sink {
  return {
    write(events) {
      for (const e of events) into.push(e);
    },
    close: () => undefined,
  };
}
