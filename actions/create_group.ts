import { defineAction, plural } from '../src/runtime/action.js';
import { CreateGroupRoutes } from '../src/generated/routes.js';
import type { CreateGroupInput, CreateGroupOutput } from '../src/generated/types.js';

export default defineAction<CreateGroupInput, CreateGroupOutput>(async (input, { client }) => {
  const created = await client.items<CreateGroupOutput[number]>(CreateGroupRoutes.createGroup, input.groups_information);
  return { data: created, summary: `Created ${plural(created.length, 'profile group')}.` };
});
