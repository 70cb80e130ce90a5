import { defineAction, plural } from '../src/runtime/action.js';
import { memberIdentity } from '../src/runtime/group-member.js';
import type { AddGroupMemberInput, AddGroupMemberOutput } from '../src/generated/types.js';

export default defineAction<AddGroupMemberInput, AddGroupMemberOutput>(async (input, { client }) => {
  const added = await client.items<AddGroupMemberOutput[number]>('/api/directory/add-group-member', input.member_information, {
    identity: memberIdentity,
  });
  return { data: added, summary: `Added ${plural(added.length, 'member')} to profile groups.` };
});
