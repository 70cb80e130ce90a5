import { ConnectorError, defineAction, inputError } from '../src/runtime/action.js';
import { checkPolicy, toMimecastPolicy } from '../src/runtime/policy.js';
import type { UpdateAntiSpoofingPolicyInput, UpdateAntiSpoofingPolicyOutput } from '../src/generated/types.js';

export default defineAction<UpdateAntiSpoofingPolicyInput, UpdateAntiSpoofingPolicyOutput>(async (input, { client }) => {
  checkPolicy(input.policy, 'policy');
  const policy = toMimecastPolicy(input.policy);
  if (Object.keys(policy).length === 0) throw inputError('policy', 'must hold at least one key to change (for example comment or enabled)');
  const env = await client.single('/api/policy/antispoofing-bypass/update-policy', { id: input.id, option: input.option, policy });
  const updated = env.data?.[0] as UpdateAntiSpoofingPolicyOutput | undefined;
  if (!updated) throw new ConnectorError('api_error', 'POST /api/policy/antispoofing-bypass/update-policy: Mimecast answered without the updated policy');
  return { data: updated, summary: `Updated anti-spoofing bypass policy ${updated.id} (${updated.option ?? input.option}).` };
});
