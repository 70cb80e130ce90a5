import { defineAction, deletedFlag, plural, policyIds } from '../src/runtime/action.js';
import { DeletePolicyWithTargetsRoutes } from '../src/generated/routes.js';
import type { DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput } from '../src/generated/types.js';

type Deleted = DeletePolicyWithTargetsOutput[number];

export default defineAction<DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput>(async (input, { client }) => {
  // One data item per ID; a repeated ID is sent once.
  const ids = policyIds(input.id);
  const deleted = await client.items<Deleted>(
    DeletePolicyWithTargetsRoutes.deletePolicyWithTargets,
    ids.map((id) => ({ id })),
    // Mimecast answers deleted: true/false per ID; a false is a failure of that ID.
    { explode: deletedFlag<Deleted>('policy') },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'Web Security policy', 'Web Security policies')}.` };
});
