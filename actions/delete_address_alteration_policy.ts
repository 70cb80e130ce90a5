import { defineAction, plural, policyIds } from '../src/runtime/action.js';
import { DeleteAddressAlterationPolicyRoutes } from '../src/generated/routes.js';
import type { DeleteAddressAlterationPolicyInput, DeleteAddressAlterationPolicyOutput } from '../src/generated/types.js';

export default defineAction<DeleteAddressAlterationPolicyInput, DeleteAddressAlterationPolicyOutput>(async (input, { client }) => {
  // One data item per ID (a repeated ID is sent once); the client splits at the manifest's chunk_size.
  const ids = policyIds(input.policy_id);
  const deleted = await client.items<DeleteAddressAlterationPolicyOutput[number]>(
    DeleteAddressAlterationPolicyRoutes.deletePolicy,
    ids.map((id) => ({ id })),
    { successFlag: 'deleted' },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'address alteration policy', 'address alteration policies')} of ${ids.length}.` };
});
