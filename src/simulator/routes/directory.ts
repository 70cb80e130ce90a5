/**
 * /api/directory/* — profile groups and their members, stateful: a member added is listed by
 * get-group-members and can be removed; a duplicate add fails the way Mimecast fails it; a group
 * created or updated (create-group / update-group) is what find-groups lists.
 * Seeded from fixtures/api-directory-find-groups.json.
 */
import findGroups from '../fixtures/api-directory-find-groups.json' with { type: 'json' };
import { defineRoutes, defineState, type SimContext } from '../types.js';
import { isInternal } from '../tenant.js';

export interface SimGroup {
  id: string;
  description: string;
  source: string;
  parentId: string;
  userCount: number;
  folderCount: number;
}

export interface SimMember {
  emailAddress?: string;
  domain?: string;
  name: string;
  type: string;
  internal: boolean;
  notes?: string;
}

export const DEMO_GROUP_ID = findGroups.data[0].folders[0].id;

/** The root folder the fixture's top-level groups hang from (new groups without parentId go here). */
export const ROOT_GROUP_PARENT_ID = findGroups.data[0].folders[0].parentId;

/** The groups the seed's examples name (appended after the fixture's), so the documented examples run here. */
const EXAMPLE_GROUPS: SimGroup[] = [
  {
    // Add Group Member / Remove Group Member / Get Group Members examples.
    id: 'eNoVzrsOgjAUANB_uasklqIgJA74ppIGo6AkLpUWq_JQajHG-O_ifobzASUy3YgLBw-ItJZ3OllFm72zi1osy1Goz9Vr1qaJj-3QjiVNjv2YzqajxW04fGx4b-70SuIG8uAc-2dyWFsttl_vN2KltCKdVQFSjhulaE7olrIkINf0pHP2DMZgQMHZHbycFUoYkGn1rEvRZDUXXWYabyembyI8sDvZikZd6go804C8Lrho_mPTRRbC3x9dtT4N',
    description: 'Security Awareness Training',
    source: 'cloud',
    parentId: ROOT_GROUP_PARENT_ID,
    userCount: 1,
    folderCount: 0,
  },
  {
    id: 'eNoVzssKgkAUANB_uduExncKLayMtBosURTcTM6YlY7p-CCif6_2Z3HeIFg-dOxGwQbMtuM5VY-IO3I7WdquCsyLw6fNmMaOYhyMqMRxNo_wZr3YPnS9PdGZa85q3_LKxMzmVz_Zq6NiTK8XInWpBkPOPSRMK0iR6-MQk9jz7-llKEjvLUGCipIn2AWpBJMgH0Tf1KzLG8p-mXUUrmRHRopm_OTIOnFrONiyBEVTUdb9x-jzBQBrPMc',
    description: 'Incident Response',
    source: 'cloud',
    parentId: ROOT_GROUP_PARENT_ID,
    userCount: 0,
    folderCount: 0,
  },
  {
    id: 'eNoVzskKgkAYAOB3-a8JrrlBB9OCGUVaUBS6TM6Y5TLlqBXRu2f37_B9QLBi7NmVgguojcpXVxv8kIWHAK-Jbwf1vnsGU556mhmZSRWnJzmJA9_e1svlY08XG2vRYgdVmXWSLzgL9Ukzn--3QtpK341FhxRhObtc2eD4GJMU4Vt-HksyoBVI0FByB7ckjWASFKMYeMv6glM2Z_zkuFY9VdEMc5YT68WVd-CqEpS8oaz_jzXVdiz9-wOBuj5H',
    description: 'Phishing Reporters',
    source: 'cloud',
    parentId: ROOT_GROUP_PARENT_ID,
    userCount: 0,
    folderCount: 0,
  },
];

export const groups = defineState(
  'directory.groups',
  (): Map<string, SimGroup> => new Map([...findGroups.data[0].folders, ...EXAMPLE_GROUPS].map((g) => [g.id, { ...g }])),
);

export const members = defineState('directory.members', (sim): Map<string, SimMember[]> => {
  const m = new Map<string, SimMember[]>();
  for (const g of groups(sim).values()) {
    const list: SimMember[] = [];
    for (let i = 0; i < g.userCount; i++)
      list.push({
        emailAddress: `user${i + 1}@${g.source === 'ldap' ? 'corp' : 'example'}.com`,
        name: `User ${i + 1}`,
        type: 'created_manually',
        internal: true,
      });
    m.set(g.id, list);
  }
  return m;
});

function memberOp(sim: SimContext, item: Record<string, unknown>, add: boolean) {
  const id = String(item.id ?? '');
  const group = groups(sim).get(id);
  if (!id) return { fail: sim.failItem(item, 'err_validation_blank', 'The id field must not be blank', 'id') };
  if (!group) return { fail: sim.failItem(item, 'err_folder_not_found', 'The group was not found', 'id') };
  const email = typeof item.emailAddress === 'string' ? item.emailAddress.toLowerCase() : undefined;
  const domain = typeof item.domain === 'string' ? item.domain.toLowerCase() : undefined;
  if (!email && !domain) return { fail: sim.failItem(item, 'err_validation_null', 'emailAddress or domain is required', 'emailAddress') };
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    return { fail: sim.failItem(item, 'err_validation_invalid_email_address', 'The email address is not valid', 'emailAddress') };
  const list = members(sim).get(id)!;
  const idx = list.findIndex((m) => (email ? m.emailAddress === email : m.domain === domain));
  if (add && idx >= 0)
    return { fail: sim.failItem(item, 'err_folder_group_member_already_exists', 'Group member already exists', email ? 'emailAddress' : 'domain') };
  if (!add && idx < 0)
    return { fail: sim.failItem(item, 'err_folder_email_address_not_found', 'The member was not found in the group', email ? 'emailAddress' : 'domain') };
  const internal = isInternal(email ?? domain ?? '');
  if (add) {
    list.push({
      ...(email ? { emailAddress: email } : { domain }),
      name: email ?? domain!,
      type: 'created_manually',
      internal,
      ...(typeof item.notes === 'string' ? { notes: item.notes } : {}),
    });
    group.userCount = list.length;
  } else {
    list.splice(idx, 1);
    group.userCount = list.length;
  }
  return { data: { id: sim.newId(), folderId: id, ...(email ? { emailAddress: email } : { domain }), internal } };
}

