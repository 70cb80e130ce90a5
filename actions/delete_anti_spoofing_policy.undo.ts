/**
 * Undo of Delete Anti-Spoofing Policy: each deleted policy is created again from its before-image
 * (Get Anti-Spoofing Policy, read just before the delete): option and scope. It gets a new id.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, missingNote, policyIds, readById, scopeOf } from '../src/journal/builders.js';
import type { DeleteAntiSpoofingPolicyInput } from '../src/generated/types.js';

export default defineUndo<DeleteAntiSpoofingPolicyInput>({
  before: (input, read) => readById(read, 'get_anti_spoofing_policy', { policy_ids: policyIds(input.policy_id) }),
  plan: ({ succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const deleted = idsOf(succeeded);
    const restorable = deleted.filter((id) => images[id]);
    return {
      action: 'create_anti_spoofing_policy',
      steps: restorable.length
        ? [
            {
              action: 'create_anti_spoofing_policy',
              input: {
                policy_information: restorable.map((id) => ({ option: images[id].option, policy: scopeOf(images[id].policy as Record<string, unknown>) })),
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
