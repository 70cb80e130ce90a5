import { defineAction, plural } from '../src/runtime/action.js';
import type { CreateManagedUrlInput, CreateManagedUrlOutput } from '../src/generated/types.js';

export default defineAction<CreateManagedUrlInput, CreateManagedUrlOutput>(async (input, { client }) => {
  const created = await client.items<CreateManagedUrlOutput[number]>('/api/ttp/url/create-managed-url', input.url_information);
  const blocked = created.filter((u) => String(u.action).toLowerCase() === 'block').length;
  return {
    data: created,
    summary: `Created ${plural(created.length, 'managed URL entry', 'managed URL entries')} (${blocked} blocked, ${created.length - blocked} permitted).`,
  };
});
