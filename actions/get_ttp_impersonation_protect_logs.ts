import { defineAction, pageOptions, plural } from '../src/runtime/action.js';
import { formatMimecastDate, startOfTodayUtc } from '../src/runtime/dates.js';
import type { GetTtpImpersonationProtectLogsInput, GetTtpImpersonationProtectLogsOutput } from '../src/generated/types.js';

export default defineAction<GetTtpImpersonationProtectLogsInput, GetTtpImpersonationProtectLogsOutput>(async (input, { client, now }) => {
  const item: Record<string, unknown> = {
    from: input.start ?? formatMimecastDate(startOfTodayUtc(now)),
    to: input.end ?? formatMimecastDate(now),
  };
  if (input.query !== undefined) {
    item.query = input.query;
    item.searchField = input.search_field ?? 'all';
  }
  if (input.identifiers?.length) item.identifiers = input.identifiers;
  if (input.actions?.length) item.actions = input.actions;
  if (input.tagged_malicious !== undefined) item.taggedMalicious = input.tagged_malicious;
  item.oldestFirst = input.oldest_first;
  const res = await client.paginate<GetTtpImpersonationProtectLogsOutput[number]>('/api/ttp/impersonation/get-logs', item, { ...pageOptions(input), resultPath: 'impersonationLogs' });
  const more = res.nextPageToken ? '; more pages are available' : '';
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'impersonation protection log')} from ${item.from} to ${item.to} (${plural(res.pages, 'page')}${more}).` };
});
