import { defineAction, plural } from '../src/runtime/action.js';
import type { UpdateGroupInput, UpdateGroupOutput } from '../src/generated/types.js';

export default defineAction<UpdateGroupInput, UpdateGroupOutput>(async (input, { client, manifest }) => {
  const updated = await client.legacy<UpdateGroupOutput[number]>('/api/directory/update-group', input.groups_information, {
    readOnly: false,
    chunkSize: manifest.chunk_size,
  });
  return { data: updated, summary: `Updated ${plural(updated.length, 'profile group')}.` };
});
