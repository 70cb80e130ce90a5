/**
 * /api/policy/webwhiteurl/*-policy-with-targets — Web Security block/allow list policies,
 * stateful: a created policy is found by get, an update reads back changed (a URL list given
 * replaces the whole list), a deleted one is err_policy_not_found. Per-item failures come back
 * in fail[] with the item as key.
 *
 * Record shape (no public capture; Scriptception/terraform-provider-mimecast's client, S3):
 * { id, description, policies: [{ id, policy: {…scope…} }], urls: [{ id, action, type, value }] }.
 * A scope reads back like the other legacy policy families: nested from/to plus the flattened
 * fromType/fromValue/toType/toValue, eternal bounds as 1900/2100 dates, createTime, lastUpdated.
 */
import { createHash } from 'node:crypto';
import { ETERNAL_FROM, ETERNAL_TO, isObject, readTargets, TARGET_FIELD, TARGET_TYPES } from '../policy.js';
import { defineRoutes, defineState, type FailEntry, type SimContext } from '../types.js';
import { formatMimecastDate } from '../clock.js';

export interface WebUrl {
  id: string;
  action: string;
  type: string;
  value: string;
}

export interface WebPolicy {
  id: string;
  description: string;
  policies: { id: string; policy: Record<string, unknown> }[];
  urls: WebUrl[];
}

/** A stable Mimecast-looking secure ID (the same across simulator resets). */
function stableId(seed: string): string {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return `eNo1jk0L${Buffer.concat([h(seed), h(`${seed}:b`), h(`${seed}:c`)]).toString('base64url')}`;
}

/**
 * A Web Security policy the simulator holds from the start (it blocks known phishing sites): the
 * ID of the Get, Update and Delete Policy with Targets examples in manifest/actions/.
 */
export const SEEDED_WEB_POLICY_ID =
  'eNo1jk0LZunP0VmkBstmAC86rGgeEbIfVexV-nUCCaynIG4F-OgYRBR1kfocU60oUrOzMeknMS0SbkJ4Zn8Gdx3b-7lOHWUUYmn1Gyr_KqRq7jQIzroi04ksTzNv68TJRXDf12DQ';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const webPolicies = defineState('policy.webwhiteurl', (): Map<string, WebPolicy> => {
  const created = '2024-06-11T10:02:44+0000';
  const seeded: WebPolicy = {
    id: SEEDED_WEB_POLICY_ID,
    description: 'Block known phishing sites',
    policies: [
      {
        id: stableId('webwhiteurl:policy:1:scope:1'),
        policy: {
          description: 'Block known phishing sites',
          fromPart: 'both',
          from: { type: 'everyone' },
          to: { type: 'everyone' },
          fromType: 'everyone',
          toType: 'everyone',
          fromDate: ETERNAL_FROM,
          toDate: ETERNAL_TO,
          fromEternal: true,
          toEternal: true,
          override: false,
          bidirectional: false,
          conditions: {},
          enabled: true,
          enforced: false,
          createTime: created,
          lastUpdated: created,
        },
      },
    ],
    urls: [
      { id: stableId('webwhiteurl:policy:1:url:1'), action: 'block', type: 'domain', value: 'malicious-login-1.example.net' },
      { id: stableId('webwhiteurl:policy:1:url:2'), action: 'block', type: 'url', value: 'http://login-verify-2.example.net/account/update' },
    ],
  };
  return new Map([[seeded.id, seeded]]);
});

/** The first problem of a target (from / to), as [field, code, message]. */
function targetProblem(t: unknown, where: string): [string, string, string] | undefined {
  if (!isObject(t)) return undefined;
  const type = str(t.type);
  if (!type) return [`${where}.type`, 'err_validation_null', `${where}.type is required`];
  if (!TARGET_TYPES.includes(type)) return [`${where}.type`, 'err_validation_invalid_value', `${where}.type ${type} is not a valid target type`];
  const field = TARGET_FIELD[type];
  const v = field ? t[field] : undefined;
  if (field && (v === undefined || v === null || v === ''))
    return [`${where}.${field}`, 'err_validation_null', `${where}.${field} is required for type ${type}`];
  return undefined;
}

