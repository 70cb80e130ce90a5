import { defineAction, policyScope, toMimecastPolicy } from '../src/runtime/action.js';
import { NullifyBlockedSenderPolicyRoutes } from '../src/generated/routes.js';
import type { NullifyBlockedSenderPolicyInput, NullifyBlockedSenderPolicyOutput } from '../src/generated/types.js';

type PolicyRecord = NullifyBlockedSenderPolicyOutput['override_policy'];

export default defineAction<NullifyBlockedSenderPolicyInput, NullifyBlockedSenderPolicyOutput>(async (input, { client }) => {
  const id = input.policy_id;
  const original = await client.one<PolicyRecord>(
    NullifyBlockedSenderPolicyRoutes.getPolicy,
    { id },
    {
      what: 'blocked-sender policy',
      missing: 'not_found',
      hint: 'List the policies with Get Blocked Sender Policies and copy the whole ID; nothing was created.',
      dryRun: `the create-policy call (option no_action, policy.override true) copies the scope of the policy get-policy returns for ${id}`,
    },
  );
  // The same scope, with no action, overriding the original (which is left as it is).
  const created = await client.one<PolicyRecord>(
    NullifyBlockedSenderPolicyRoutes.createPolicy,
    { option: 'no_action', policy: toMimecastPolicy({ ...policyScope(original.policy), override: true }) },
    { what: 'policy', hint: 'List the policies with Get Blocked Sender Policies to see whether the override was created before running it again.' },
  );
  return {
    data: { original_policy_id: id, override_policy_id: created.id, override_policy: created },
    summary: `Nullified blocked-sender policy ${id}: override policy ${created.id} (no_action) now applies to the same senders and recipients.`,
  };
});
