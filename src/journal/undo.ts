/**
 * undo: runs a recorded run's undo plan through the same runtime as any run. Refused, with nothing
 * sent: an unknown run, a run with no plan (its note says why), an undo (an undo is not undone) and
 * a run whose every step was undone before. Each step records itself in the journal, linked to the
 * run it reverses (undo_of) and to its place in the plan (undo_step): an undo that failed part-way
 * is run again for the steps that did not succeed, and only those. A claim file (created once)
 * keeps two undos of one run from running at once; it stays once every step succeeded.
 */
import { performance } from 'node:perf_hooks';
import type { InstanceConfig } from '../base/config-types.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { redactValue } from '../base/log.js';
import { Connection } from '../client/connection.js';
import { parseConfig } from '../runtime/config.js';
import { runAction, type ResultEnvelope, type RunOptions, type Status } from '../runtime/run.js';
import type { JournalOptions } from './recorder.js';
import { claimUndo, journalDir, readRecords, releaseUndo, type ClaimHolder } from './store.js';
import type { JournalRecord } from './types.js';

/** What `undo` answers: a result envelope whose data lists each step's own result. */
export interface UndoData {
  /** The run that was (or would be) reversed. */
  undone_run_id: string;
  action: string;
  /** The steps run this time (step: the index in the plan); a retry runs only those still open. */
  steps: { step: number; action: string; input: Record<string, unknown>; result: ResultEnvelope }[];
  /** How many steps of the plan had succeeded in an earlier undo (not run again). */
  done_before?: number;
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

/**
 * The plan's steps no earlier undo completed: a step is done once a run of it succeeded. A step
 * that failed, was partial or sent nothing stays open. An undo recorded without step numbers (an
 * older record) counts as the whole plan done.
 */
export function openSteps(record: JournalRecord, undoneBy: JournalRecord[]): number[] {
  if (undoneBy.some((r) => typeof r.undo_step !== 'number')) return [];
  const done = new Set(undoneBy.filter((r) => r.status === 'success').map((r) => r.undo_step));
  return record.undo.steps.map((_, i) => i).filter((i) => !done.has(i));
}

function refusal(runId: string, dir: string): { record: JournalRecord; open: number[] } {
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
  if (record.undo.steps.length === 0) {
    throw new ConnectorError('input_error', `run ${runId} (${record.action}) cannot be undone: ${record.undo.undo_note ?? 'its plan has no step'}`, {
      field: 'run_id',
    });
  }
  const open = openSteps(record, undoneBy);
  if (open.length === 0) {
    const last = undoneBy[undoneBy.length - 1];
    throw new ConnectorError('input_error', `run ${runId} was already undone (by run ${last.run_id} at ${last.time}); an undo is applied once`, {
      field: 'run_id',
    });
  }
  return { record, open };
}

/**
 * Another undo of the run holds its claim. While it runs, wait for it. When its process is gone, it
 * stopped part-way (killed, or the machine went down) and the steps still open may or may not have
 * reached Mimecast: only someone who checks can say, so the claim is not taken over silently.
 */
function claimedElsewhere(runId: string, claim: ClaimHolder, record: JournalRecord, open: number[]): ConnectorError {
  if (claim.running)
    return new ConnectorError('input_error', `run ${runId} is being undone by another process (pid ${claim.pid}); an undo is applied once`, {
      field: 'run_id',
      hint: 'Wait for that undo to finish, then see its outcome with `mimecast-connector journal`.',
    });
  const steps = open.map((i) => `${i} (${record.undo.steps[i].action} ${JSON.stringify(record.undo.steps[i].input)})`).join(', ');
  return new ConnectorError(
    'input_error',
    `an earlier undo of run ${runId}${claim.pid ? ` (pid ${claim.pid})` : ''} stopped before it finished; open step${open.length === 1 ? '' : 's'}: ${steps}`,
    {
      field: 'run_id',
      hint: `Its last request may have reached Mimecast unrecorded. Check in Mimecast whether the open steps took effect; then remove ${claim.file} and run undo again (it runs the open steps only), or leave it and reverse them by hand.`,
    },
  );
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
    let { record, open } = refusal(runId, dir);
    if (!options.dryRun) {
      const claim = claimUndo(dir, runId);
      if (claim !== true) throw claimedElsewhere(runId, claim, record, open);
      claimed = dir;
      // Read again under the claim: an undo that finished meanwhile may have closed some steps.
      ({ record, open } = refusal(runId, dir));
    }
    const data: UndoData = { undone_run_id: runId, action: record.action, steps: [] };
    if (record.undo.undo_note) data.undo_note = record.undo.undo_note;
    const doneBefore = record.undo.steps.length - open.length;
    if (doneBefore) data.done_before = doneBefore;
    connection = new Connection(cfg, runOptions);
    for (const i of open) {
      const step = record.undo.steps[i];
      const result = await runAction(step.action, step.input, cfg, { ...runOptions, connection, journal: { ...where, dir, undoOf: runId, undoStep: i } });
      data.steps.push({ step: i, action: step.action, input: step.input, result });
    }
    const results = data.steps.map((s) => s.result);
    const requests = results.reduce((n, r) => n + r.meta.requests, 0);
    const status = options.dryRun ? 'success' : statusOf(results);
    // A step that did not succeed stays open: the claim is given back, and the next undo runs the open steps only.
    if (claimed && status === 'success') claimed = undefined;
    const n = open.length;
    const steps = `${n}${doneBefore ? ' remaining' : ''} step${n === 1 ? '' : 's'}`;
    const earlier = doneBefore ? `; ${doneBefore} had succeeded in an earlier undo` : '';
    const summary = options.dryRun
      ? `Dry run: undoing run ${runId} (${record.action}) would run ${steps} (${open.map((i) => record.undo.steps[i].action).join(', ')})${earlier}; nothing was sent.`
      : `Undo of run ${runId} (${record.action}): ${results.filter((r) => r.status === 'success').length} of ${steps} succeeded${earlier}.${status === 'success' ? '' : ' Run undo again to retry the steps that did not succeed.'}`;
    const failures = results.flatMap((r) => r.failures);
    const env: ResultEnvelope<UndoData> = { status, action: 'undo', summary, data, failures, meta: meta(requests) };
    const firstError = results.find((r) => r.error)?.error;
    if (status === 'failed' && firstError) env.error = firstError;
    return redactValue(env);
  } catch (err) {
    const e = toConnectorError(err);
    return redactValue({ status: 'failed', action: 'undo', summary: `Failed: ${e.message}`, data: null, failures: [], error: e.toInfo(), meta: meta() });
  } finally {
    // Not every step succeeded (or the undo stopped): the claim is given back so it can be retried.
    if (claimed) releaseUndo(claimed, runId);
    await connection?.close();
  }
}
