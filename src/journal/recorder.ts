/**
 * The journal's hook in a run (src/runtime/run.ts): before a write is sent, its before-image is
 * read (deletes, updates: the action's undo builder says what to read); once it answered, one
 * record is appended and the envelope gets meta.run_id. A dry run, a read and a run that sent
 * nothing write no record. recordWrite is the same for a caller that runs writes its own way;
 * the MCP server runs its confirmed writes through a run and marks their record (confirmedVia).
 */
import { randomUUID } from 'node:crypto';
import type { InstanceConfig } from '../base/config-types.js';
import { log, redactValue } from '../base/log.js';
import type { ActionManifest } from '../base/manifest-types.js';
import type { Failure } from '../client/envelope.js';
import { buildPlan, succeededItems, undoBuilder } from './plan.js';
import { appendRecord, journalDir, MAX_BYTES } from './store.js';
import type { ConfirmedVia, JournalRecord, ReadAction } from './types.js';

/** RunOptions.journal: false records nothing; an object moves it or links the run to the one it undoes. */
export interface JournalOptions {
  /** The directory (default: journal_dir, else MIMECAST_JOURNAL_DIR, else the token cache directory). */
  dir?: string;
  /** Rotation size in bytes (default 8 MiB). */
  maxBytes?: number;
  /** This run reverses that run (set by undo). */
  undoOf?: string;
  /** This run is that step of the plan it runs (its index in undo.steps; set by undo). */
  undoStep?: number;
  /** How the write was confirmed before it was sent: the MCP server's confirmation token ("mcp"), or its user asked by the server ("mcp_elicitation"). */
  confirmedVia?: ConfirmedVia;
}

/** What a finished run tells the journal (a subset of the result envelope). */
export interface RunForJournal {
  status: JournalRecord['status'];
  summary: string;
  data: unknown;
  failures: Failure[];
  error?: { type: string; message: string };
  meta: { requests: number; run_id?: string };
}

export interface JournalEntry {
  /** Reads the before-image, when the action's undo needs one. */
  prepare(): Promise<void>;
  /** The requests the before-image read sent (token request included): requests of the run too. */
  readRequests(): number;
  /** Appends the record (when the run sent a request) and sets meta.run_id; never throws. */
  finish<R extends RunForJournal>(result: R, requestIds?: string[]): R;
}

export interface WriteContext {
  manifest: ActionManifest;
  /** The validated input. */
  input: Record<string, unknown>;
  config: InstanceConfig;
  /** The run's clock (ms). */
  now: number;
  cacheDir?: string;
  journal?: false | JournalOptions;
  dryRun?: boolean;
  read: ReadAction;
}

/** The journal entry of a write run; undefined for a read, a dry run, or journal: false. */
export function startWrite(ctx: WriteContext): JournalEntry | undefined {
  if (ctx.manifest.read_only || ctx.dryRun || ctx.journal === false) return undefined;
  const opts = ctx.journal ?? {};
  const runId = randomUUID();
  let before: unknown;
  let beforeNote: string | undefined;
  let readRequests = 0;
  // Every request of the run is in its meta.requests: the reads are counted as they answer (a read
  // that failed has sent requests too).
  const read: ReadAction = async (action, input) => {
    const r = await ctx.read(action, input);
    readRequests += r.meta?.requests ?? 0;
    return r;
  };
  return {
    readRequests: () => readRequests,
    async prepare() {
      const builder = undoBuilder(ctx.manifest.id);
      if (!builder?.before || opts.undoOf) return;
      try {
        before = await builder.before(ctx.input, read);
      } catch (e) {
        // The write goes ahead (the analyst asked for it); its undo then says what it lacks.
        beforeNote = `the records could not be read before the write (${(e as Error).message}), so the undo cannot restore them`;
        log.warn(`journal: ${beforeNote}`);
      }
    },
    finish(result, requestIds = []) {
      // Only the reads went out (the write was refused before sending): nothing changed, nothing to record.
      if (result.meta.requests - readRequests <= 0) return result;
      try {
        recordWrite(
          {
            manifest: ctx.manifest,
            input: ctx.input,
            config: ctx.config,
            time: ctx.now,
            result,
            requestIds,
            before,
            beforeNote,
            runId,
            cacheDir: ctx.cacheDir,
          },
          opts,
        );
        result.meta.run_id = runId;
      } catch (e) {
        // The change was made: the result says so even when the journal could not keep it.
        log.warn(`journal: the run could not be recorded (${(e as Error).message}); it cannot be undone with \`undo\``);
      }
      return result;
    },
  };
}

export interface WriteToRecord {
  manifest: ActionManifest;
  input: Record<string, unknown>;
  config?: InstanceConfig;
  /** When the run started (ms). */
  time: number;
  result: RunForJournal;
  requestIds?: string[];
  before?: unknown;
  beforeNote?: string;
  runId?: string;
  cacheDir?: string;
}

/** Appends the record of a write that was sent; returns its run id. Throws when it cannot be written. */
export function recordWrite(w: WriteToRecord, opts: JournalOptions = {}): string {
  const runId = w.runId ?? randomUUID();
  const succeeded = w.result.status === 'failed' && w.result.data === null ? [] : succeededItems(w.result.data);
  const plan = opts.undoOf
    ? { action: null, steps: [], undo_note: `This run is an undo (of run ${opts.undoOf}); an undo is not undone: run the original action again.` }
    : buildPlan(w.manifest, { input: w.input, succeeded, failures: w.result.failures, before: w.before });
  if (w.beforeNote) plan.undo_note = plan.undo_note ? `${plan.undo_note} (${w.beforeNote})` : w.beforeNote;
  const record: JournalRecord = {
    v: 1,
    run_id: runId,
    time: new Date(w.time).toISOString(),
    action: w.manifest.id,
    input: w.input,
    status: w.result.status,
    summary: w.result.summary,
    outcome: { succeeded, failures: w.result.failures },
    requests: w.result.meta.requests,
    request_ids: w.requestIds ?? [],
    undo: plan,
    pid: process.pid,
  };
  if (w.result.error) record.outcome.error = { type: w.result.error.type, message: w.result.error.message };
  if (w.before !== undefined) record.before = w.before;
  if (opts.undoOf) record.undo_of = opts.undoOf;
  if (opts.undoOf && opts.undoStep !== undefined) record.undo_step = opts.undoStep;
  if (opts.confirmedVia) record.confirmed_via = opts.confirmedVia;
  // Masked as a whole: an input, an answer or a before-image can hold a registered secret.
  appendRecord(journalDir(w.config, { dir: opts.dir, cacheDir: w.cacheDir }), redactValue(record), opts.maxBytes ?? MAX_BYTES);
  return runId;
}
