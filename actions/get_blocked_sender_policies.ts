import { defineAction, plural } from '../src/runtime/action.js';
import { getPolicies } from '../src/runtime/policy.js';
import type { GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput } from '../src/generated/types.js';

export default defineAction<GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput>(async (input, { client }) => {
  const rows = await getPolicies<GetBlockedSenderPoliciesOutput[number]>(client, '/api/policy/blockedsenders/get-policy', input.policy_ids);
  return { data: rows, summary: `Found ${plural(rows.length, 'blocked-sender policy', 'blocked-sender policies')}.` };
});
