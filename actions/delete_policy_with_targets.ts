import { defineAction, plural } from '../src/runtime/action.js';
import type { DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput } from '../src/generated/types.js';

export default defineAction<DeletePolicyWithTargetsInput, DeletePolicyWithTargetsOutput>(async (input, { client }) => {
  // One data item per ID; a repeated ID is sent once. Mimecast answers deleted: true/false per ID.
  const ids = [...new Set(input.id.map((v) => (typeof v === 'string' ? v : v.id)))];
  const deleted = await client.items<DeletePolicyWithTargetsOutput[number]>('/api/policy/webwhiteurl/delete-policy-with-targets', ids.map((id) => ({ id })), {
    successFlag: 'deleted',
  });
  return { data: deleted, summary: `Deleted ${plural(deleted.length, 'Web Security policy', 'Web Security policies')}.` };
});