/** A stored scope: Mimecast's defaults filled in for what was not sent, the flattened read aliases added. */
function storedScope(p: Record<string, unknown>, now: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    fromPart: 'both',
    from: { type: 'everyone' },
    to: { type: 'everyone' },
    override: false,
    bidirectional: false,
    conditions: {},
    enabled: true,
    enforced: false,
    createTime: now,
  };
  const scope: Record<string, unknown> = { ...base, ...p, lastUpdated: now };
  // A side without a date is eternal unless the scope says otherwise.
  scope.fromEternal = p.fromDate === undefined ? p.fromEternal !== false : p.fromEternal === true;
  scope.toEternal = p.toDate === undefined ? p.toEternal !== false : p.toEternal === true;
  if (scope.fromEternal) scope.fromDate = ETERNAL_FROM;
  if (scope.toEternal) scope.toDate = ETERNAL_TO;
  return Object.assign(scope, readTargets(scope.from as Record<string, unknown>, scope.to as Record<string, unknown>));
}

/** Checks an item's policies[] and urls[]; returns the first failure, or undefined. */
function itemProblem(sim: SimContext, item: Record<string, unknown>, o: { urlsRequired: boolean }): FailEntry | undefined {
  const fail = (code: string, message: string, field: string) => sim.failItem(item, code, message, field);
  const policies = item.policies;
  if (policies === undefined || policies === null) return fail('err_validation_null', 'policies is required', 'policies');
  if (!Array.isArray(policies) || policies.length === 0 || !policies.every(isObject)) {
    return fail('err_validation_invalid_value', 'policies must be a non-empty list of policy scopes', 'policies');
  }
  for (const [i, p] of policies.entries()) {
    for (const side of ['from', 'to'] as const) {
      const bad = targetProblem(p[side], `policies[${i}].${side}`);
      if (bad) return fail(bad[1], bad[2], bad[0]);
    }
    if (typeof p.fromDate === 'string' && typeof p.toDate === 'string' && p.toDate < p.fromDate) {
      return fail('err_validation_invalid_date_range', `policies[${i}].toDate is before fromDate`, `policies[${i}].toDate`);
    }
  }
  const urls = item.urls;
  if (urls === undefined || urls === null) return o.urlsRequired ? fail('err_validation_null', 'urls is required', 'urls') : undefined;
  if (!Array.isArray(urls) || (o.urlsRequired && urls.length === 0)) return fail('err_validation_invalid_value', 'urls must be a non-empty list', 'urls');
  for (const [i, u] of urls.entries()) {
    if (!isObject(u)) return fail('err_validation_invalid_value', `urls[${i}] must be an object`, `urls[${i}]`);
    if (u.action !== 'allow' && u.action !== 'block') return fail('err_validation_invalid_value', 'action must be allow or block', `urls[${i}].action`);
    if (u.type !== 'url' && u.type !== 'domain') return fail('err_validation_invalid_value', 'type must be url or domain', `urls[${i}].type`);
    if (!str(u.value).trim())
      return fail(u.value === undefined ? 'err_validation_null' : 'err_validation_blank', 'value must not be blank', `urls[${i}].value`);
  }
  return undefined;
}

/** A scope id that is not one of the policy's (or one sent twice). */
function scopeIdProblem(sim: SimContext, item: Record<string, unknown>, current: WebPolicy): FailEntry | undefined {
  const seen = new Set<string>();
  for (const [i, p] of (item.policies as Record<string, unknown>[]).entries()) {
    if (p.id === undefined) continue;
    const id = str(p.id);
    if (!current.policies.some((s) => s.id === id) || seen.has(id))
      return sim.failItem(item, 'err_policy_not_found', `policies[${i}].id is not a scope of this policy`, `policies[${i}].id`);
    seen.add(id);
  }
  return undefined;
}

const newUrls = (sim: SimContext, urls: unknown[]): WebUrl[] =>
  (urls as Record<string, unknown>[]).map((u) => ({ id: sim.newId('eNo1jk0L'), action: str(u.action), type: str(u.type), value: str(u.value).trim() }));

