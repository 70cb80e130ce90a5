import { ConnectorError, defineAction } from '../src/runtime/action.js';
import { checkPolicy, toMimecastPolicy } from '../src/runtime/policy.js';
import type { CreateBlockedSenderPolicyInput, CreateBlockedSenderPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateBlockedSenderPolicyInput, CreateBlockedSenderPolicyOutput>(async (input, { client }) => {
  checkPolicy(input.policy_information, 'policy_information');
  const env = await client.single('/api/policy/blockedsenders/create-policy', {
    option: input.policy_action,
    policy: toMimecastPolicy(input.policy_information),
  });
  const created = env.data?.[0] as CreateBlockedSenderPolicyOutput | undefined;
  if (!created) throw new ConnectorError('api_error', 'POST /api/policy/blockedsenders/create-policy: Mimecast answered without the created policy');
  return { data: created, summary: `Created blocked-sender policy ${created.id} (${created.option ?? input.policy_action}).` };
});
