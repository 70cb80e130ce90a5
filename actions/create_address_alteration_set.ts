import { ConnectorError, defineAction } from '../src/runtime/action.js';
import type { CreateAddressAlterationSetInput, CreateAddressAlterationSetOutput } from '../src/generated/types.js';

const PATH = '/api/policy/address-alteration/create-address-alteration-set';

export default defineAction<CreateAddressAlterationSetInput, CreateAddressAlterationSetOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = { description: input.description };
  if (input.parent_id !== undefined) item.parentId = input.parent_id;
  const env = await client.single(PATH, item);
  const set = env.data?.[0] as CreateAddressAlterationSetOutput | undefined;
  if (!set || typeof set !== 'object') {
    throw new ConnectorError('api_error', `POST ${PATH}: Mimecast reported success but returned no set`, {
      hint: 'Look for the set in the Administration Console (Gateway | Policies | Address Alteration) before creating it again.',
    });
  }
  const where = input.parent_id === undefined ? 'at the root level' : 'inside the parent set';
  return { data: set, summary: `Created address alteration set "${set.description ?? input.description}" ${where}.` };
});
