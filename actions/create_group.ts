import { defineAction, plural } from '../src/runtime/action.js';
import type { CreateGroupInput, CreateGroupOutput } from '../src/generated/types.js';

export default defineAction<CreateGroupInput, CreateGroupOutput>(async (input, { client, manifest }) => {
  const created = await client.legacy<CreateGroupOutput[number]>('/api/directory/create-group', input.groups_information, {
    readOnly: false,
    chunkSize: manifest.chunk_size,
  });
  return { data: created, summary: `Created ${plural(created.length, 'profile group')}.` };
});
