/**
 * /api/policy/address-alteration/* — address alteration sets (folders), the definitions (address
 * rewrites) inside them, and the policies that apply a set; stateful: a set created is listed by
 * get-address-alteration-set, a definition created is found by get-definition and gone after
 * delete-definition, a policy created is found by get-policy, reads back changed after
 * update-policy and is not found (err_address_alteration_policy_not_found) after delete-policy.
 * Seeded with the objects the seed's example requests name. Per-call caps: create-policy 50
 * items, get-policy and delete-policy 500.
 */
import { ETERNAL_FROM, ETERNAL_TO, isObject, readTargets, TARGET_FIELD, TARGET_TYPES } from '../policy.js';
import { defineRoutes, defineState, type FailEntry, type RouteHandler, type SimContext } from '../types.js';
import { formatMimecastDate } from '../clock.js';
import { isInternal } from '../tenant.js';

type Item = Record<string, unknown>;

export interface SimSet {
  id: string;
  description: string;
  parentId: string;
  folderCount: number;
  userCount: number;
}

export interface SimDefinition {
  id: string;
  folderId?: string;
  originalAddress: string;
  newAddress: string;
  addressType: string;
  routing: string;
}

export interface SimPolicy {
  id: string;
  addressAlterationSetId: string;
  /** The policy keys as last written (create, then each update merged in). */
  written: Item;
  createTime: string;
  lastUpdated: string;
}

/** The folder the root-level sets hang from. */
export const ROOT_SET_PARENT_ID =
  'eNoVzs0KgkAUQOF3mbWQjmkqtChMiTD6MTSXjnfUtJoatRTp3bP9gfOdAVUE8tASTPcBH6D3oxcm7jbfxrX48CD7SuGX1m-vBKnT4m8yeSMc4L8oBwxp1s6eC7u4bwIRx5WbEJ-uNO3Em9uDZjpEEMnslOlt5gfD4Vfu26Ic8mjVvTNfXqqKxZYoCGLX3BVSLA2wyPVaERJMbBTxeM0xzsmv5dfbeNX5NYzWk9sDz0CT0KBYDAgUqZqE4UuvoFrQpBG7bplMnPR6-wPeJT1r';

/** The address alteration set the Create Address Alteration Policy example applies. */
export const EXAMPLE_SET_ID =
  'eNoVzskKgkAYAOB3-a8JLlNu0MG0Qi0xwkHDy-SMS7mUk0pE757dv8P3Ac6yoWcVBRMm4t_1I_btG0I4bI97RIrLqZ2cMcGWoh7UqAxwKkaBY-u7-2r1PNHFVls0nuGWsZaKhRf7aFTU6f2WSFOicMhaV-KaESbS1gvOAcGud0uuQ05e7hoEqCl5gJmTmjMBsoG_uob1WUfZnLGj80a2ZElZqrMcWc-rrgVTFiDvasr6_1iRdR0Z3x9XqT4O';

/** The definition the Delete Address Alteration Definition example deletes. */
export const EXAMPLE_DEFINITION_ID =
  'eNoVzs0KgkAUQOF3mbWQmkkELWowtAwtMx1p5Z1bDaVTM2p_9O7Z_oNzPkQjtAoFJxNyHO5Exlp2fUdR7WX3S-rl3DebU7KimjsFi3mwrQ4DwRZ-5yfha_kqVL5nz02ZMI1pEcq5iQFtO5mNojGFRwln8AQM852UVaZuCOVaxyHUwZQYRDRY_cOWadmuQaDVjaxQgeTY39A0mVszy7Qdt7cdKi1k3ePvD-qWPBc';

/** The policy the Update and Delete Address Alteration Policy examples name. */
export const EXAMPLE_POLICY_ID =
  'eNo1jk0LgjAAQP_LrgZumq6CDqYGMxGjFI0uNldq-ZG6mUT_PTt0f4_33qBjlLcsT8EKCOGrXH2dhsK0encTtUeL2vtqsEQcGoru6kHmhWc58Cxzsb1r2nOfSjaWSmdJsgif5ZsT7VSh6MM4wqTMVJ_TisAOL_0Y2o538JKQOEV84dekJ2swA039yOn4aysIYzQDlHd9XbKW1imbhszgsEEGgspcn2jB2i6vK7BCf_M4NoxM9kRA-PkCaGtApA';

