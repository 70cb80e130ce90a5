import { checkPolicy, defineAction, inputError, toMimecastPolicy } from '../src/runtime/action.js';
import { UpdateAddressAlterationPolicyRoutes } from '../src/generated/routes.js';
import type { UpdateAddressAlterationPolicyInput, UpdateAddressAlterationPolicyOutput } from '../src/generated/types.js';

export default defineAction<UpdateAddressAlterationPolicyInput, UpdateAddressAlterationPolicyOutput>(async (input, { client }) => {
  checkPolicy(input.policy, 'policy', 'address_alteration');
  const policy = toMimecastPolicy(input.policy);
  if (Object.keys(policy).length === 0) {
    throw inputError(
      'policy',
      'must have at least one key to update (allowed: bidirectional, comment, conditions, description, enabled, enforced, from, fromDate, fromEternal, fromPart, override, to, toDate, toEternal)',
    );
  }
  const item: Record<string, unknown> = { id: input.id };
  if (input.address_alteration_set_id !== undefined) item.addressAlterationSetId = input.address_alteration_set_id;
  item.policy = policy;
  const updated = await client.one<UpdateAddressAlterationPolicyOutput>(UpdateAddressAlterationPolicyRoutes.updatePolicy, item, {
    what: 'policy',
    hint: 'Read the policy with Get Address Alteration Policy to see whether the update was applied.',
  });
  return { data: updated, summary: `Updated address alteration policy ${shortId(input.id)}: ${Object.keys(policy).join(', ')}.` };
});

/** The first characters of a ~250-character Mimecast ID, enough to tell policies apart in a summary. */
function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 16)}…` : id;
}
