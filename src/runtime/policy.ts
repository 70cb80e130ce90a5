/**
 * The policy object shared by every /api/policy/* action (schemas/common/policy.json).
 *
 * The schema says what it can (target type → the field it needs, CIDR and domain shapes, enums);
 * checkPolicy checks the rest before anything is sent: each CIDR parses, a date range does not
 * end before it starts, and a date is not combined with the "eternal" flag on the same side.
 * toMimecastPolicy builds the body Mimecast documents from the (normalised) input; policyScope
 * turns a policy Mimecast returned into that input again (Nullify re-creates a policy's scope).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { inputError } from '../base/errors.js';
import type { Failure } from '../client/envelope.js';
import type { ActionClient } from '../client/operations.js';
import type { Policy, PolicyAttribute, PolicyConditions, PolicyIdItem, PolicyTarget } from '../generated/types.js';
import { formatMimecastDate, parseIsoDate } from './dates.js';
import { joinPath } from './normalize.js';

// The policy object's types are generated from schemas/common/policy.json (its titled $defs).
export type { PolicyAttribute, PolicyConditions, PolicyIdItem, PolicyTarget };

// prettier-ignore
export const TARGET_TYPES = [
  'everyone', 'internal_addresses', 'external_addresses', 'email_domain', 'profile_group',
  'individual_email_address', 'address_attribute_value', 'free_mail_domains', 'header_display_name',
] as const satisfies readonly PolicyTarget['type'][];
type PolicyTargetType = PolicyTarget['type'];

/** Conditions as Mimecast holds them (hostnames only where Mimecast documents them: anti-spoofing, blocked senders, Web Security). */
type MimecastConditions = PolicyConditions & { hostnames?: string[] };

/** The policy input (after normalisation: booleans are booleans, dates are in Mimecast's +0000 form). */
export type PolicyInput = Omit<Policy, 'conditions'> & { conditions?: MimecastConditions };

/** The policy object as Mimecast's legacy /api/policy/* routes take it (same keys as the input). */
export type MimecastPolicy = PolicyInput;

type PolicyTargetField = 'emailAddress' | 'emailDomain' | 'groupId' | 'attribute' | 'headerDisplayName';
type TextField = Exclude<PolicyTargetField, 'attribute'>;

/** The field each target type needs. */
export const TARGET_FIELD: Partial<Record<PolicyTargetType, PolicyTargetField>> = {
  email_domain: 'emailDomain',
  individual_email_address: 'emailAddress',
  profile_group: 'groupId',
  address_attribute_value: 'attribute',
  header_display_name: 'headerDisplayName',
};

/** True for an IPv4 or IPv6 range in CIDR form with a prefix the address family allows. */
export function isCidr(text: string): boolean {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return false;
  const [, address, prefix] = m;
  const bits = Number(prefix);
  if (isIPv4(address)) return bits <= 32;
  if (isIPv6(address)) return bits <= 128;
  return false;
}

function checkTarget(target: PolicyTarget | undefined, field: string): void {
  if (!target) return;
  const needed = TARGET_FIELD[target.type];
  if (needed && (target[needed] === undefined || target[needed] === '')) {
    throw inputError(joinPath(field, needed), `is required when type is ${target.type}`);
  }
}

function checkSide(policy: PolicyInput, field: string, side: 'from' | 'to'): void {
  const date = side === 'from' ? policy.fromDate : policy.toDate;
  const eternal = side === 'from' ? policy.fromEternal : policy.toEternal;
  if (date === undefined) return;
  if (!parseIsoDate(date)) {
    throw inputError(joinPath(field, `${side}Date`), `is not a valid ISO 8601 date-time: "${date}" (e.g. 2024-10-12T18:30:00Z)`);
  }
  if (eternal === true) {
    throw inputError(joinPath(field, `${side}Date`), `cannot be combined with ${side}Eternal true (give one or the other)`);
  }
}

/**
 * What an address alteration policy cannot have: Mimecast's page lists sourceIPs as its only
 * condition (no spfDomains, no hostnames) and no header display name target.
 */
function checkAddressAlteration(policy: PolicyInput, field: string): void {
  for (const side of ['from', 'to'] as const) {
    if (policy[side]?.type === 'header_display_name')
      throw inputError(
        joinPath(joinPath(field, side), 'type'),
        'cannot be header_display_name in an address alteration policy (Mimecast does not take it there)',
      );
  }
  for (const key of ['spfDomains', 'hostnames'] as const) {
    if (policy.conditions?.[key] !== undefined)
      throw inputError(joinPath(joinPath(field, 'conditions'), key), 'is not a condition of address alteration policies: they take sourceIPs only');
  }
}

