import { defineAction, deletedFlag, plural, policyIds } from '../src/runtime/action.js';
import { DeleteAntiSpoofingPolicyRoutes } from '../src/generated/routes.js';
import type { DeleteAntiSpoofingPolicyInput, DeleteAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<DeleteAntiSpoofingPolicyInput, DeleteAntiSpoofingPolicyOutput>(async (input, { client }) => {
  const ids = policyIds(input.policy_id);
  const deleted = await client.items<DeleteAntiSpoofingPolicyOutput[number]>(
    DeleteAntiSpoofingPolicyRoutes.deletePolicy,
    ids.map((id) => ({ id })),
    // Mimecast answers {id, deleted} per ID: deleted false is a failure of that ID.
    { explode: deletedFlag<DeleteAntiSpoofingPolicyOutput[number]>('policy') },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'anti-spoofing bypass policy', 'anti-spoofing bypass policies')}.` };
});
