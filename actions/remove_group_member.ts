import { defineAction, plural } from '../src/runtime/action.js';
import { memberIdentity } from '../src/runtime/group-member.js';
import type { RemoveGroupMemberInput, RemoveGroupMemberOutput } from '../src/generated/types.js';

export default defineAction<RemoveGroupMemberInput, RemoveGroupMemberOutput>(async (input, { client }) => {
  const removed = await client.items<RemoveGroupMemberOutput[number]>('/api/directory/remove-group-member', input.member_information, {
    identity: memberIdentity,
  });
  return { data: removed, summary: `Removed ${plural(removed.length, 'member')} from profile groups.` };
});
