/**
 * Output contract: data must validate against schemas/actions/<id>.output.json (precompiled; the
 * output validators are a module of their own that no bundle carries, see docs/design.md).
 */
import manifest from '../../src/generated/manifest.js';
import * as outputValidators from '../../src/generated/output-validators.js';
import type { ValidateFn } from '../../src/runtime/action.js';

export function validateOutput(action: string, data: unknown): void {
  const v = (outputValidators as Record<string, ValidateFn | undefined>)[`out_${action}`];
  if (!v) throw new Error(`${action}: no output validator (is it an action? run npm run generate)`);
  if (!v(data)) throw new Error(`${action} output does not match its schema: ${JSON.stringify(v.errors?.[0])}`);
}

/** The sizes of the calls an action splits `total` items into: its manifest's chunk_size, the rest last. */
export function callSizes(actionId: string, total: number): number[] {
  const size = (manifest.actions as Record<string, { chunk_size?: number }>)[actionId]?.chunk_size;
  if (!size) throw new Error(`${actionId} declares no chunk_size`);
  const sizes: number[] = [];
  for (let left = total; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes;
}