const copy = (p: WebPolicy): WebPolicy => JSON.parse(JSON.stringify(p)) as WebPolicy;

const notFound = (sim: SimContext, item: Record<string, unknown>) => sim.failItem(item, 'err_policy_not_found', 'The Web Security policy was not found', 'id');

export default defineRoutes({
  'POST /api/policy/webwhiteurl/create-policy-with-targets': (req, sim) => {
    const store = webPolicies(sim);
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      if (!str(item.description).trim()) {
        fail.push(
          sim.failItem(item, item.description === undefined ? 'err_validation_null' : 'err_validation_blank', 'description must not be blank', 'description'),
        );
        continue;
      }
      const problem = itemProblem(sim, item, { urlsRequired: true });
      if (problem) {
        fail.push(problem);
        continue;
      }
      const now = formatMimecastDate(sim.now());
      const policy: WebPolicy = {
        id: sim.newId('eNo1jk0L'),
        description: str(item.description),
        policies: (item.policies as Record<string, unknown>[]).map((p) => ({ id: sim.newId('eNo1jk0L'), policy: storedScope(p, now) })),
        urls: newUrls(sim, item.urls as unknown[]),
      };
      store.set(policy.id, policy);
      data.push(copy(policy));
    }
    return sim.ok(data, fail);
  },

  'POST /api/policy/webwhiteurl/get-policy-with-targets': (req, sim) => {
    const store = webPolicies(sim);
    const item = sim.items(req)[0];
    if (!item || !str(item.id)) return sim.ok([], [sim.failItem(item ?? {}, 'err_validation_null', 'id is required', 'id')]);
    const p = store.get(str(item.id));
    return p ? sim.ok([copy(p)]) : sim.ok([], [notFound(sim, item)]);
  },

  /**
   * id required; description replaced when given; urls, when given, replace the whole URL list.
   * policies[] is the policy's whole list of scopes (the Terraform provider's reading, S3): an entry
   * with a scope's id replaces that scope as sent (keys left out take Mimecast's defaults, from and
   * to everyone), one without an id is a new scope, and a scope not sent is removed. So a partial
   * scope without its id resets the policy's scoping: the risk mimecast-api.md §8 describes.
   */
  'POST /api/policy/webwhiteurl/update-policy-with-targets': (req, sim) => {
    const store = webPolicies(sim);
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      if (!str(item.id)) {
        fail.push(sim.failItem(item, 'err_validation_null', 'id is required', 'id'));
        continue;
      }
      const current = store.get(str(item.id));
      if (!current) {
        fail.push(notFound(sim, item));
        continue;
      }
      const problem = itemProblem(sim, item, { urlsRequired: false }) ?? scopeIdProblem(sim, item, current);
      if (problem) {
        fail.push(problem);
        continue;
      }
      const now = formatMimecastDate(sim.now());
      const updated = copy(current);
      if (str(item.description).trim()) updated.description = str(item.description);
      updated.policies = (item.policies as Record<string, unknown>[]).map(({ id, ...p }) => {
        const previous = current.policies.find((s) => s.id === id);
        const createTime = previous?.policy.createTime;
        return previous
          ? { id: previous.id, policy: { ...storedScope(p, now), ...(createTime ? { createTime } : {}) } }
          : { id: sim.newId('eNo1jk0L'), policy: storedScope(p, now) };
      });
      if (Array.isArray(item.urls)) updated.urls = newUrls(sim, item.urls);
      store.set(updated.id, updated);
      data.push(copy(updated));
    }
    return sim.ok(data, fail);
  },

  'POST /api/policy/webwhiteurl/delete-policy-with-targets': (req, sim) => {
    const store = webPolicies(sim);
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      const id = str(item.id);
      if (!id) fail.push(sim.failItem(item, 'err_validation_null', 'id is required', 'id'));
      else if (store.delete(id)) data.push({ id, deleted: true });
      else fail.push(notFound(sim, item));
    }
    return sim.ok(data, fail);
  },
});
