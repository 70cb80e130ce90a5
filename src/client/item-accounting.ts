/**
 * Per-item accounting of a write's answer: which items Mimecast answered (a data entry or a
 * fail[] entry keyed by the item), which it said nothing about (no_outcome), and the failures
 * keyed to no item sent. operations.ts calls it for every call of a list.
 */
import type { Failure } from './envelope.js';
import type { ItemsOptions } from './operation-types.js';

const same = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : JSON.stringify(a) === JSON.stringify(b);

/** The default pairing of a data entry with a sent item: the same id, else every shared field equal. */
export function defaultAnswers(entry: Record<string, unknown>, sent: unknown): boolean {
  if (!sent || typeof sent !== 'object') return Object.values(entry).some((v) => same(v, sent));
  const item = sent as Record<string, unknown>;
  if ('id' in item && 'id' in entry) return same(item.id, entry.id);
  const shared = Object.keys(item).filter((k) => k in entry && (item[k] === null || typeof item[k] !== 'object'));
  return shared.length > 0 && shared.every((k) => same(item[k], entry[k]));
}

export const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * Whether a fail[] key names a sent item. Mimecast echoes the item it failed as the key, so every
 * field they share must be equal (not the id alone: a group's members share the group's id).
 */
function keyNames(key: unknown, item: unknown, identity: ItemsOptions<unknown>['identity']): boolean {
  if (identity && isRecord(key) && isRecord(item)) {
    const k = identity(key);
    return k !== undefined && k === identity(item);
  }
  if (isRecord(key) && isRecord(item)) {
    let shared = 0;
    for (const k of Object.keys(item)) {
      if (!(k in key) || !isScalar(item[k])) continue;
      if (!same(item[k], key[k])) return false;
      shared++;
    }
    return shared > 0 || same(key, item);
  }
  if (isRecord(key)) return Object.values(key).some((v) => same(v, item));
  if (isRecord(item)) return Object.values(item).some((v) => same(v, key));
  return same(key, item);
}

/**
 * Every item sent comes back as a success or a failure. Of one call's items: those Mimecast said
 * nothing about (neither a fail[] entry keyed by it nor a data entry answering it), and the keyed
 * failures that name no item sent (reported once, as such, and not counted as an item). When the
 * data entries cannot be paired with the items, they are taken in order.
 */
export function account(
  sent: readonly unknown[],
  packed: readonly unknown[] | undefined,
  keyed: readonly Failure[],
  entries: readonly Record<string, unknown>[],
  o: Pick<ItemsOptions<unknown>, 'answers' | 'identity'>,
): { noOutcome: unknown[]; strays: Failure[] } {
  const named = new Set<unknown>();
  const strays: Failure[] = [];
  let keyless = 0;
  for (const f of keyed) {
    if (f.key === undefined) {
      keyless++;
      continue;
    }
    let hit = false;
    for (const item of sent) {
      if (keyNames(f.key, item, o.identity)) {
        named.add(item);
        hit = true;
      }
    }
    // A key that echoes the packed data entry (the call's items sent as one) names all of them.
    if (!hit && packed?.some((p) => keyNames(f.key, p, undefined))) {
      for (const item of sent) named.add(item);
      hit = true;
    }
    if (!hit) strays.push(f);
  }
  let open = sent.filter((item) => !named.has(item));
  if (entries.length + keyless >= open.length) return { noOutcome: [], strays };
  const identity = o.identity;
  const pair = identity ? (entry: Record<string, unknown>, item: unknown) => isRecord(item) && keyNames(entry, item, identity) : (o.answers ?? defaultAnswers);
  const answered = new Set<unknown>();
  for (const entry of entries) {
    const hit = open.find((item) => !answered.has(item) && pair(entry, item));
    if (hit !== undefined) answered.add(hit);
  }
  if (answered.size === entries.length) open = open.filter((item) => !answered.has(item));
  else open = open.slice(entries.length);
  return { noOutcome: open.slice(keyless), strays };
}

/**
 * For endpoints that take several ids in one data item (hold-reject's {ids, ...}): the pack of
 * items() that sends the items ({id} each) as that one item. Each id is still accounted as its
 * own item, so an id the answer does not mention comes back as no_outcome.
 */
export function idsInOneItem(field: string, rest: Record<string, unknown>): (chunk: unknown[]) => unknown[] {
  return (chunk) => [{ [field]: chunk.map((c) => (c as { id: unknown }).id), ...rest }];
}
