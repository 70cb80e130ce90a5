/**
 * Undo of Delete Address Alteration Policy: each deleted policy is created again in its set from
 * its before-image (Get Address Alteration Policy, read just before the delete). It gets a new id.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, missingNote, policyIds, readById, scopeOf } from '../src/journal/builders.js';
import type { DeleteAddressAlterationPolicyInput } from '../src/generated/types.js';

export default defineUndo<DeleteAddressAlterationPolicyInput>({
  before: (input, read) => readById(read, 'get_address_alteration_policy', { policy_id: policyIds(input.policy_id) }),
  plan: ({ succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const deleted = idsOf(succeeded);
    const restorable = deleted.filter((id) => images[id]);
    return {
      action: 'create_address_alteration_policy',
      steps: restorable.length
        ? [
            {
              action: 'create_address_alteration_policy',
              input: {
                policy_information: restorable.map((id) => ({
                  addressAlterationSetId: images[id].addressAlterationSetId,
                  policy: scopeOf(images[id].policy as Record<string, unknown>),
                })),
              },
            },
          ]
        : [],
      undo_note: missingNote(
        deleted.filter((id) => !images[id]),
        'Each policy is created again from its before-image; the new policy gets a new ID.',
      ),
    };
  },
});
