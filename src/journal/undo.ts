/**
 * undo: runs a recorded run's undo plan through the same runtime as any run. Refused, with nothing
 * sent: an unknown run, a run with no plan (its note says why), an undo (an undo is not undone) and
 * a run undone before (a claim file, created once, makes two parallel undos of one run one).
 * Each step records itself in the journal, linked to the run it reverses (undo_of).
 */
import { performance } from 'node:perf_hooks';
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { redactValue } from '../base/log.js';
import { Connection } from '../client/connection.js';
import { parseConfig } from '../runtime/config.js';
import { runAction, type ResultEnvelope, type RunOptions, type Status } from '../runtime/run.js';
import type { JournalOptions } from './recorder.js';
import { claimUndo, journalDir, readRecords, releaseUndo } from './store.js';
import type { JournalRecord, UndoStep } from './types.js';

/** What `undo` answers: a result envelope whose data lists each step's own result. */
export interface UndoData {
  /** The run that was (or would be) reversed. */
  undone_run_id: string;
  action: string;
  steps: { action: string; input: Record<string, unknown>; result: ResultEnvelope }[];
  undo_note?: string;
}

export interface UndoOptions extends Omit<RunOptions, 'journal' | 'connection'> {
  /** Where the journal is (default: journal_dir, else MIMECAST_JOURNAL_DIR, else the token cache directory). */
  journal?: Omit<JournalOptions, 'undoOf'>;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The record of a run, and the undo runs already recorded for it. */
export function findRun(dir: string, runId: string): { record?: JournalRecord; undoneBy: JournalRecord[] } {
  const records = readRecords(dir);
  return { record: records.find((r) => r.run_id === runId), undoneBy: records.filter((r) => r.undo_of === runId) };
}

function refusal(runId: string, dir: string): { record: JournalRecord; steps: UndoStep[] } {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new ConnectorError(
      'input_error',
      `run_id must be a run id as \`journal\` lists it (8-4-4-4-12 hex digits), got ${JSON.stringify(String(runId).slice(0, 60))}`,
      {
        field: 'run_id',
      },
    );
  }
  const { record, undoneBy } = findRun(dir, runId);
  if (!record) {
    throw new ConnectorError('input_error', `run_id ${runId} is not in the journal ${dir}`, {
      field: 'run_id',
      hint: 'List the recorded writes with `mimecast-connector journal`; a journal_dir setting or MIMECAST_JOURNAL_DIR moves it.',
    });
  }
  if (record.undo_of) {
    throw new ConnectorError('input_error', `run ${runId} is an undo (of run ${record.undo_of}); an undo is not undone: run the original action again`, {
      field: 'run_id',
    });
  }
  if (undoneBy.length) {
    throw new ConnectorError('input_error', `run ${runId} was already undone (by run ${undoneBy[0].run_id} at ${undoneBy[0].time}); an undo is applied once`, {
      field: 'run_id',
    });
  }
  if (record.undo.steps.length === 0) {
    throw new ConnectorError('input_error', `run ${runId} (${record.action}) cannot be undone: ${record.undo.undo_note ?? 'its plan has no step'}`, {
      field: 'run_id',
    });
  }
  return { record, steps: record.undo.steps };
}

function statusOf(results: ResultEnvelope[]): Status {
  if (results.every((r) => r.status === 'success')) return 'success';
  return results.some((r) => r.status !== 'failed') ? 'partial' : 'failed';
}

/**
 * Reverses one recorded write run. Resolves to a result envelope (action "undo"); never throws for
 * a refusal, a configuration or an API error. With dryRun, each step's requests are shown and
 * nothing is sent or claimed.
 */
export async function undo(config: InstanceConfig | Record<string, unknown>, runId: string, options: UndoOptions = {}): Promise<ResultEnvelope<UndoData>> {
  const t0 = performance.now();
  const { journal: where = {}, ...runOptions } = options;
  const meta = (requests = 0): ResultEnvelope['meta'] => ({
    requests,
    duration_ms: Math.round(performance.now() - t0),
    ...(options.dryRun ? { dry_run: true } : {}),
  });
  let claimed: string | undefined;
  let connection: Connection | undefined;
  try {
    const cfg = parseConfig(config);
    const dir = journalDir(cfg, { dir: where.dir, cacheDir: options.cacheDir });
    const { record, steps } = refusal(runId, dir);
    const data: UndoData = { undone_run_id: runId, action: record.action, steps: [] };
    if (record.undo.undo_note) data.undo_note = record.undo.undo_note;
    if (!options.dryRun) {
      if (!claimUndo(dir, runId))
        throw new ConnectorError('input_error', `run ${runId} is being or was undone by another process; an undo is applied once`, { field: 'run_id' });
      claimed = dir;
    }
    connection = new Connection(cfg, runOptions);
    for (const step of steps) {
      const result = await runAction(step.action, step.input, cfg, { ...runOptions, connection, journal: { ...where, dir, undoOf: runId } });
      data.steps.push({ action: step.action, input: step.input, result });
    }
    const results = data.steps.map((s) => s.result);
    const requests = results.reduce((n, r) => n + r.meta.requests, 0);
    // Nothing reached Mimecast (a bad configuration, a refused input): the undo may be tried again.
    if (claimed && requests === 0) releaseUndo(dir, runId);
    const status = options.dryRun ? 'success' : statusOf(results);
    const n = steps.length;
    const summary = options.dryRun
      ? `Dry run: undoing run ${runId} (${record.action}) would run ${n} step${n === 1 ? '' : 's'} (${steps.map((s) => s.action).join(', ')}); nothing was sent.`
      : `Undo of run ${runId} (${record.action}): ${results.filter((r) => r.status === 'success').length} of ${n} step${n === 1 ? '' : 's'} succeeded.`;
    const failures = results.flatMap((r) => r.failures);
    const env: ResultEnvelope<UndoData> = { status, action: 'undo', summary, data, failures, meta: meta(requests) };
    const firstError = results.find((r) => r.error)?.error;
    if (status === 'failed' && firstError) env.error = firstError;
    return redactValue(env);
  } catch (err) {
    const e = toConnectorError(err);
    return redactValue({ status: 'failed', action: 'undo', summary: `Failed: ${e.message}`, data: null, failures: [], error: e.toInfo(), meta: meta() });
  } finally {
    await connection?.close();
  }
}
