import { defineAction } from '../src/runtime/action.js';
import { DeleteAddressAlterationDefinitionRoutes } from '../src/generated/routes.js';
import type { DeleteAddressAlterationDefinitionInput, DeleteAddressAlterationDefinitionOutput } from '../src/generated/types.js';

export default defineAction<DeleteAddressAlterationDefinitionInput, DeleteAddressAlterationDefinitionOutput>(async (input, { client }) => {
  // items() for one item: it records Mimecast's success: false as a failure (single() would not look at the flag).
  const deleted = await client.items<DeleteAddressAlterationDefinitionOutput[number]>(
    DeleteAddressAlterationDefinitionRoutes.deleteDefinition,
    [{ id: input.id }],
    {
      successFlag: 'success',
    },
  );
  return { data: deleted, summary: 'Deleted the address alteration definition.' };
});
