/**
 * Undo plans: the action's own builder (actions/<id>.undo.ts) where it has one, else the manifest's
 * word on it (`undo` / `undo_note`): a write with no builder gets no steps, and the note says why.
 */
import type { ActionManifest } from '../base/manifest-types.js';
import { undoBuilders } from '../generated/undo.js';
import type { PlannedRun, UndoBuilder, UndoPlan } from './types.js';

export function undoBuilder(actionId: string): UndoBuilder | undefined {
  return Object.prototype.hasOwnProperty.call(undoBuilders, actionId) ? undoBuilders[actionId] : undefined;
}

/** The succeeded items of an action's output: a list as it is, one record as a list of one, nothing for null. */
export function succeededItems(data: unknown): Record<string, unknown>[] {
  if (Array.isArray(data)) return data.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  return data !== null && typeof data === 'object' ? [data as Record<string, unknown>] : [];
}

export function buildPlan(m: ActionManifest, run: PlannedRun): UndoPlan {
  const builder = undoBuilder(m.id);
  if (!m.undo) return { action: null, steps: [], undo_note: m.undo_note ?? `${m.name} has no inverse action.` };
  if (!builder) {
    return {
      action: m.undo,
      steps: [],
      undo_note: `The connector does not build an exact undo for ${m.name}; by hand: ${m.undo_note ?? `run ${m.undo}`}`,
    };
  }
  const built = builder.plan(run);
  const plan = Array.isArray(built) ? { action: m.undo, steps: built } : built;
  if (plan.steps.length === 0 && !plan.undo_note) {
    plan.undo_note = run.succeeded.length
      ? `Nothing of this run can be reversed: ${m.undo_note ?? ''}`.trim()
      : 'No item of this run succeeded: nothing to reverse.';
  }
  return plan;
}
