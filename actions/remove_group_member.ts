import { defineAction, memberIdentity, plural } from '../src/runtime/action.js';
import { RemoveGroupMemberRoutes } from '../src/generated/routes.js';
import type { RemoveGroupMemberInput, RemoveGroupMemberOutput } from '../src/generated/types.js';

export default defineAction<RemoveGroupMemberInput, RemoveGroupMemberOutput>(async (input, { client }) => {
  const removed = await client.items<RemoveGroupMemberOutput[number]>(RemoveGroupMemberRoutes.removeGroupMember, input.member_information, {
    identity: memberIdentity,
  });
  return { data: removed, summary: `Removed ${plural(removed.length, 'member')} from profile groups.` };
});
