/** Undo of Create Policy with Targets: delete the policy by the id Mimecast returned. */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreatePolicyWithTargetsInput } from '../src/generated/types.js';

export default defineUndo<CreatePolicyWithTargetsInput>({
  plan: ({ succeeded }) => {
    const ids = idsOf(succeeded);
    return ids.length ? [{ action: 'delete_policy_with_targets', input: { id: ids } }] : [];
  },
});
