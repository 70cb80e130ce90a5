import { defineAction, plural } from '../src/runtime/action.js';
import { policyIds } from '../src/runtime/policy.js';
import type { DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput } from '../src/generated/types.js';

type Deleted = DeletePolicyWithTargetsOutput[number];

export default defineAction<DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput>(async (input, { client }) => {
  // One data item per ID; a repeated ID is sent once.
  const ids = policyIds(input.id);
  const deleted = await client.items<Deleted>(
    '/api/policy/webwhiteurl/delete-policy-with-targets',
    ids.map((id) => ({ id })),
    {
      // Mimecast answers deleted: true/false per ID. A false is a failure keyed by {id}, like the
      // fail[] entries and the items of a call that failed outright (successFlag would key it by the answer).
      explode: (entry) =>
        entry.deleted === false
          ? { ok: [], failures: [{ code: 'deleted_failed', message: 'Mimecast answered deleted: false for this policy', key: { id: entry.id } }] }
          : { ok: [entry as Deleted], failures: [] },
    },
  );
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'Web Security policy', 'Web Security policies')}.` };
});
