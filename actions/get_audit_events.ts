import { dateWindow, defineAction, pageOptions, pagesNote, plural, startOfTodayUtc } from '../src/runtime/action.js';
import { GetAuditEventsRoutes } from '../src/generated/routes.js';
import type { GetAuditEventsInput, GetAuditEventsOutput } from '../src/generated/types.js';

export default defineAction<GetAuditEventsInput, GetAuditEventsOutput>(async (input, { client, now }) => {
  const { start, end } = dateWindow(input, now, startOfTodayUtc);
  const item: Record<string, unknown> = { startDateTime: start, endDateTime: end };
  if (input.query !== undefined) item.query = input.query;
  if (input.categories?.length) item.categories = [...new Set(input.categories)];
  const res = await client.paginate<GetAuditEventsOutput[number]>(GetAuditEventsRoutes.getAuditEvents, item, { ...pageOptions(input), resultPath: '' });
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'audit event')} from ${start} to ${end}${pagesNote(res)}.` };
});
