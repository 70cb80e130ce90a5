import { dateWindow, defineAction, pageOptions, pagesNote, plural, startOfTodayUtc } from '../src/runtime/action.js';
import { GetTtpUrlLogsRoutes } from '../src/generated/routes.js';
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
  const res = await client.paginate<GetTtpUrlLogsOutput[number]>(GetTtpUrlLogsRoutes.getLogs, item, { ...pageOptions(input), resultPath: 'clickLogs' });
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'URL click log')} from ${start} to ${end}${pagesNote(res)}.` };
});