/**
 * The checks a schema cannot express. field is the path of the policy in the input
 * (e.g. "policy_information" or "policy_information[2].policy"); errors name the full path.
 * family 'address_alteration' adds what that family's policies cannot have.
 */
export function checkPolicy(policy: PolicyInput, field: string, family?: 'address_alteration'): void {
  if (family === 'address_alteration') checkAddressAlteration(policy, field);
  checkTarget(policy.from, joinPath(field, 'from'));
  checkTarget(policy.to, joinPath(field, 'to'));
  (policy.conditions?.sourceIPs ?? []).forEach((cidr, i) => {
    if (!isCidr(cidr)) {
      throw inputError(
        joinPath(joinPath(joinPath(field, 'conditions'), 'sourceIPs'), i),
        `must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "${cidr}" does not parse`,
      );
    }
  });
  checkSide(policy, field, 'from');
  checkSide(policy, field, 'to');
  if (policy.fromDate !== undefined && policy.toDate !== undefined) {
    const start = parseIsoDate(policy.fromDate)!;
    const end = parseIsoDate(policy.toDate)!;
    if (end.getTime() < start.getTime()) {
      throw inputError(joinPath(field, 'toDate'), `(${policy.toDate}) is before fromDate (${policy.fromDate}); the policy would never apply`);
    }
  }
}

function mimecastTarget(target: PolicyTarget): PolicyTarget {
  const out: PolicyTarget = { type: target.type };
  const needed = TARGET_FIELD[target.type];
  // Only the field the type uses: a stray emailAddress on an "everyone" target is not sent.
  if (needed === 'attribute' && target.attribute) {
    const { id, name, value } = target.attribute;
    out.attribute = name === undefined ? { id, value } : { id, name, value };
  } else if (needed && needed !== 'attribute' && target[needed] !== undefined) {
    out[needed as TextField] = target[needed as TextField];
  }
  return out;
}

/** Dates already in Mimecast's form stay as they are; other ISO 8601 spellings are converted. */
function mimecastDate(value: string): string {
  const d = parseIsoDate(value);
  return d ? formatMimecastDate(d) : value;
}

/**
 * The policy body Mimecast documents, from a checked policy input: only the keys given (Mimecast
 * rejects nulls and blanks), targets with only the field their type uses, dates in +0000 form.
 */
export function toMimecastPolicy(policy: PolicyInput): MimecastPolicy {
  const out: MimecastPolicy = {};
  if (policy.description !== undefined) out.description = policy.description;
  if (policy.fromPart !== undefined) out.fromPart = policy.fromPart;
  if (policy.from) out.from = mimecastTarget(policy.from);
  if (policy.to) out.to = mimecastTarget(policy.to);
  if (policy.fromDate !== undefined) out.fromDate = mimecastDate(policy.fromDate);
  if (policy.toDate !== undefined) out.toDate = mimecastDate(policy.toDate);
  for (const key of ['fromEternal', 'toEternal', 'override', 'bidirectional', 'enabled', 'enforced'] as const) {
    if (policy[key] !== undefined) out[key] = policy[key];
  }
  if (policy.comment !== undefined) out.comment = policy.comment;
  if (policy.conditions) {
    const c: MimecastConditions = {};
    if (policy.conditions.sourceIPs?.length) c.sourceIPs = [...policy.conditions.sourceIPs];
    if (policy.conditions.spfDomains?.length) c.spfDomains = [...policy.conditions.spfDomains];
    if (policy.conditions.hostnames?.length) c.hostnames = [...policy.conditions.hostnames];
    if (Object.keys(c).length) out.conditions = c;
  }
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A target as Mimecast returns it (nested object, a group{} for profile groups) → target input. */
function targetFromMimecast(raw: unknown): PolicyTarget | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string' || !(TARGET_TYPES as readonly string[]).includes(raw.type)) return undefined;
  const type = raw.type as PolicyTargetType;
  const t: PolicyTarget = { type };
  const needed = TARGET_FIELD[type];
  if (needed === 'groupId') {
    const id = str(raw.groupId) ?? (isObject(raw.group) ? str(raw.group.id) : undefined);
    if (id) t.groupId = id;
  } else if (needed === 'attribute') {
    if (isObject(raw.attribute) && str(raw.attribute.id) && str(raw.attribute.value)) {
      const name = str(raw.attribute.name);
      t.attribute = { id: str(raw.attribute.id)!, ...(name ? { name } : {}), value: str(raw.attribute.value)! };
    }
  } else if (needed) {
    const v = str(raw[needed]);
    if (v) t[needed as TextField] = v;
  }
  return t;
}

