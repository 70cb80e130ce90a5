import { defineAction, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { dateWindow, startOfTodayUtc } from '../src/runtime/dates.js';
import type { GetTtpUrlLogsInput, GetTtpUrlLogsOutput } from '../src/generated/types.js';

export default defineAction<GetTtpUrlLogsInput, GetTtpUrlLogsOutput>(async (input, { client, now }) => {
  const { start, end } = dateWindow(input, now, startOfTodayUtc);
  const item = {
    from: start,
    to: end,
    route: input.route,
    scanResult: input.scan_result,
    oldestFirst: input.oldest_first,
  };
  const res = await client.paginate<GetTtpUrlLogsOutput[number]>('/api/ttp/url/get-logs', item, { ...pageOptions(input), resultPath: 'clickLogs' });
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'URL click log')} from ${start} to ${end}${pagesNote(res)}.` };
});
