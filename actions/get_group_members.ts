import { defineAction, pageOptions, plural } from '../src/runtime/action.js';
import type { GetGroupMembersInput, GetGroupMembersOutput } from '../src/generated/types.js';

export default defineAction<GetGroupMembersInput, GetGroupMembersOutput>(async (input, { client }) => {
  const res = await client.paginate<GetGroupMembersOutput[number]>('/api/directory/get-group-members', { id: input.group_id }, {
    ...pageOptions(input),
    resultPath: 'groupMembers',
  });
  const more = res.nextPageToken ? ' (more pages are available)' : '';
  return { data: res.rows, summary: `The group has ${plural(res.rows.length, 'member')}${more}.` };
});