/** The policy the Get Address Alteration Policy example reads. */
export const EXAMPLE_GET_POLICY_ID =
  'eNo1jk0LgjAAQP_LrgVts2YGHTQNZiXGUjS62Fxp-ZU6w6L_nh26v8d7b9AILmuRxmABFDOMjuadua_A0tmO5m6GDb14ml3o65hsiZc4_mniOeZqvr7PZo99PLLUUW5rNAnU0-RqBxulw-TZ9zDKE8WVvKCwUTU3hJbtMCfyqX0Lz_IStXQJxqAqs5T3vzZGBOEx4LJpy1zUvIzFMLTymIF0BPGUDHQn6iYtC7BAf_PQV4IO9kBA-PkC50A_7A';

/** Mimecast caps the definitions created through the API (more only in the Administration Console). */
export const MAX_API_DEFINITIONS = 3000;

const ROUTINGS = ['all', 'inbound', 'outbound'];
const ADDRESS_TYPES = ['all', 'envelope_from', 'envelope_to', 'from', 'reply_to', 'to_cc_bcc', 'sender'];
const SEEDED_AT = '2024-05-26T14:39:13+0000';

export const sets = defineState(
  'address-alteration.sets',
  (): Map<string, SimSet> =>
    new Map([[EXAMPLE_SET_ID, { id: EXAMPLE_SET_ID, description: 'Domain migration rewrites', parentId: ROOT_SET_PARENT_ID, folderCount: 0, userCount: 1 }]]),
);

export const definitions = defineState(
  'address-alteration.definitions',
  (): Map<string, SimDefinition> =>
    new Map([
      [
        EXAMPLE_DEFINITION_ID,
        {
          id: EXAMPLE_DEFINITION_ID,
          folderId: EXAMPLE_SET_ID,
          originalAddress: '@sample.com',
          newAddress: '@example.com',
          addressType: 'envelope_to',
          routing: 'all',
        },
      ],
    ]),
);

export const policies = defineState('address-alteration.policies', (): Map<string, SimPolicy> => {
  const seeded = (id: string, written: Item): [string, SimPolicy] => [
    id,
    { id, addressAlterationSetId: EXAMPLE_SET_ID, written, createTime: SEEDED_AT, lastUpdated: SEEDED_AT },
  ];
  return new Map([
    seeded(EXAMPLE_POLICY_ID, {
      description: 'Rewrite sample.com recipients',
      from: { type: 'everyone' },
      to: { type: 'email_domain', emailDomain: 'sample.com' },
    }),
    seeded(EXAMPLE_GET_POLICY_ID, {
      description: 'Rewrite legacy sender addresses',
      fromPart: 'both',
      from: { type: 'individual_email_address', emailAddress: 'legacy@orgname.com' },
      to: { type: 'external_addresses' },
      comment: 'Migration',
    }),
  ]);
});

function blank(sim: SimContext, key: unknown, item: Item, field: string): FailEntry {
  const v = item[field];
  return sim.failItem(key, v === undefined || v === null ? 'err_validation_null' : 'err_validation_blank', `The ${field} field must not be blank`, field);
}

/** Runs op for every data[] item: its result in data[], or its fail[] entry. */
function each(op: (sim: SimContext, item: Item) => { data?: unknown[]; fail?: FailEntry }): RouteHandler {
  return (req, sim) => {
    const items = sim.items(req);
    const data: unknown[] = [];
    const fail: FailEntry[] = [];
    for (const item of items) {
      const r = op(sim, item);
      if (r.fail) fail.push(r.fail);
      else data.push(...(r.data ?? []));
    }
    return sim.ok(data, fail);
  };
}

// ---------------------------------------------------------------- sets

function setTree(sim: SimContext, set: SimSet, depth: number): Item {
  const out: Item = { ...set };
  if (depth > 0) out.folders = [...sets(sim).values()].filter((s) => s.parentId === set.id).map((s) => setTree(sim, s, depth - 1));
  return out;
}

