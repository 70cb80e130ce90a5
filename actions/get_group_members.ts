import { defineAction, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import type { GetGroupMembersInput, GetGroupMembersOutput } from '../src/generated/types.js';

export default defineAction<GetGroupMembersInput, GetGroupMembersOutput>(async (input, { client }) => {
  const res = await client.paginate<GetGroupMembersOutput[number]>(
    '/api/directory/get-group-members',
    { id: input.group_id },
    {
      ...pageOptions(input),
      resultPath: 'groupMembers',
    },
  );
  return { data: res.rows, summary: `The group has ${plural(res.rows.length, 'member')}${pagesNote(res)}.` };
});