function memberRoute(add: boolean) {
  return (req: Parameters<Parameters<typeof defineRoutes>[0][string]>[0], sim: SimContext) => {
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const r = memberOp(sim, item, add);
      if (r.fail) fail.push(r.fail);
      else data.push(r.data);
    }
    return sim.ok(data, fail);
  };
}

type Item = Record<string, unknown>;
type GroupResult = { data?: { id: string; description: string; source: string; parentId: string }; fail?: ReturnType<SimContext['failItem']> };

const blank = (sim: SimContext, item: Item, field: string): ReturnType<SimContext['failItem']> =>
  sim.failItem(
    item,
    item[field] === undefined || item[field] === null ? 'err_validation_null' : 'err_validation_blank',
    `The ${field} field must not be blank`,
    field,
  );

function parentExists(sim: SimContext, id: string): boolean {
  return id === ROOT_GROUP_PARENT_ID || groups(sim).has(id);
}

function moveFolderCount(sim: SimContext, parentId: string, delta: number): void {
  const parent = groups(sim).get(parentId);
  if (parent) parent.folderCount = Math.max(0, parent.folderCount + delta);
}

/** create-group: a new cloud group at the root or inside parentId, findable by find-groups. */
function createGroup(sim: SimContext, item: Item): GroupResult {
  const description = typeof item.description === 'string' ? item.description.trim() : '';
  if (!description) return { fail: blank(sim, item, 'description') };
  const parentId = item.parentId === undefined ? ROOT_GROUP_PARENT_ID : String(item.parentId);
  if (!parentId || !parentExists(sim, parentId)) return { fail: sim.failItem(item, 'err_folder_not_found', 'The parent group was not found', 'parentId') };
  const g: SimGroup = { id: sim.newId(), description, source: 'cloud', parentId, userCount: 0, folderCount: 0 };
  members(sim).set(g.id, []);
  groups(sim).set(g.id, g);
  moveFolderCount(sim, parentId, 1);
  return { data: { id: g.id, description: g.description, source: g.source, parentId: g.parentId } };
}

/** update-group: renames and/or moves an existing group. */
function updateGroup(sim: SimContext, item: Item): GroupResult {
  const id = typeof item.id === 'string' ? item.id : '';
  if (!id) return { fail: blank(sim, item, 'id') };
  const g = groups(sim).get(id);
  if (!g) return { fail: sim.failItem(item, 'err_folder_not_found', 'The group was not found', 'id') };
  if (item.description !== undefined && (typeof item.description !== 'string' || !item.description.trim())) return { fail: blank(sim, item, 'description') };
  if (item.parentId !== undefined) {
    const parentId = String(item.parentId);
    if (!parentId || !parentExists(sim, parentId)) return { fail: sim.failItem(item, 'err_folder_not_found', 'The parent group was not found', 'parentId') };
    if (parentId === id) return { fail: sim.failItem(item, 'err_validation_invalid_value', 'A group cannot be its own parent', 'parentId') };
    if (parentId !== g.parentId) {
      moveFolderCount(sim, g.parentId, -1);
      moveFolderCount(sim, parentId, 1);
      g.parentId = parentId;
    }
  }
  if (typeof item.description === 'string') g.description = item.description.trim();
  return { data: { id: g.id, description: g.description, source: g.source, parentId: g.parentId } };
}

function groupRoute(op: (sim: SimContext, item: Item) => GroupResult) {
  return (req: Parameters<Parameters<typeof defineRoutes>[0][string]>[0], sim: SimContext) => {
    const data: unknown[] = [];
    const fail = [];
    for (const item of sim.items(req)) {
      const r = op(sim, item);
      if (r.fail) fail.push(r.fail);
      else data.push(r.data);
    }
    return sim.ok(data, fail);
  };
}

export default defineRoutes({
  'POST /api/directory/find-groups': (req, sim) => {
    const item = (sim.items(req)[0] ?? {}) as { query?: string; source?: string };
    const q = (item.query ?? '').toLowerCase();
    const rows = [...groups(sim).values()].filter((g) => (!item.source || g.source === item.source) && (!q || g.description.toLowerCase().includes(q)));
    return sim.page(req, rows, (page) => [{ source: item.source ?? 'cloud', folders: page }]);
  },
  'POST /api/directory/get-group-members': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const list = members(sim).get(String(item.id ?? ''));
    if (!list) return sim.ok([], [sim.failItem(item, 'err_folder_not_found', 'The group was not found', 'id')]);
    const g = groups(sim).get(String(item.id))!;
    return sim.page(req, list, (page) => [{ group: { id: g.id, description: g.description, source: g.source }, groupMembers: page }]);
  },
  'POST /api/directory/add-group-member': memberRoute(true),
  'POST /api/directory/remove-group-member': memberRoute(false),
  'POST /api/directory/create-group': groupRoute(createGroup),
  'POST /api/directory/update-group': groupRoute(updateGroup),
});
