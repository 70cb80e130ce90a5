import { defineAction, plural } from '../src/runtime/action.js';
import { deletedFlag, policyIds } from '../src/runtime/policy.js';
import type { DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput } from '../src/generated/types.js';

type Deleted = DeletePolicyWithTargetsOutput[number];

export default defineAction<DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput>(async (input, { client }) => {
  // One data item per ID; a repeated ID is sent once.
  const ids = policyIds(input.id);
  const deleted = await client.items<Deleted>(
    '/api/policy/webwhiteurl/delete-policy-with-targets',
    ids.map((id) => ({ id })),
    // Mimecast answers deleted: true/false per ID; a false is a failure of that ID.
    { explode: deletedFlag<Deleted>('policy') },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'Web Security policy', 'Web Security policies')}.` };
});
