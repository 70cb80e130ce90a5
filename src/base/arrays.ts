/**
 * Array helpers that hold for any length. `into.push(...items)` and `Math.max(...items)` pass every
 * element as a call argument, and a list of ~150,000 (a page, a fail[] of a large answer)
 * overflows the stack: an ordinary answer would end as an internal error.
 */

/** Appends `items` to `into`, one by one. */
export function append<T>(into: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) into.push(items[i]);
  return into;
}

/** The largest of `values` (`empty` when there are none). */
export function largest(values: readonly number[], empty = -Infinity): number {
  let max = empty;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}
