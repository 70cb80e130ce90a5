import { defineAction, plural } from '../src/runtime/action.js';
import { checkPolicy, toMimecastPolicy } from '../src/runtime/policy.js';
import type { CreateAntiSpoofingPolicyInput, CreateAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateAntiSpoofingPolicyInput, CreateAntiSpoofingPolicyOutput>(async (input, { client }) => {
  input.policy_information.forEach((item, i) => checkPolicy(item.policy, `policy_information[${i}].policy`));
  const items = input.policy_information.map((item) => ({ option: item.option, policy: toMimecastPolicy(item.policy) }));
  const created = await client.items<CreateAntiSpoofingPolicyOutput[number]>('/api/policy/antispoofing-bypass/create-policy', items);
  return { data: created, summary: `Created ${plural(created.length, 'anti-spoofing bypass policy', 'anti-spoofing bypass policies')}.` };
});
