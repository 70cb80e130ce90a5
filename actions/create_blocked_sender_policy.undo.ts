/**
 * Undo of Create Blocked Sender Policy: API 2.0 has no delete for it, so the manifest's undo is
 * Nullify Blocked Sender Policy (an overriding no_action policy with the same scope) on the new id.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreateBlockedSenderPolicyInput } from '../src/generated/types.js';

export default defineUndo<CreateBlockedSenderPolicyInput>({
  plan: ({ succeeded }) => ({
    action: 'nullify_blocked_sender_policy',
    steps: idsOf(succeeded).map((policy_id) => ({ action: 'nullify_blocked_sender_policy', input: { policy_id } })),
    undo_note: 'The blocked-sender policy stays; an overriding no_action policy with the same scope cancels it.',
  }),
});
