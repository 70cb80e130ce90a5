import { defineAction, getPolicies, plural } from '../src/runtime/action.js';
import { GetBlockedSenderPoliciesRoutes } from '../src/generated/routes.js';
import type { GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput } from '../src/generated/types.js';

export default defineAction<GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput>(async (input, { client }) => {
  const rows = await getPolicies<GetBlockedSenderPoliciesOutput[number]>(client, GetBlockedSenderPoliciesRoutes.getPolicy, input.policy_ids);
  return { data: rows, summary: `Found ${plural(rows.length, 'blocked-sender policy', 'blocked-sender policies')}.` };
});