function createSet(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const description = typeof item.description === 'string' ? item.description.trim() : '';
  if (!description) return { fail: blank(sim, item, item, 'description') };
  const parentId = item.parentId === undefined ? ROOT_SET_PARENT_ID : String(item.parentId);
  const parent = sets(sim).get(parentId);
  if (parentId !== ROOT_SET_PARENT_ID && !parent)
    return { fail: sim.failItem(item, 'err_address_alteration_set_not_found', 'The parent address alteration set was not found', 'parentId') };
  const set: SimSet = { id: sim.newId(), description, parentId, folderCount: 0, userCount: 0 };
  sets(sim).set(set.id, set);
  if (parent) parent.folderCount++;
  return { data: [{ ...set }] };
}

// ---------------------------------------------------------------- definitions

/** localpart@domainpart, @domainpart or localpart@ (Mimecast also documents * for a whole part). */
function addressProblem(address: unknown): string | undefined {
  if (typeof address !== 'string' || !/^[^@\s]*@[^@\s]*$/.test(address) || /^\*?@\*?$/.test(address))
    return 'is not in the form localpart@domainpart, @domainpart or localpart@';
  const domain = address.split('@')[1].toLowerCase();
  if (domain && domain !== '*' && !isInternal(domain)) return `uses ${domain}, which is not an internal domain`;
  return undefined;
}

function createDefinitions(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const folderId = item.folderId === undefined ? undefined : String(item.folderId);
  const folder = folderId === undefined ? undefined : sets(sim).get(folderId);
  if (folderId !== undefined && !folder)
    return { fail: sim.failItem(item, 'err_address_alteration_set_not_found', 'The address alteration set was not found', 'folderId') };
  const list = item.addressAlterations;
  if (!Array.isArray(list) || list.length === 0) return { fail: blank(sim, item, item, 'addressAlterations') };
  for (const a of list) {
    if (!isObject(a)) return { fail: sim.failItem(item, 'err_validation_invalid_value', 'Each address alteration must be an object', 'addressAlterations') };
    for (const field of ['originalAddress', 'newAddress'] as const) {
      const problem = addressProblem(a[field]);
      if (problem)
        return {
          fail: sim.failItem(
            item,
            problem.includes('internal') ? 'err_address_alteration_domain_not_internal' : 'err_validation_invalid_address',
            `${field} ${problem}`,
            field,
          ),
        };
    }
    if (!ROUTINGS.includes(String(a.routing)))
      return { fail: sim.failItem(item, 'err_validation_invalid_value', 'routing must be all, inbound or outbound', 'routing') };
    if (!ADDRESS_TYPES.includes(String(a.addressType)))
      return { fail: sim.failItem(item, 'err_validation_invalid_value', `addressType must be one of ${ADDRESS_TYPES.join(', ')}`, 'addressType') };
  }
  const data: unknown[] = [];
  for (const a of list as Item[]) {
    // Over the API cap Mimecast does not create the definition and says so with success: false.
    if (definitions(sim).size >= MAX_API_DEFINITIONS) {
      data.push({ success: false });
      continue;
    }
    const d: SimDefinition = {
      id: sim.newId(),
      ...(folderId !== undefined ? { folderId } : {}),
      originalAddress: String(a.originalAddress),
      newAddress: String(a.newAddress),
      addressType: String(a.addressType),
      routing: String(a.routing),
    };
    definitions(sim).set(d.id, d);
    if (folder) folder.userCount++;
    data.push({ id: d.id, success: true });
  }
  return { data };
}

function deleteDefinition(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const id = typeof item.id === 'string' ? item.id : '';
  if (!id) return { fail: blank(sim, item, item, 'id') };
  const d = definitions(sim).get(id);
  if (!d) return { fail: sim.failItem(item, 'err_address_alteration_definition_not_found', 'The address alteration definition was not found', 'id') };
  definitions(sim).delete(id);
  const folder = d.folderId ? sets(sim).get(d.folderId) : undefined;
  if (folder) folder.userCount = Math.max(0, folder.userCount - 1);
  return { data: [{ id, success: true }] };
}

