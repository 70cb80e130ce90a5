/**
 * /api/policy/antispoofing-bypass/* — anti-spoofing SPF-based bypass policies (stateful: a created
 * policy is found by get-policy, an updated one reads back changed, a deleted one is
 * err_policy_not_found; delete answers {id, deleted}). create-policy takes at most 50 items per call and delete-policy 500.
 * Seeded from fixtures/api-policy-antispoofing-bypass-create-policy.json and with the policies
 * the seed's examples name (Get, Update and Delete Anti-Spoofing Policy).
 */
import fixture from '../fixtures/api-policy-antispoofing-bypass-create-policy.json' with { type: 'json' };
import { checkCreate, checkUpdate, getPolicies, notFound, storedPolicy, type Json, type StoredPolicy } from '../policy.js';
import { CALL_CAPS } from '../caps.js';
import { defineRoutes, defineState, type FailEntry, type SimContext } from '../types.js';

export const ANTI_SPOOFING_OPTIONS = ['disable_bypass', 'enable_bypass'] as const;
/** The per-call caps (caps.ts), named for the tests of the actions that split by them. */
export const MAX_CREATE = CALL_CAPS['POST /api/policy/antispoofing-bypass/create-policy'];
export const MAX_DELETE = CALL_CAPS['POST /api/policy/antispoofing-bypass/delete-policy'];

/** The seed's Get Anti-Spoofing Policy example. */
export const SEEDED_GET_ID =
  'eNo1jk0LgjAAQP_LrgVuq2YFHeyTzRpJTRK82FxppZZLbUT_PTt0f4_33kArWZUqjcEYbG6CoesehRZujHBfK6259ry8mdeB72CyJiLhfmgJPp8Nl9fB4OHFnYXdydiIJgc7tM7s4PZqTBpjYJQlvW0lcwq1PdoGcMH4jkc-ZZfgWJ2iJ52ALrgXt1SaXxwju0-6QFb6WWSqlEWs2qOZ2E2RgyDuk5auVanTIgdj9Df35q5oayMIIfp8AYFTQMU';
/** The seed's Update and Delete Anti-Spoofing Policy examples. */
export const SEEDED_UPDATE_ID =
  'eNo1jk0LgjAAQP_LrgVuM10GHSoNZjEUUxK82Fxp5UfzixH99-zQ_T3ee4NW8F6KIgMrYJ08wzk8ZXwbmOIL5uu2LMZqtIc42mDzaIY5ixItZPZuuX8YxsvPZg6Zla5F8zNJtJt7PugDNkelYFrmutfzisKWWF4MHZcFLI2oe48v_TXt6BrMQVM_C65-bYwIwXPA-7arSyF5nYlpaBcGW7RBEC_MiR6EbIu6Aiv0N0-qEXSyEYQQfb4_I0By';

export const antiSpoofingPolicies = defineState('policy.antispoofing', (): Map<string, StoredPolicy> => {
  const captured = fixture.data[0] as StoredPolicy;
  const seeded: StoredPolicy[] = [
    structuredClone(captured),
    { ...structuredClone(captured), id: SEEDED_GET_ID },
    {
      id: SEEDED_UPDATE_ID,
      option: 'disable_bypass',
      policy: {
        description: 'Partner relay SPF bypass',
        fromPart: 'envelope_from',
        from: { type: 'email_domain', emailDomain: 'partner-relay.example.org' },
        to: { type: 'everyone' },
        fromType: 'email_domain',
        fromValue: 'partner-relay.example.org',
        toType: 'everyone',
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
        fromEternal: true,
        toEternal: true,
        override: false,
        bidirectional: false,
        conditions: { spfDomains: ['partner-relay.example.org'] },
        enabled: true,
        enforced: false,
        createTime: '2024-06-02T09:12:44+0000',
        lastUpdated: '2024-06-02T09:12:44+0000',
      },
    },
  ];
  return new Map(seeded.map((p) => [p.id, p]));
});

type Result = { data?: unknown; fail?: FailEntry };

function each(sim: SimContext, items: Json[], op: (item: Json) => Result) {
  const data: unknown[] = [];
  const fail: FailEntry[] = [];
  for (const item of items) {
    const r = op(item);
    if (r.fail) fail.push(r.fail);
    else data.push(r.data);
  }
  return sim.ok(data, fail);
}

export default defineRoutes({
  // Without an ID the list is paged (meta.pagination, next) as the 1.0 page documents; by ID as the other families.
  'POST /api/policy/antispoofing-bypass/get-policy': (req, sim) => {
    const items = sim.items(req);
    const listing = items.length === 0 || (items.length === 1 && (items[0].id === undefined || items[0].id === ''));
    return listing ? sim.page(req, [...antiSpoofingPolicies(sim).values()]) : getPolicies(sim, items, antiSpoofingPolicies(sim));
  },

  'POST /api/policy/antispoofing-bypass/create-policy': (req, sim) => {
    const items = sim.items(req);
    return each(sim, items, (item) => {
      const fail = checkCreate(sim, item, ANTI_SPOOFING_OPTIONS);
      if (fail) return { fail };
      const stored: StoredPolicy = { id: sim.newId('eNo1jr0O'), option: String(item.option), policy: storedPolicy(item.policy as Json, sim.now()) };
      antiSpoofingPolicies(sim).set(stored.id, stored);
      return { data: stored };
    });
  },

  'POST /api/policy/antispoofing-bypass/update-policy': (req, sim) =>
    each(sim, sim.items(req), (item) => {
      const policies = antiSpoofingPolicies(sim);
      const previous = policies.get(String(item.id ?? ''));
      if (!previous) return { fail: notFound(sim, item) };
      const fail = checkUpdate(sim, item, ANTI_SPOOFING_OPTIONS);
      if (fail) return { fail };
      const stored: StoredPolicy = { id: previous.id, option: String(item.option), policy: storedPolicy(item.policy as Json, sim.now(), previous.policy) };
      policies.set(stored.id, stored);
      return { data: stored };
    }),

  'POST /api/policy/antispoofing-bypass/delete-policy': (req, sim) => {
    const items = sim.items(req);
    return each(sim, items, (item) => {
      const id = String(item.id ?? '');
      if (!antiSpoofingPolicies(sim).delete(id)) return { fail: notFound(sim, item) };
      // 2.0 answers {id, deleted} per ID, like the address alteration delete (mimecast-api.md §8).
      return { data: { id, deleted: true } };
    });
  },
});
