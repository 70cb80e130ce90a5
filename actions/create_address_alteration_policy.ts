import { defineAction, plural } from '../src/runtime/action.js';
import { checkPolicy, toMimecastPolicy } from '../src/runtime/policy.js';
import type { CreateAddressAlterationPolicyInput, CreateAddressAlterationPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateAddressAlterationPolicyInput, CreateAddressAlterationPolicyOutput>(async (input, { client }) => {
  // Every policy is checked before the first call: one bad policy sends nothing.
  const items = input.policy_information.map((entry, i) => {
    checkPolicy(entry.policy, `policy_information[${i}].policy`, 'address_alteration');
    return { addressAlterationSetId: entry.addressAlterationSetId, policy: toMimecastPolicy(entry.policy) };
  });
  const created = await client.items<CreateAddressAlterationPolicyOutput[number]>('/api/policy/address-alteration/create-policy', items);
  return { data: created, summary: `Created ${plural(created.length, 'address alteration policy', 'address alteration policies')}.` };
});
