import { defineAction, plural } from '../src/runtime/action.js';
import { CreateManagedUrlRoutes } from '../src/generated/routes.js';
import type { CreateManagedUrlInput, CreateManagedUrlOutput } from '../src/generated/types.js';

export default defineAction<CreateManagedUrlInput, CreateManagedUrlOutput>(async (input, { client }) => {
  const created = await client.items<CreateManagedUrlOutput[number]>(CreateManagedUrlRoutes.createManagedUrl, input.url_information);
  const blocked = created.filter((u) => String(u.action).toLowerCase() === 'block').length;
  return {
    data: created,
    summary: `Created ${plural(created.length, 'managed URL entry', 'managed URL entries')} (${blocked} blocked, ${created.length - blocked} permitted).`,
  };
});
