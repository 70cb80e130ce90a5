/**
 * Output contract: data must validate against schemas/actions/<id>.output.json (precompiled; the
 * output validators are a module of their own that no bundle carries, see docs/design.md).
 */
import * as outputValidators from '../../src/generated/output-validators.js';
import type { ValidateFn } from '../../src/runtime/action.js';

export function validateOutput(action: string, data: unknown): void {
  const v = (outputValidators as Record<string, ValidateFn | undefined>)[`out_${action}`];
  if (!v) throw new Error(`${action}: no output validator (is it an action? run npm run generate)`);
  if (!v(data)) throw new Error(`${action} output does not match its schema: ${JSON.stringify(v.errors?.[0])}`);
}
