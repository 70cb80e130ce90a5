import { defineAction } from '../src/runtime/action.js';
import { CreateAddressAlterationSetRoutes } from '../src/generated/routes.js';
import type { CreateAddressAlterationSetInput, CreateAddressAlterationSetOutput } from '../src/generated/types.js';

export default defineAction<CreateAddressAlterationSetInput, CreateAddressAlterationSetOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = { description: input.description };
  if (input.parent_id !== undefined) item.parentId = input.parent_id;
  const set = await client.one<CreateAddressAlterationSetOutput>(CreateAddressAlterationSetRoutes.createAddressAlterationSet, item, {
    what: 'set',
    hint: 'Look for the set in the Administration Console (Gateway | Policies | Address Alteration) before creating it again.',
  });
  const where = input.parent_id === undefined ? 'at the root level' : 'inside the parent set';
  return { data: set, summary: `Created address alteration set "${set.description ?? input.description}" ${where}.` };
});
