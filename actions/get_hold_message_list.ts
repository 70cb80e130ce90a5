import { defineAction, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { GetHoldMessageListRoutes } from '../src/generated/routes.js';
import type { GetHoldMessageListInput, GetHoldMessageListOutput } from '../src/generated/types.js';

export default defineAction<GetHoldMessageListInput, GetHoldMessageListOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = { admin: input.admin ?? false };
  if (input.start) item.start = input.start;
  if (input.end) item.end = input.end;
  if (input.value) item.searchBy = { fieldName: input.field_name ?? 'all', value: input.value };
  const res = await client.paginate<GetHoldMessageListOutput[number]>(GetHoldMessageListRoutes.getHoldMessageList, item, {
    ...pageOptions(input),
    resultPath: '',
  });
  const scope = item.admin ? '' : ' for the authenticated user only (set admin to true for all recipients)';
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'held message')}${scope}${pagesNote(res)}.` };
});
