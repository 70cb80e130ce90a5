import { defineAction, pageOptions, plural } from '../src/runtime/action.js';
import { formatMimecastDate, startOfTodayUtc } from '../src/runtime/dates.js';
import type { GetTtpUrlLogsInput, GetTtpUrlLogsOutput } from '../src/generated/types.js';

export default defineAction<GetTtpUrlLogsInput, GetTtpUrlLogsOutput>(async (input, { client, now }) => {
  const item = {
    from: input.start ?? formatMimecastDate(startOfTodayUtc(now)),
    to: input.end ?? formatMimecastDate(now),
    route: input.route,
    scanResult: input.scan_result,
    oldestFirst: input.oldest_first,
  };
  const res = await client.paginate<GetTtpUrlLogsOutput[number]>('/api/ttp/url/get-logs', item, { ...pageOptions(input), resultPath: 'clickLogs' });
  const more = res.nextPageToken ? '; more pages are available' : '';
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'URL click log')} from ${item.from} to ${item.to} (${plural(res.pages, 'page')}${more}).` };
});
