/** Output contract: data must validate against schemas/actions/<id>.output.json (precompiled). */
import { registry } from '../../src/generated/registry.js';

export function validateOutput(action: string, data: unknown): void {
  const v = registry[action].validateOutput;
  if (!v(data)) throw new Error(`${action} output does not match its schema: ${JSON.stringify(v.errors?.[0])}`);
}