/**
 * The scope of a policy Mimecast returned (get-policy's data[i].policy) as policy input, ready to
 * create a policy with the same scope: description, fromPart, from/to, dates (an eternal side
 * keeps only its flag, not Mimecast's 1900/2100 stand-in dates), bidirectional and conditions
 * (every list, hostnames included, so the copy is never broader than the original).
 * Read-only fields (createTime, lastUpdated, the flattened fromType/fromValue/...) are left out,
 * and so are override, enabled, enforced and comment: the caller decides those.
 */
export function policyScope(raw: unknown): PolicyInput {
  const p = isObject(raw) ? raw : {};
  const out: PolicyInput = {};
  const description = str(p.description);
  if (description) out.description = description;
  if (p.fromPart === 'envelope_from' || p.fromPart === 'header_from' || p.fromPart === 'both') out.fromPart = p.fromPart;
  const from = targetFromMimecast(p.from);
  if (from) out.from = from;
  const to = targetFromMimecast(p.to);
  if (to) out.to = to;
  if (p.fromEternal === true) out.fromEternal = true;
  else if (str(p.fromDate)) {
    out.fromDate = mimecastDate(p.fromDate as string);
    if (p.fromEternal === false) out.fromEternal = false;
  }
  if (p.toEternal === true) out.toEternal = true;
  else if (str(p.toDate)) {
    out.toDate = mimecastDate(p.toDate as string);
    if (p.toEternal === false) out.toEternal = false;
  }
  if (typeof p.bidirectional === 'boolean') out.bidirectional = p.bidirectional;
  if (isObject(p.conditions)) {
    const c: MimecastConditions = {};
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
    if (list(p.conditions.sourceIPs).length) c.sourceIPs = list(p.conditions.sourceIPs);
    if (list(p.conditions.spfDomains).length) c.spfDomains = list(p.conditions.spfDomains);
    if (list(p.conditions.hostnames).length) c.hostnames = list(p.conditions.hostnames);
    if (Object.keys(c).length) out.conditions = c;
  }
  return out;
}

/**
 * The whole scope of a policy Mimecast returned, as policy input: policyScope plus the settings it
 * leaves to its caller (override, enabled, enforced, comment). An update that must send a scope
 * whole (Web Security's update-policy-with-targets) starts from this, so nothing it leaves out
 * falls back to Mimecast's defaults.
 */
export function wholeScope(raw: unknown): PolicyInput {
  const p = isObject(raw) ? raw : {};
  const out = policyScope(p);
  for (const key of ['override', 'enabled', 'enforced'] as const) if (typeof p[key] === 'boolean') out[key] = p[key];
  const comment = str(p.comment);
  if (comment) out.comment = comment;
  return out;
}

/**
 * A scope with changes applied: a key given replaces the scope's (a target whole), conditions
 * per list; a date given ends the side's "eternal" flag, and an eternal flag given drops the
 * side's date, so the two never contradict each other.
 */
export function mergeScope(current: PolicyInput, changes: PolicyInput): PolicyInput {
  const out: PolicyInput = { ...current, ...changes };
  for (const side of ['from', 'to'] as const) {
    const date = `${side}Date` as const;
    const eternal = `${side}Eternal` as const;
    if (changes[date] !== undefined && changes[eternal] === undefined) delete out[eternal];
    if (changes[eternal] === true && changes[date] === undefined) delete out[date];
  }
  if (changes.conditions) out.conditions = { ...current.conditions, ...changes.conditions };
  return out;
}

/** Policy IDs given as text or {id} objects (schemas/common/policy.json#/$defs/policy_ids), in order, each once. */
export function policyIds(list: readonly PolicyIdItem[]): string[] {
  return [...new Set(list.map((item) => (typeof item === 'string' ? item : item.id)))];
}

/**
 * A legacy get-policy route: with IDs, one item per ID (split by the manifest's chunk_size,
 * failures keyed by ID); without one, Mimecast answers with every policy in one call.
 */
export async function getPolicies<Row>(client: ActionClient, path: string, list: readonly PolicyIdItem[] | undefined): Promise<Row[]> {
  const ids = policyIds(list ?? []);
  if (ids.length)
    return client.items<Row>(
      path,
      ids.map((id) => ({ id })),
    );
  return ((await client.single(path)).data ?? []) as Row[];
}

/**
 * The explode option of a delete-policy route that answers {id, deleted} per ID (anti-spoofing
 * bypass, Web Security): deleted false is a failure keyed by {id}, like a fail[] entry of that ID
 * and the items of a call that failed outright (successFlag would key it by the whole answer).
 */
export function deletedFlag<T>(what: string): (entry: Record<string, unknown>) => { ok: T[]; failures: Failure[] } {
  return (entry) =>
    entry.deleted === false
      ? { ok: [], failures: [{ code: 'deleted_failed', message: `Mimecast answered deleted: false for this ${what}`, key: { id: entry.id } }] }
      : { ok: [entry as T], failures: [] };
}
