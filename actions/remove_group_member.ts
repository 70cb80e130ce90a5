import { defineAction, plural } from '../src/runtime/action.js';
import type { RemoveGroupMemberInput, RemoveGroupMemberOutput } from '../src/generated/types.js';

export default defineAction<RemoveGroupMemberInput, RemoveGroupMemberOutput>(async (input, { client, manifest }) => {
  const removed = await client.legacy<RemoveGroupMemberOutput[number]>('/api/directory/remove-group-member', input.member_information, {
    readOnly: false,
    chunkSize: manifest.chunk_size,
  });
  return { data: removed, summary: `Removed ${plural(removed.length, 'member')} from profile groups.` };
});
