/**
 * /api/policy/blockedsenders/* — blocked-sender policies (stateful: a created policy is found by
 * get-policy; a create-policy item with an id updates that policy, as the legacy API does).
 * Seeded with the policies the seed's examples name (Get Blocked Sender Policies, Nullify Blocked
 * Sender Policy, the Generic Action); the stored shape follows
 * fixtures/api-policy-antispoofing-bypass-create-policy.json.
 */
import { checkCreate, getPolicies, notFound, storedPolicy, type Json, type StoredPolicy } from '../policy.js';
import { defineRoutes, defineState, type FailEntry, type SimContext } from '../types.js';

export const BLOCKED_SENDER_OPTIONS = ['block_sender', 'no_action'] as const;

/** The seed's Get Blocked Sender Policies example (and the Generic Action's). */
export const SEEDED_BLOCK_DOMAIN_ID =
  'eNo1jk0LgjAAQP_LrgZtU6cGHcwKpmFFKRpdbC618iN1mkT_PTt0f4_33qDhTNQ8i8EM6GbveEQS8gkZ25cJIy1hVlL0yy70TUw2xEtd_zz13KWlr--q-tzH0kqTctugaaCdp4kdOHKHST8MMMpTeSdYQWGjGbsQrmz34EY-tW_hRVyjls7BBFTlI2PDr42RouIJYKJpy5zXrIz5OGR5hwUyEcQKGemO101WFmCG_uZxqDgdbQShAj9fpGo_lQ';
/** The seed's Nullify Blocked Sender Policy example. */
export const SEEDED_BLOCK_SENDER_ID =
  'eNo1js0KgkAYAN9lrwZ-q-Zm0MGsaM2WojSFLrauaeVPmopE754dus8w80a14E0l0ghNkcMA9vNTFGtbX7DSW5caNbu8W7SBZyq6o7sJ886yyxbWZHUfj5_7SFoSKbMNmvjkLF9tf6O2it71PYRZou4anlOoibELYGmzAws9at-CSxOHLzpDI1QWj5T3v7aCCSEjxJv6VWSi4kUkhiHLPcyxiUHR9IFuRVWnRY6m-G8e-1LQwcYAGny-230_6w';

export const blockedSenderPolicies = defineState('policy.blockedsenders', (): Map<string, StoredPolicy> => {
  const seeded: StoredPolicy[] = [
    {
      id: SEEDED_BLOCK_DOMAIN_ID,
      option: 'block_sender',
      policy: {
        description: 'Block known phishing domain',
        fromPart: 'both',
        from: { type: 'email_domain', emailDomain: 'malicious-login-3.example.net' },
        to: { type: 'everyone' },
        fromType: 'email_domain',
        fromValue: 'malicious-login-3.example.net',
        toType: 'everyone',
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
        fromEternal: true,
        toEternal: true,
        override: false,
        bidirectional: false,
        conditions: {},
        enabled: true,
        enforced: false,
        createTime: '2024-05-26T14:39:13+0000',
        lastUpdated: '2024-05-26T14:39:13+0000',
      },
    },
    {
      id: SEEDED_BLOCK_SENDER_ID,
      option: 'block_sender',
      policy: {
        description: 'Block a spoofed payroll sender',
        fromPart: 'envelope_from',
        from: { type: 'individual_email_address', emailAddress: 'payroll-update@malicious-login-3.example.net' },
        to: { type: 'internal_addresses' },
        fromType: 'individual_email_address',
        fromValue: 'payroll-update@malicious-login-3.example.net',
        toType: 'internal_addresses',
        fromDate: '2024-05-25T14:39:12+0000',
        toDate: '2100-01-01T23:59:59+0000',
        toEternal: true,
        override: false,
        bidirectional: false,
        conditions: { sourceIPs: ['203.0.113.0/24'] },
        enabled: true,
        enforced: false,
        createTime: '2024-05-25T14:39:13+0000',
        lastUpdated: '2024-05-25T14:39:13+0000',
      },
    },
  ];
  return new Map(seeded.map((p) => [p.id, p]));
});

/** create-policy: a new policy, or (item with an id) a replacement of that policy's option and keys. */
function createPolicy(sim: SimContext, item: Json): { data?: StoredPolicy; fail?: FailEntry } {
  const policies = blockedSenderPolicies(sim);
  const previous = item.id === undefined ? undefined : policies.get(String(item.id));
  if (item.id !== undefined && !previous) return { fail: notFound(sim, item) };
  const fail = checkCreate(sim, item, BLOCKED_SENDER_OPTIONS);
  if (fail) return { fail };
  const stored: StoredPolicy = {
    id: previous?.id ?? sim.newId('eNo1jk0L'),
    option: String(item.option),
    policy: storedPolicy(item.policy as Json, sim.now(), previous?.policy),
  };
  policies.set(stored.id, stored);
  return { data: stored };
}

export default defineRoutes({
  'POST /api/policy/blockedsenders/get-policy': (req, sim) => getPolicies(sim, sim.items(req), blockedSenderPolicies(sim)),
  'POST /api/policy/blockedsenders/create-policy': (req, sim) => {
    const data: StoredPolicy[] = [];
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      const r = createPolicy(sim, item);
      if (r.fail) fail.push(r.fail);
      else data.push(r.data!);
    }
    return sim.ok(data, fail);
  },
});
