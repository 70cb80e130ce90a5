import { dateWindow, defineAction, endOfTodayUtc, oneCalendarMonthBefore, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { ListMessagesRoutes } from '../src/generated/routes.js';
import type { ListMessagesInput, ListMessagesOutput } from '../src/generated/types.js';

export default defineAction<ListMessagesInput, ListMessagesOutput>(async (input, { client, now }) => {
  const { start, end } = dateWindow(input, now, oneCalendarMonthBefore, endOfTodayUtc);
  const item: Record<string, unknown> = {
    view: input.view,
    start,
    end,
    includeDelegates: input.include_delegates ?? false,
    includeAliases: input.include_aliases ?? true,
  };
  if (input.mailbox !== undefined) item.mailbox = input.mailbox;
  // get-message-list answers with a flat data[] of messages (no nesting key).
  const res = await client.paginate<ListMessagesOutput[number]>(ListMessagesRoutes.getMessageList, item, { ...pageOptions(input), resultPath: '' });
  const box = input.mailbox ?? "the API user's mailbox";
  return {
    data: res.rows,
    summary: `Listed ${plural(res.rows.length, 'archived message')} in the ${input.view} of ${box} from ${start} to ${end}${pagesNote(res)}.`,
  };
});
