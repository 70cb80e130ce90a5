import { defineAction, pageOptions, plural } from '../src/runtime/action.js';
import { formatMimecastDate, startOfTodayUtc } from '../src/runtime/dates.js';
import type { GetTtpAttachmentProtectionLogsInput, GetTtpAttachmentProtectionLogsOutput } from '../src/generated/types.js';

export default defineAction<GetTtpAttachmentProtectionLogsInput, GetTtpAttachmentProtectionLogsOutput>(async (input, { client, now }) => {
  const item = {
    from: input.start ?? formatMimecastDate(startOfTodayUtc(now)),
    to: input.end ?? formatMimecastDate(now),
    route: input.route,
    result: input.result,
    oldestFirst: input.oldest_first,
  };
  const res = await client.paginate<GetTtpAttachmentProtectionLogsOutput[number]>('/api/ttp/attachment/get-logs', item, { ...pageOptions(input), resultPath: 'attachmentLogs' });
  const more = res.nextPageToken ? '; more pages are available' : '';
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'attachment protection log')} from ${item.from} to ${item.to} (${plural(res.pages, 'page')}${more}).` };
});
