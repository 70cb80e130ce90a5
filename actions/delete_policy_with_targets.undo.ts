/**
 * Undo of Delete Policy with Targets: each deleted policy is created again from its before-image
 * (Get Policy with Targets, read just before the delete): description, scopes and URL list. The
 * new policy gets a new id.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, policyIds, recreatePolicyInput } from '../src/journal/builders.js';
import type { DeletePolicyWithTargetsInput } from '../src/generated/types.js';

export default defineUndo<DeletePolicyWithTargetsInput>({
  async before(input, read) {
    const images: Record<string, unknown> = {};
    for (const id of policyIds(input.id)) {
      const r = await read('get_policy_with_targets', { id });
      // A policy that cannot be read will fail its delete too, or cannot be restored: the plan says so.
      if (r.status === 'success') images[id] = r.data;
    }
    return images;
  },
  plan: ({ succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const deleted = idsOf(succeeded);
    const missing = deleted.filter((id) => !images[id]);
    return {
      action: 'create_policy_with_targets',
      steps: deleted.filter((id) => images[id]).map((id) => ({ action: 'create_policy_with_targets', input: recreatePolicyInput(images[id]) })),
      undo_note: missing.length
        ? `No before-image of ${missing.join(', ')}: it was not read before the delete, so it cannot be restored.`
        : 'Each policy is created again from its before-image; the new policy gets a new ID.',
    };
  },
});
