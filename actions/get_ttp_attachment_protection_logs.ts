import { dateWindow, defineAction, pageOptions, pagesNote, plural, startOfTodayUtc } from '../src/runtime/action.js';
import { GetTtpAttachmentProtectionLogsRoutes } from '../src/generated/routes.js';
import type { GetTtpAttachmentProtectionLogsInput, GetTtpAttachmentProtectionLogsOutput } from '../src/generated/types.js';

export default defineAction<GetTtpAttachmentProtectionLogsInput, GetTtpAttachmentProtectionLogsOutput>(async (input, { client, now }) => {
  const { start, end } = dateWindow(input, now, startOfTodayUtc);
  const item = {
    from: start,
    to: end,
    route: input.route,
    result: input.result,
    oldestFirst: input.oldest_first,
  };
  const res = await client.paginate<GetTtpAttachmentProtectionLogsOutput[number]>(GetTtpAttachmentProtectionLogsRoutes.getLogs, item, {
    ...pageOptions(input),
    resultPath: 'attachmentLogs',
  });
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'attachment protection log')} from ${start} to ${end}${pagesNote(res)}.` };
});
