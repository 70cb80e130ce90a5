import { defineAction, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { GetGroupMembersRoutes } from '../src/generated/routes.js';
import type { GetGroupMembersInput, GetGroupMembersOutput } from '../src/generated/types.js';

export default defineAction<GetGroupMembersInput, GetGroupMembersOutput>(async (input, { client }) => {
  const res = await client.paginate<GetGroupMembersOutput[number]>(
    GetGroupMembersRoutes.getGroupMembers,
    { id: input.group_id },
    {
      ...pageOptions(input),
      resultPath: 'groupMembers',
    },
  );
  return { data: res.rows, summary: `The group has ${plural(res.rows.length, 'member')}${pagesNote(res)}.` };
});
