import { defineAction, plural, rowsAt } from '../src/runtime/action.js';
import { GetAddressAlterationDefinitionRoutes } from '../src/generated/routes.js';
import type { GetAddressAlterationDefinitionInput, GetAddressAlterationDefinitionOutput } from '../src/generated/types.js';

export default defineAction<GetAddressAlterationDefinitionInput, GetAddressAlterationDefinitionOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.folder_id !== undefined) item.folderId = input.folder_id;
  if (input.original_address !== undefined) item.originalAddress = input.original_address;
  if (input.new_address !== undefined) item.newAddress = input.new_address;
  if (input.routing !== undefined) item.routing = input.routing;
  const env = await client.single(GetAddressAlterationDefinitionRoutes.getDefinition, item);
  const rows = rowsAt(env, 'items') as GetAddressAlterationDefinitionOutput;
  return { data: rows, summary: `Found ${plural(rows.length, 'address alteration definition')}.` };
});
