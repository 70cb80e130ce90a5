/**
 * Undo of Update Address Alteration Policy: the policy is updated back to its before-image (Get
 * Address Alteration Policy, read just before the update): its set and every scope key it had. A
 * key the update added that the policy did not have before is not removed.
 */
import { defineUndo } from '../src/journal/types.js';
import { missingNote, readById, scopeOf } from '../src/journal/builders.js';
import type { UpdateAddressAlterationPolicyInput } from '../src/generated/types.js';

export default defineUndo<UpdateAddressAlterationPolicyInput>({
  before: (input, read) => readById(read, 'get_address_alteration_policy', { policy_id: [input.id] }),
  plan: ({ input, succeeded, before }) => {
    if (!succeeded.length) return [];
    const image = ((before ?? {}) as Record<string, Record<string, unknown>>)[input.id];
    const steps = image
      ? [
          {
            action: 'update_address_alteration_policy',
            input: {
              id: input.id,
              address_alteration_set_id: image.addressAlterationSetId,
              policy: scopeOf(image.policy as Record<string, unknown>),
            },
          },
        ]
      : [];
    return {
      action: 'update_address_alteration_policy',
      steps,
      undo_note: missingNote(image ? [] : [input.id], 'The policy is updated back to its before-image; a key the update added is not removed.'),
    };
  },
});
