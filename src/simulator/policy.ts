/**
 * The policy object as the simulator keeps it, shared by the /api/policy/* route modules that
 * store policies with an option (blocked senders, anti-spoofing bypass). Faithful to
 * fixtures/api-policy-antispoofing-bypass-create-policy.json: a stored policy echoes the nested
 * from/to targets and their flattened fromType/fromValue/toType/toValue, eternal bounds read as
 * 1900-01-01T00:00:00+0000 / 2100-01-01T23:59:59+0000, plus createTime and lastUpdated.
 */
import type { FailEntry, SimContext } from './types.js';
import { formatMimecastDate } from './clock.js';

export type Json = Record<string, unknown>;

export interface StoredPolicy {
  id: string;
  option: string;
  policy: Json;
}

export const ETERNAL_FROM = '1900-01-01T00:00:00+0000';
export const ETERNAL_TO = '2100-01-01T23:59:59+0000';

/** The field each target type needs (as Mimecast validates it). */
export const TARGET_FIELD: Record<string, string | undefined> = {
  everyone: undefined,
  internal_addresses: undefined,
  external_addresses: undefined,
  free_mail_domains: undefined,
  email_domain: 'emailDomain',
  individual_email_address: 'emailAddress',
  profile_group: 'groupId',
  address_attribute_value: 'attribute',
  header_display_name: 'headerDisplayName',
};

/** The target types Mimecast knows. */
export const TARGET_TYPES = Object.keys(TARGET_FIELD);

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

/** Mimecast's validation failure for one request item: err_validation_null / _blank / _invalid_value. */
function invalid(sim: SimContext, item: Json, field: string, value: unknown, what = 'must not be blank'): FailEntry {
  const code = value === undefined || value === null ? 'err_validation_null' : value === '' ? 'err_validation_blank' : 'err_validation_invalid_value';
  return sim.failItem(item, code, `The ${field} field ${what}`, field);
}

function checkTarget(sim: SimContext, item: Json, target: unknown, field: string): FailEntry | undefined {
  if (!isObject(target) || blank(target.type)) return invalid(sim, item, `${field}.type`, isObject(target) ? target.type : undefined);
  if (!TARGET_TYPES.includes(String(target.type))) return invalid(sim, item, `${field}.type`, target.type, 'is not a known target type');
  const needed = TARGET_FIELD[String(target.type)];
  if (needed && (blank(target[needed]) || (needed === 'attribute' && !isObject(target[needed]))))
    return invalid(sim, item, `${field}.${needed}`, target[needed]);
  return undefined;
}

/** The failure for a create item Mimecast would refuse, else undefined. */
export function checkCreate(sim: SimContext, item: Json, options: readonly string[]): FailEntry | undefined {
  if (blank(item.option) || !options.includes(String(item.option))) return invalid(sim, item, 'option', item.option, `must be one of ${options.join(', ')}`);
  if (!isObject(item.policy)) return invalid(sim, item, 'policy', item.policy);
  const p = item.policy;
  if (blank(p.description)) return invalid(sim, item, 'policy.description', p.description);
  return checkTarget(sim, item, p.from, 'policy.from') ?? checkTarget(sim, item, p.to, 'policy.to');
}

/** The failure for an update item's policy keys Mimecast would refuse, else undefined. */
export function checkUpdate(sim: SimContext, item: Json, options: readonly string[]): FailEntry | undefined {
  if (blank(item.option) || !options.includes(String(item.option))) return invalid(sim, item, 'option', item.option, `must be one of ${options.join(', ')}`);
  if (!isObject(item.policy)) return invalid(sim, item, 'policy', item.policy);
  for (const side of ['from', 'to'] as const) {
    if (item.policy[side] !== undefined) {
      const f = checkTarget(sim, item, item.policy[side], `policy.${side}`);
      if (f) return f;
    }
  }
  return undefined;
}

/** The flattened value Mimecast reads back beside a target (fromValue / toValue): its field, or an attribute's value. */
export function targetValue(target: Json): string | undefined {
  const needed = TARGET_FIELD[String(target.type)];
  const v = needed ? target[needed] : undefined;
  if (isObject(v)) return typeof v.value === 'string' ? v.value : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A policy's targets as Mimecast reads them back: nested, and flattened beside them (fromType/fromValue, toType/toValue; a value only where the type has one). */
export function readTargets(from: Json, to: Json): Json {
  const fromValue = targetValue(from);
  const toValue = targetValue(to);
  return {
    from,
    to,
    fromType: from.type,
    ...(fromValue !== undefined ? { fromValue } : {}),
    toType: to.type,
    ...(toValue !== undefined ? { toValue } : {}),
  };
}

/** The stored policy: given keys over Mimecast's defaults, flattened targets, eternal bounds, times. */
export function storedPolicy(given: Json, now: Date, previous?: Json): Json {
  const merged: Json = { ...(previous ?? {}), ...given };
  const from = merged.from as Json;
  const to = merged.to as Json;
  const fromEternal = given.fromDate !== undefined ? given.fromEternal === true : (merged.fromEternal ?? merged.fromDate === undefined);
  const toEternal = given.toDate !== undefined ? given.toEternal === true : (merged.toEternal ?? merged.toDate === undefined);
  const p: Json = {
    description: merged.description,
    fromPart: merged.fromPart ?? 'envelope_from',
    ...readTargets(from, to),
    fromDate: fromEternal === true ? ETERNAL_FROM : merged.fromDate,
    toDate: toEternal === true ? ETERNAL_TO : merged.toDate,
    // The fixture carries the eternal flags only when a side is eternal.
    ...(fromEternal === true ? { fromEternal: true } : {}),
    ...(toEternal === true ? { toEternal: true } : {}),
    override: merged.override ?? false,
    bidirectional: merged.bidirectional ?? false,
    conditions: merged.conditions ?? {},
    enabled: merged.enabled ?? true,
    enforced: merged.enforced ?? false,
    ...(merged.comment !== undefined ? { comment: merged.comment } : {}),
    createTime: previous?.createTime ?? formatMimecastDate(now),
    lastUpdated: formatMimecastDate(now),
  };
  return p;
}

/** get-policy: every policy without an id; with ids, each one or a not-found failure keyed by its item. */
export function getPolicies(sim: SimContext, items: Json[], store: Map<string, StoredPolicy>) {
  if (items.length === 0 || (items.length === 1 && blank(items[0].id))) return sim.ok([...store.values()]);
  const data: StoredPolicy[] = [];
  const fail: FailEntry[] = [];
  for (const item of items) {
    const p = store.get(String(item.id ?? ''));
    if (p) data.push(p);
    else fail.push(notFound(sim, item));
  }
  return sim.ok(data, fail);
}

export const notFound = (sim: SimContext, item: Json): FailEntry => sim.failItem(item, 'err_policy_not_found', 'The policy was not found', 'id');
