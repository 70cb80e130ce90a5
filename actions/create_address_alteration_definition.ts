import { defineAction } from '../src/runtime/action.js';
import { CreateAddressAlterationDefinitionRoutes } from '../src/generated/routes.js';
import type { CreateAddressAlterationDefinitionInput, CreateAddressAlterationDefinitionOutput } from '../src/generated/types.js';

export default defineAction<CreateAddressAlterationDefinitionInput, CreateAddressAlterationDefinitionOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.folder_id !== undefined) item.folderId = input.folder_id;
  item.addressAlterations = [
    { originalAddress: input.original_address, newAddress: input.new_address, addressType: input.address_type, routing: input.routing },
  ];
  // items() for one item: it records Mimecast's success: false as a failure (single() would not look at the flag).
  const created = await client.items<CreateAddressAlterationDefinitionOutput[number]>(CreateAddressAlterationDefinitionRoutes.createDefinition, [item], {
    successFlag: 'success',
  });
  const where = input.folder_id === undefined ? 'at the root level' : 'in the address alteration set';
  return {
    data: created,
    summary: `Created the address alteration definition ${input.original_address} → ${input.new_address} (${input.address_type}, ${input.routing}) ${where}.`,
  };
});
