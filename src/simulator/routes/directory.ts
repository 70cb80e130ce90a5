/**
 * /api/directory/* — profile groups and their members, stateful: a member added is listed by
 * get-group-members and can be removed; a duplicate add fails the way Mimecast fails it.
 * Seeded from fixtures/api-directory-find-groups.json.
 */
import findGroups from '../fixtures/api-directory-find-groups.json' with { type: 'json' };
import { defineRoutes, type SimContext } from '../types.js';

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

export function groups(sim: SimContext): Map<string, SimGroup> {
  return sim.store('directory.groups', () => new Map(findGroups.data[0].folders.map((g) => [g.id, { ...g }])));
}

export function members(sim: SimContext): Map<string, SimMember[]> {
  return sim.store('directory.members', () => {
    const m = new Map<string, SimMember[]>();
    for (const g of groups(sim).values()) {
      const list: SimMember[] = [];
      for (let i = 0; i < g.userCount; i++) list.push({ emailAddress: `user${i + 1}@${g.source === 'ldap' ? 'corp' : 'example'}.com`, name: `User ${i + 1}`, type: 'created_manually', internal: true });
      m.set(g.id, list);
    }
    return m;
  });
}

const INTERNAL_DOMAINS = ['example.com', 'corp.com', 'orgname.com'];

function memberOp(sim: SimContext, item: Record<string, unknown>, add: boolean) {
  const id = String(item.id ?? '');
  const group = groups(sim).get(id);
  if (!id) return { fail: sim.failItem(item, 'err_validation_blank', 'The id field must not be blank', 'id') };
  if (!group) return { fail: sim.failItem(item, 'err_folder_not_found', 'The group was not found', 'id') };
  const email = typeof item.emailAddress === 'string' ? item.emailAddress.toLowerCase() : undefined;
  const domain = typeof item.domain === 'string' ? item.domain.toLowerCase() : undefined;
  if (!email && !domain) return { fail: sim.failItem(item, 'err_validation_null', 'emailAddress or domain is required', 'emailAddress') };
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return { fail: sim.failItem(item, 'err_validation_invalid_email_address', 'The email address is not valid', 'emailAddress') };
  const list = members(sim).get(id)!;
  const idx = list.findIndex((m) => (email ? m.emailAddress === email : m.domain === domain));
  if (add && idx >= 0) return { fail: sim.failItem(item, 'err_folder_group_member_already_exists', 'Group member already exists', email ? 'emailAddress' : 'domain') };
  if (!add && idx < 0) return { fail: sim.failItem(item, 'err_folder_email_address_not_found', 'The member was not found in the group', email ? 'emailAddress' : 'domain') };
  const internal = INTERNAL_DOMAINS.includes((email?.split('@')[1] ?? domain) ?? '');
  if (add) {
    list.push({ ...(email ? { emailAddress: email } : { domain }), name: email ?? domain!, type: 'created_manually', internal, ...(typeof item.notes === 'string' ? { notes: item.notes } : {}) });
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
});
