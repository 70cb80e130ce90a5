/**
 * Undo of Update Policy with Targets: the policy is updated back to its before-image (Get Policy
 * with Targets, read just before the update): its description, every scope whole with its id, and
 * its URL list. An update replaces the whole list, so the old list is sent back whole; a policy
 * that had no URL before cannot be sent an empty list (the update then sends none), which the
 * plan's note says.
 */
import { defineUndo } from '../src/journal/types.js';
import { missingNote, restorePolicyInput } from '../src/journal/builders.js';
import type { UpdatePolicyWithTargetsInput } from '../src/generated/types.js';

export default defineUndo<UpdatePolicyWithTargetsInput>({
  async before(input, read) {
    const r = await read('get_policy_with_targets', { id: input.id });
    // A policy that cannot be read will fail its update too, or cannot be restored: the plan says so.
    if (r.status === 'failed') throw new Error(`get_policy_with_targets: ${r.error?.message ?? 'failed'}`);
    return r.data;
  },
  plan: ({ input, succeeded, before }) => {
    if (!succeeded.length) return [];
    const image =
      before && typeof before === 'object' && Array.isArray((before as { policies?: unknown }).policies) ? (before as Record<string, unknown>) : undefined;
    const hadUrls = Array.isArray(image?.urls) && (image.urls as unknown[]).length > 0;
    const done =
      hadUrls || !input.urls
        ? 'The policy is updated back to its before-image: description, every scope, the whole URL list.'
        : 'The policy is updated back to its before-image (description, every scope); it had no URL before, so the URLs the update set stay: remove them by hand.';
    return {
      action: 'update_policy_with_targets',
      steps: image ? [{ action: 'update_policy_with_targets', input: restorePolicyInput(input.id, image) }] : [],
      undo_note: missingNote(image ? [] : [input.id], done),
    };
  },
});
