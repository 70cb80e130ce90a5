import { defineAction, memberIdentity, plural } from '../src/runtime/action.js';
import { AddGroupMemberRoutes } from '../src/generated/routes.js';
import type { AddGroupMemberInput, AddGroupMemberOutput } from '../src/generated/types.js';

export default defineAction<AddGroupMemberInput, AddGroupMemberOutput>(async (input, { client }) => {
  const added = await client.items<AddGroupMemberOutput[number]>(AddGroupMemberRoutes.addGroupMember, input.member_information, {
    identity: memberIdentity,
  });
  return { data: added, summary: `Added ${plural(added.length, 'member')} to profile groups.` };
});
