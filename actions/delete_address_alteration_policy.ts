import { defineAction, plural } from '../src/runtime/action.js';
import { policyIds } from '../src/runtime/policy.js';
import type { DeleteAddressAlterationPolicyInput, DeleteAddressAlterationPolicyOutput } from '../src/generated/types.js';

export default defineAction<DeleteAddressAlterationPolicyInput, DeleteAddressAlterationPolicyOutput>(async (input, { client }) => {
  // One data item per ID (a repeated ID is sent once); the client splits at the manifest's chunk_size (500).
  const ids = policyIds(input.policy_id);
  const deleted = await client.items<DeleteAddressAlterationPolicyOutput[number]>(
    '/api/policy/address-alteration/delete-policy',
    ids.map((id) => ({ id })),
    { successFlag: 'deleted' },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'address alteration policy', 'address alteration policies')} of ${ids.length}.` };
});