// ---------------------------------------------------------------- policies

function targetProblem(target: unknown, side: string): string | undefined {
  if (target === undefined) return undefined;
  if (!isObject(target) || !TARGET_TYPES.includes(String(target.type))) return `${side}.type is not a policy target type`;
  const needed = TARGET_FIELD[String(target.type)];
  if (needed && (target[needed] === undefined || target[needed] === '')) return `${side}.${needed} is required for type ${String(target.type)}`;
  return undefined;
}

/** A policy as get-policy returns it: the keys written, Mimecast's defaults, the flattened targets, the times. */
function readBack(p: SimPolicy): Item {
  const w = p.written;
  const from = isObject(w.from) ? w.from : { type: 'everyone' };
  const to = isObject(w.to) ? w.to : { type: 'everyone' };
  const policy: Item = {
    description: w.description ?? '',
    fromPart: w.fromPart ?? 'envelope_from',
    ...readTargets(from, to),
    fromDate: w.fromDate ?? ETERNAL_FROM,
    toDate: w.toDate ?? ETERNAL_TO,
    fromEternal: w.fromDate === undefined,
    toEternal: w.toDate === undefined,
    override: w.override ?? false,
    bidirectional: w.bidirectional ?? false,
    conditions: isObject(w.conditions) ? w.conditions : {},
    enabled: w.enabled ?? true,
    enforced: w.enforced ?? false,
    ...(w.comment !== undefined ? { comment: w.comment } : {}),
    createTime: p.createTime,
    lastUpdated: p.lastUpdated,
  };
  return { id: p.id, addressAlterationSetId: p.addressAlterationSetId, policy };
}

/** Merges written policy keys: a date replaces its eternal flag and the other way round (as Mimecast documents). */
function merge(current: Item, patch: Item): Item {
  const out = { ...current, ...patch };
  for (const side of ['from', 'to'] as const) {
    if (patch[`${side}Date`] !== undefined) delete out[`${side}Eternal`];
    if (patch[`${side}Eternal`] === true) delete out[`${side}Date`];
  }
  return out;
}

/** Conditions an address alteration policy takes: the page lists sourceIPs only (no spfDomains, no hostnames). */
const CONDITIONS = ['sourceIPs'];

function policyProblem(sim: SimContext, item: Item, policy: unknown): FailEntry | undefined {
  if (!isObject(policy)) return blank(sim, item, item, 'policy');
  for (const side of ['from', 'to']) {
    const problem = targetProblem(policy[side], side);
    if (problem) return sim.failItem(item, 'err_validation_invalid_value', problem, side);
    // No header display name target on this family's page either.
    if (isObject(policy[side]) && policy[side].type === 'header_display_name')
      return sim.failItem(
        item,
        'err_validation_invalid_value',
        `${side}.type header_display_name is not valid for address alteration policies`,
        `${side}.type`,
      );
  }
  const other = isObject(policy.conditions) ? Object.keys(policy.conditions).find((k) => !CONDITIONS.includes(k)) : undefined;
  if (other)
    return sim.failItem(item, 'err_validation_invalid_value', `conditions.${other} is not valid for address alteration policies`, `conditions.${other}`);
  return undefined;
}

function setMissing(sim: SimContext, item: Item): FailEntry | undefined {
  const setId = item.addressAlterationSetId;
  if (setId === undefined || setId === '') return blank(sim, item, item, 'addressAlterationSetId');
  if (!sets(sim).has(String(setId)))
    return sim.failItem(item, 'err_address_alteration_set_not_found', 'The address alteration set was not found', 'addressAlterationSetId');
  return undefined;
}

const policyNotFound = (sim: SimContext, item: Item): FailEntry =>
  sim.failItem(item, 'err_address_alteration_policy_not_found', 'The address alteration policy was not found', 'id');

function createPolicy(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const problem = setMissing(sim, item) ?? policyProblem(sim, item, item.policy);
  if (problem) return { fail: problem };
  const now = formatMimecastDate(sim.now());
  const p: SimPolicy = {
    id: sim.newId('eNo1'),
    addressAlterationSetId: String(item.addressAlterationSetId),
    written: { ...(item.policy as Item) },
    createTime: now,
    lastUpdated: now,
  };
  policies(sim).set(p.id, p);
  return { data: [readBack(p)] };
}

