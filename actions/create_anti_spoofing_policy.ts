import { checkPolicy, defineAction, plural, toMimecastPolicy } from '../src/runtime/action.js';
import { CreateAntiSpoofingPolicyRoutes } from '../src/generated/routes.js';
import type { CreateAntiSpoofingPolicyInput, CreateAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateAntiSpoofingPolicyInput, CreateAntiSpoofingPolicyOutput>(async (input, { client }) => {
  input.policy_information.forEach((item, i) => checkPolicy(item.policy, `policy_information[${i}].policy`));
  const items = input.policy_information.map((item) => ({ option: item.option, policy: toMimecastPolicy(item.policy) }));
  const created = await client.items<CreateAntiSpoofingPolicyOutput[number]>(CreateAntiSpoofingPolicyRoutes.createPolicy, items);
  return { data: created, summary: `Created ${plural(created.length, 'anti-spoofing bypass policy', 'anti-spoofing bypass policies')}.` };
});
