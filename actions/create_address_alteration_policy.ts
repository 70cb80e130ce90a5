import { checkPolicy, defineAction, plural, toMimecastPolicy } from '../src/runtime/action.js';
import { CreateAddressAlterationPolicyRoutes } from '../src/generated/routes.js';
import type { CreateAddressAlterationPolicyInput, CreateAddressAlterationPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateAddressAlterationPolicyInput, CreateAddressAlterationPolicyOutput>(async (input, { client }) => {
  // Every policy is checked before the first call: one bad policy sends nothing.
  const items = input.policy_information.map((entry, i) => {
    checkPolicy(entry.policy, `policy_information[${i}].policy`, 'address_alteration');
    return { addressAlterationSetId: entry.addressAlterationSetId, policy: toMimecastPolicy(entry.policy) };
  });
  const created = await client.items<CreateAddressAlterationPolicyOutput[number]>(CreateAddressAlterationPolicyRoutes.createPolicy, items);
  return { data: created, summary: `Created ${plural(created.length, 'address alteration policy', 'address alteration policies')}.` };
});