function updatePolicy(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const id = typeof item.id === 'string' ? item.id : '';
  if (!id) return { fail: blank(sim, item, item, 'id') };
  const p = policies(sim).get(id);
  if (!p) return { fail: policyNotFound(sim, item) };
  // Without addressAlterationSetId the policy keeps its set.
  const problem = (item.addressAlterationSetId !== undefined ? setMissing(sim, item) : undefined) ?? policyProblem(sim, item, item.policy);
  if (problem) return { fail: problem };
  if (item.addressAlterationSetId !== undefined) p.addressAlterationSetId = String(item.addressAlterationSetId);
  p.written = merge(p.written, item.policy as Item);
  p.lastUpdated = formatMimecastDate(sim.now());
  return { data: [readBack(p)] };
}

function getPolicy(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const p = policies(sim).get(String(item.id ?? ''));
  return p ? { data: [readBack(p)] } : { fail: policyNotFound(sim, item) };
}

function deletePolicy(sim: SimContext, item: Item): { data?: unknown[]; fail?: FailEntry } {
  const id = typeof item.id === 'string' ? item.id : '';
  if (!id) return { fail: blank(sim, item, item, 'id') };
  if (!policies(sim).delete(id)) return { fail: policyNotFound(sim, item) };
  return { data: [{ id, deleted: true }] };
}

const getPolicies = each(getPolicy);

export default defineRoutes({
  'POST /api/policy/address-alteration/create-address-alteration-set': each(createSet),
  'POST /api/policy/address-alteration/get-address-alteration-set': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const depth = item.depth === undefined ? 1 : Number(item.depth);
    if (!Number.isInteger(depth) || depth < 0)
      return sim.ok([], [sim.failItem(item, 'err_validation_invalid_value', 'depth must be a whole number of 0 or more', 'depth')]);
    if (item.folderId !== undefined) {
      const set = sets(sim).get(String(item.folderId));
      if (!set) return sim.ok([], [sim.failItem(item, 'err_address_alteration_set_not_found', 'The address alteration set was not found', 'folderId')]);
      return sim.ok([setTree(sim, set, depth)]);
    }
    return sim.ok([...sets(sim).values()].filter((s) => s.parentId === ROOT_SET_PARENT_ID).map((s) => setTree(sim, s, depth)));
  },
  'POST /api/policy/address-alteration/create-definition': each(createDefinitions),
  'POST /api/policy/address-alteration/get-definition': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const filters = ['folderId', 'originalAddress', 'newAddress', 'routing'].filter((k) => item[k] !== undefined && item[k] !== '');
    if (filters.length === 0)
      return sim.ok(
        [],
        [sim.failItem(item, 'err_validation_blank', 'At least one of folderId, originalAddress, newAddress or routing is required', 'folderId')],
      );
    if (item.folderId !== undefined && !sets(sim).has(String(item.folderId))) {
      return sim.ok([], [sim.failItem(item, 'err_address_alteration_set_not_found', 'The address alteration set was not found', 'folderId')]);
    }
    const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
    const rows = [...definitions(sim).values()].filter((d) => filters.every((k) => same(d[k as keyof SimDefinition], item[k])));
    return sim.ok([{ items: rows.map((d) => ({ ...d })) }]);
  },
  'POST /api/policy/address-alteration/delete-definition': each(deleteDefinition),
  'POST /api/policy/address-alteration/create-policy': each(createPolicy),
  'POST /api/policy/address-alteration/get-policy': (req, sim) => {
    const items = sim.items(req);
    // No item (or an item without an id): every policy, paged.
    if (items.length === 0 || (items.length === 1 && items[0].id === undefined)) return sim.page(req, [...policies(sim).values()].map(readBack));
    return getPolicies(req, sim);
  },
  'POST /api/policy/address-alteration/update-policy': each(updatePolicy),
  'POST /api/policy/address-alteration/delete-policy': each(deletePolicy),
});
