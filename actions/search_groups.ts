import { defineAction, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { SearchGroupsRoutes } from '../src/generated/routes.js';
import type { SearchGroupsInput, SearchGroupsOutput } from '../src/generated/types.js';

export default defineAction<SearchGroupsInput, SearchGroupsOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.query !== undefined) item.query = input.query;
  if (input.source !== undefined) item.source = input.source;
  const res = await client.paginate<SearchGroupsOutput[number]>(SearchGroupsRoutes.findGroups, item, { ...pageOptions(input), resultPath: 'folders' });
  return { data: res.rows, summary: `Found ${plural(res.rows.length, 'group')}${pagesNote(res)}.` };
});
