/**
 * The journal's records and undo plans. A record is one write run that sent at least one request
 * to Mimecast: what was asked, what Mimecast did with each item, and how to reverse exactly that.
 */
import type { Failure } from '../client/envelope.js';

/** One run of the undo: an action and its input (an action may take one record per run, e.g. delete_managed_url). */
export interface UndoStep {
  action: string;
  input: Record<string, unknown>;
}

/**
 * How to reverse a run: the manifest's undo action with the inputs that reverse the items that
 * succeeded, and only those. No steps: nothing to reverse (`undo_note` says why).
 */
export interface UndoPlan {
  /** The action that reverses this one (the manifest's `undo`), or null when there is none. */
  action: string | null;
  steps: UndoStep[];
  /** Why there are no steps, or what the steps do not restore. */
  undo_note?: string;
}

/** A builder's view of the run it plans for. */
export interface PlannedRun<I = Record<string, unknown>> {
  input: I;
  /** The items that succeeded: the action's output as a list (empty when the run failed without data). */
  succeeded: Record<string, unknown>[];
  failures: Failure[];
  /** What the write's `before` read returned (deletes and updates), undefined when it was not read. */
  before?: unknown;
}

/** Runs a read-only action on the write's connection (for before-images). */
export type ReadAction = (
  action: string,
  input: Record<string, unknown>,
) => Promise<{ status: string; data: unknown; error?: { message: string }; meta?: { requests: number } }>;

/**
 * An action's undo plan builder: actions/<id>.undo.ts, registered by src/generated/undo.ts.
 * `before` reads the records the write is about to change (never in a dry run); its answer is
 * stored in the journal as the before-image and given back to `plan`.
 */
export interface UndoBuilder<I = any> {
  before?(input: I, read: ReadAction): Promise<unknown>;
  plan(run: PlannedRun<I>): UndoPlan | UndoStep[];
}

/** Identity helper that types a builder against the action's generated input type. */
export function defineUndo<I>(builder: UndoBuilder<I>): UndoBuilder<I> {
  return builder;
}

/** One line of the journal. */
/** How a write the MCP server sent was confirmed: its confirmation token, or its user asked by the server (elicitation). */
export type ConfirmedVia = 'mcp' | 'mcp_elicitation';

export interface JournalRecord {
  /** The record format. */
  v: 1;
  run_id: string;
  /** When the run started (ISO 8601 UTC). */
  time: string;
  action: string;
  /** The validated input, secrets masked. */
  input: unknown;
  status: 'success' | 'partial' | 'failed';
  summary: string;
  /** Per-item outcome: the items Mimecast accepted (the action's output) and the ones it refused. */
  outcome: { succeeded: unknown[]; failures: Failure[]; error?: { type: string; message: string } };
  /** How many requests the run sent, and the request ids Mimecast gave (x-request-id), where it gave them. */
  requests: number;
  request_ids: string[];
  /** The records as they were before the write (deletes, updates), when the action reads them first. */
  before?: unknown;
  undo: UndoPlan;
  /** Set on the runs of an undo: the run they reverse. */
  undo_of?: string;
  /** Set on the runs of an undo: which step of that run's plan (its index in undo.steps) this run is. */
  undo_step?: number;
  /** Set on a write the MCP server sent once its dry run was confirmed: by its token ("mcp") or by the user, asked by the server ("mcp_elicitation"). */
  confirmed_via?: ConfirmedVia;
  /** The process that wrote the record. */
  pid: number;
}
