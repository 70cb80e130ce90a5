/** Undo of Create Anti-Spoofing Policy: delete the policies Mimecast created, by their ids. */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreateAntiSpoofingPolicyInput } from '../src/generated/types.js';

export default defineUndo<CreateAntiSpoofingPolicyInput>({
  plan: ({ succeeded }) => {
    const ids = idsOf(succeeded);
    return ids.length ? [{ action: 'delete_anti_spoofing_policy', input: { policy_id: ids } }] : [];
  },
});
