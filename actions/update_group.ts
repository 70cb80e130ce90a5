import { defineAction, plural } from '../src/runtime/action.js';
import type { UpdateGroupInput, UpdateGroupOutput } from '../src/generated/types.js';

export default defineAction<UpdateGroupInput, UpdateGroupOutput>(async (input, { client }) => {
  const updated = await client.items<UpdateGroupOutput[number]>('/api/directory/update-group', input.groups_information);
  return { data: updated, summary: `Updated ${plural(updated.length, 'profile group')}.` };
});
