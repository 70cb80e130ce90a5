import { checkPolicy, defineAction, inputError, toMimecastPolicy } from '../src/runtime/action.js';
import { UpdateAntiSpoofingPolicyRoutes } from '../src/generated/routes.js';
import type { UpdateAntiSpoofingPolicyInput, UpdateAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<UpdateAntiSpoofingPolicyInput, UpdateAntiSpoofingPolicyOutput>(async (input, { client }) => {
  checkPolicy(input.policy, 'policy');
  const policy = toMimecastPolicy(input.policy);
  if (Object.keys(policy).length === 0) throw inputError('policy', 'must hold at least one key to change (for example comment or enabled)');
  const updated = await client.one<UpdateAntiSpoofingPolicyOutput>(
    UpdateAntiSpoofingPolicyRoutes.updatePolicy,
    { id: input.id, option: input.option, policy },
    { what: 'policy', hint: 'Read the policy with Get Anti-Spoofing Policy to see whether the update was applied.' },
  );
  return { data: updated, summary: `Updated anti-spoofing bypass policy ${updated.id} (${updated.option ?? input.option}).` };
});
