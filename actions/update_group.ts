import { defineAction, plural } from '../src/runtime/action.js';
import { UpdateGroupRoutes } from '../src/generated/routes.js';
import type { UpdateGroupInput, UpdateGroupOutput } from '../src/generated/types.js';

export default defineAction<UpdateGroupInput, UpdateGroupOutput>(async (input, { client }) => {
  const updated = await client.items<UpdateGroupOutput[number]>(UpdateGroupRoutes.updateGroup, input.groups_information);
  return { data: updated, summary: `Updated ${plural(updated.length, 'profile group')}.` };
});
