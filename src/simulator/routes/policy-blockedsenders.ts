/** /api/policy/blockedsenders/* — blocked-sender policies (the Generic Action's seed example reads them). */
import { defineRoutes, type SimContext } from '../types.js';

export function blockedSenderPolicies(sim: SimContext): Map<string, Record<string, unknown>> {
  return sim.store('policy.blockedsenders', () => {
    const id = 'eNo1jk0LgjAAQP_LrgZtU6cGHcwKpmFFKRpdbC618iN1mkT_PTt0f4_33qDhTNQ8i8EM6GbveEQS8gkZ25cJIy1hVlL0yy70TUw2xEtd_zz13KWlr--q-tzH0kqTctugaaCdp4kdOHKHST8MMMpTeSdYQWGjGbsQrmz34EY-tW_hRVyjls7BBFTlI2PDr42RouIJYKJpy5zXrIz5OGR5hwUyEcQKGemO101WFmCG_uZxqDgdbQShAj9fpGo_lQ';
    return new Map([
      [id, {
        id,
        option: 'block_sender',
        policy: {
          description: 'Block known phishing domain',
          fromPart: 'both',
          from: { type: 'email_domain', emailDomain: 'malicious-login-3.example.net' },
          to: { type: 'everyone' },
          fromType: 'email_domain', fromValue: 'malicious-login-3.example.net', toType: 'everyone',
          fromDate: '1900-01-01T00:00:00+0000', toDate: '2100-01-01T23:59:59+0000', fromEternal: true, toEternal: true,
          override: false, bidirectional: false, conditions: {}, enabled: true, enforced: false,
          createTime: '2024-05-26T14:39:13+0000', lastUpdated: '2024-05-26T14:39:13+0000',
        },
      }],
    ]);
  });
}

export default defineRoutes({
  'POST /api/policy/blockedsenders/get-policy': (req, sim) => {
    const policies = blockedSenderPolicies(sim);
    const item = sim.items(req)[0];
    if (item?.id) {
      const p = policies.get(String(item.id));
      return p ? sim.ok([p]) : sim.ok([], [sim.failItem(item, 'err_policy_not_found', 'The policy was not found', 'id')]);
    }
    return sim.ok([...policies.values()]);
  },
});
