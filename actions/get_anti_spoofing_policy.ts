import { defineAction, plural } from '../src/runtime/action.js';
import { getPolicies } from '../src/runtime/policy.js';
import type { GetAntiSpoofingPolicyInput, GetAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<GetAntiSpoofingPolicyInput, GetAntiSpoofingPolicyOutput>(async (input, { client }) => {
  const rows = await getPolicies<GetAntiSpoofingPolicyOutput[number]>(client, '/api/policy/antispoofing-bypass/get-policy', input.policy_ids);
  return { data: rows, summary: `Found ${plural(rows.length, 'anti-spoofing bypass policy', 'anti-spoofing bypass policies')}.` };
});
