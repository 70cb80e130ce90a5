/** Pieces the undo plan builders (actions/<id>.undo.ts) share: their toolkit, as src/runtime/action.ts is the handlers'. */

import type { ReadAction } from './types.js';

export { policyIds } from '../runtime/policy.js';

/** The ids of the records a run created or deleted (its output's `id`s), each once. */
export function idsOf(items: Record<string, unknown>[]): string[] {
  return [...new Set(items.map((x) => x.id).filter((id): id is string => typeof id === 'string' && id !== ''))];
}

/**
 * Group members as add/remove-group-member take them: {id: the group, emailAddress | domain}.
 * An answer's entry carries the group as folderId (its id is the member's own).
 */
export function memberRefs(items: Record<string, unknown>[]): Record<string, string>[] {
  const refs: Record<string, string>[] = [];
  for (const x of items) {
    const group = x.folderId ?? x.id;
    if (typeof group !== 'string') continue;
    if (typeof x.emailAddress === 'string') refs.push({ id: group, emailAddress: x.emailAddress });
    else if (typeof x.domain === 'string') refs.push({ id: group, domain: x.domain });
  }
  return refs;
}

/** The keys a new Web Security policy scope takes (common/policy.json, new_policy). */
const NEW_POLICY_KEYS = [
  'bidirectional',
  'comment',
  'conditions',
  'description',
  'enabled',
  'enforced',
  'from',
  'fromDate',
  'fromEternal',
  'fromPart',
  'override',
  'to',
  'toDate',
  'toEternal',
];

const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** A scope as a new policy (or an update restoring it) takes it: an eternal end has no date (Mimecast answers both; it takes one). */
export function scopeOf(policy: Record<string, unknown>): Record<string, unknown> {
  const scope = pick(policy, NEW_POLICY_KEYS);
  if (scope.fromEternal === true) delete scope.fromDate;
  if (scope.toEternal === true) delete scope.toDate;
  return scope;
}

/** Create Policy with Targets' input from a policy as Get Policy with Targets returned it. */
export function recreatePolicyInput(image: Record<string, unknown>): Record<string, unknown> {
  const scopes = Array.isArray(image.policies) ? (image.policies as Record<string, unknown>[]) : [];
  const urls = Array.isArray(image.urls) ? (image.urls as Record<string, unknown>[]) : [];
  return {
    description: image.description,
    policies: scopes.map((s) => scopeOf((s.policy ?? s) as Record<string, unknown>)),
    urls: urls.map((u) => pick(u, ['action', 'type', 'value'])),
  };
}

/**
 * Update Policy with Targets' input that puts a policy back as Get Policy with Targets returned it:
 * its description, every scope whole with its id, and its whole URL list (none when it had none).
 */
export function restorePolicyInput(id: string, image: Record<string, unknown>): Record<string, unknown> {
  const { description, policies, urls } = recreatePolicyInput(image) as { description: unknown; policies: Record<string, unknown>[]; urls: unknown[] };
  const scopes = Array.isArray(image.policies) ? (image.policies as Record<string, unknown>[]) : [];
  return {
    id,
    ...(typeof description === 'string' ? { description } : {}),
    policies: scopes.map((s, i) => ({ id: s.id, ...policies[i] })),
    ...(urls.length ? { urls } : {}),
  };
}

/** Rows of a read keyed by their id (a before-image a plan can look an id up in). */
export function byId(rows: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const row of Array.isArray(rows) ? rows : []) {
    if (row && typeof row === 'object' && typeof (row as { id?: unknown }).id === 'string') out[(row as { id: string }).id] = row as Record<string, unknown>;
  }
  return out;
}

/**
 * The before-image read of a write: the read's rows by id. A read that failed throws, so the
 * journal says the undo lacks its before-image (the write itself still goes ahead).
 */
export async function readById(read: ReadAction, action: string, input: Record<string, unknown>): Promise<Record<string, Record<string, unknown>>> {
  const r = await read(action, input);
  if (r.status === 'failed') throw new Error(`${action}: ${r.error?.message ?? 'failed'}`);
  return byId(r.data);
}

/** A plan note for the ids a run changed that its before-image does not hold. */
export function missingNote(missing: string[], done: string): string {
  return missing.length ? `No before-image of ${missing.join(', ')}: it was not found before the write, so it cannot be restored. ${done}` : done;
}
