import { defineAction } from '../src/runtime/action.js';
import { ConnectorError } from '../src/runtime/errors.js';
import { checkPolicy, toMimecastPolicy, type PolicyInput } from '../src/runtime/policy.js';
import type { UpdateAddressAlterationPolicyInput, UpdateAddressAlterationPolicyOutput } from '../src/generated/types.js';

const PATH = '/api/policy/address-alteration/update-policy';

export default defineAction<UpdateAddressAlterationPolicyInput, UpdateAddressAlterationPolicyOutput>(async (input, { client }) => {
  const policy = input.policy as PolicyInput;
  checkPolicy(policy, 'policy');
  const item: Record<string, unknown> = { id: input.id };
  if (input.address_alteration_set_id !== undefined) item.addressAlterationSetId = input.address_alteration_set_id;
  item.policy = toMimecastPolicy(policy);
  const env = await client.single(PATH, item);
  const updated = env.data?.[0] as UpdateAddressAlterationPolicyOutput | undefined;
  if (!updated || typeof updated !== 'object') {
    throw new ConnectorError('api_error', `POST ${PATH}: Mimecast reported success but returned no policy`, {
      hint: 'Read the policy with Get Address Alteration Policy to see whether the update was applied.',
    });
  }
  const keys = Object.keys(item.policy as object).join(', ');
  return { data: updated, summary: `Updated address alteration policy ${shortId(input.id)} (${keys}).` };
});

/** The first characters of a ~250-character Mimecast ID, enough to tell policies apart in a summary. */
function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 16)}…` : id;
}
