import { checkPolicy, defineAction, toMimecastPolicy } from '../src/runtime/action.js';
import { CreateBlockedSenderPolicyRoutes } from '../src/generated/routes.js';
import type { CreateBlockedSenderPolicyInput, CreateBlockedSenderPolicyOutput } from '../src/generated/types.js';

export default defineAction<CreateBlockedSenderPolicyInput, CreateBlockedSenderPolicyOutput>(async (input, { client }) => {
  checkPolicy(input.policy_information, 'policy_information');
  const created = await client.one<CreateBlockedSenderPolicyOutput>(
    CreateBlockedSenderPolicyRoutes.createPolicy,
    { option: input.policy_action, policy: toMimecastPolicy(input.policy_information) },
    { what: 'policy', hint: 'List the policies with Get Blocked Sender Policies before creating it again.' },
  );
  return { data: created, summary: `Created blocked-sender policy ${created.id} (${created.option ?? input.policy_action}).` };
});
