import { ConnectorError, defineAction } from '../src/runtime/action.js';
import { policyScope, toMimecastPolicy } from '../src/runtime/policy.js';
import type { NullifyBlockedSenderPolicyInput, NullifyBlockedSenderPolicyOutput } from '../src/generated/types.js';

type PolicyRecord = NullifyBlockedSenderPolicyOutput['override_policy'];

export default defineAction<NullifyBlockedSenderPolicyInput, NullifyBlockedSenderPolicyOutput>(async (input, { client }) => {
  const id = input.policy_id;
  const read = await client.single('/api/policy/blockedsenders/get-policy', { id });
  const original = read.data?.[0] as PolicyRecord | undefined;
  if (!original && client.dryRun) {
    throw new ConnectorError(
      'api_error',
      `the create-policy call (option no_action, policy.override true) copies the scope of the policy get-policy returns for ${id}`,
    );
  }
  if (!original) {
    throw new ConnectorError('not_found', `Blocked-sender policy ${id} was not found; nothing was created`, {
      hint: 'List the policies with Get Blocked Sender Policies and copy the whole ID.',
    });
  }
  // The same scope, with no action, overriding the original (which is left as it is).
  const env = await client.single('/api/policy/blockedsenders/create-policy', {
    option: 'no_action',
    policy: toMimecastPolicy({ ...policyScope(original.policy), override: true }),
  });
  const created = env.data?.[0] as PolicyRecord | undefined;
  if (!created) throw new ConnectorError('api_error', 'POST /api/policy/blockedsenders/create-policy: Mimecast answered without the created policy');
  return {
    data: { original_policy_id: id, override_policy_id: created.id, override_policy: created },
    summary: `Nullified blocked-sender policy ${id}: override policy ${created.id} (no_action) now applies to the same senders and recipients.`,
  };
});
