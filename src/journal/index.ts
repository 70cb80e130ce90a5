/**
 * The journal of writes and their undo (docs/journal.md): every write run that sent a request is
 * one record; `undo` reverses exactly what one run changed.
 */
import type { InstanceConfig } from '../base/config-types.js';
import { journalDir, readRecords } from './store.js';
import type { JournalRecord } from './types.js';

export { recordWrite, type JournalOptions, type WriteToRecord } from './recorder.js';
export { journalDir } from './store.js';
export { undo, type UndoData, type UndoOptions } from './undo.js';
export type { JournalRecord, UndoPlan, UndoStep } from './types.js';

export interface ReadJournalOptions {
  /** The directory (default: journal_dir of the config, else MIMECAST_JOURNAL_DIR, else the token cache directory). */
  dir?: string;
  /** Only the records at or after this time. */
  since?: Date;
}

/** The journal's records, oldest first. */
export function readJournal(config?: Pick<InstanceConfig, 'journal_dir'>, options: ReadJournalOptions = {}): JournalRecord[] {
  const records = readRecords(journalDir(config, { dir: options.dir }));
  const since = options.since?.getTime();
  return since === undefined ? records : records.filter((r) => Date.parse(r.time) >= since);
}
