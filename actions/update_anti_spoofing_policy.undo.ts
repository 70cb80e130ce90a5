/**
 * Undo of Update Anti-Spoofing Policy: the policy is updated back to its before-image (Get
 * Anti-Spoofing Policy, read just before the update): its option and every scope key it had. A key
 * the update added that the policy did not have before is not removed (Mimecast has no "unset").
 */
import { defineUndo } from '../src/journal/types.js';
import { missingNote, readById, scopeOf } from '../src/journal/builders.js';
import type { UpdateAntiSpoofingPolicyInput } from '../src/generated/types.js';

export default defineUndo<UpdateAntiSpoofingPolicyInput>({
  before: (input, read) => readById(read, 'get_anti_spoofing_policy', { policy_ids: [input.id] }),
  plan: ({ input, succeeded, before }) => {
    if (!succeeded.length) return [];
    const image = ((before ?? {}) as Record<string, Record<string, unknown>>)[input.id];
    const steps = image
      ? [{ action: 'update_anti_spoofing_policy', input: { id: input.id, option: image.option, policy: scopeOf(image.policy as Record<string, unknown>) } }]
      : [];
    return {
      action: 'update_anti_spoofing_policy',
      steps,
      undo_note: missingNote(image ? [] : [input.id], 'The policy is updated back to its before-image; a key the update added is not removed.'),
    };
  },
});
