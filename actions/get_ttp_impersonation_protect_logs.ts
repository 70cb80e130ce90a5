import { dateWindow, defineAction, pageOptions, pagesNote, plural, startOfTodayUtc } from '../src/runtime/action.js';
import { GetTtpImpersonationProtectLogsRoutes } from '../src/generated/routes.js';
import type { GetTtpImpersonationProtectLogsInput, GetTtpImpersonationProtectLogsOutput } from '../src/generated/types.js';

/**
 * Mimecast's searchField values are senderAddress, recipientAddress, subject, policy and all; the
 * seed's "definition" (the impersonation definition that matched) is Mimecast's "policy".
 */
const SEARCH_FIELD: Record<string, string> = { definition: 'policy' };

export default defineAction<GetTtpImpersonationProtectLogsInput, GetTtpImpersonationProtectLogsOutput>(async (input, { client, now }) => {
  const { start, end } = dateWindow(input, now, startOfTodayUtc);
  const item: Record<string, unknown> = { from: start, to: end };
  if (input.query !== undefined) {
    item.query = input.query;
    const field = input.search_field ?? 'all';
    item.searchField = SEARCH_FIELD[field] ?? field;
  }
  if (input.identifiers?.length) item.identifiers = input.identifiers;
  if (input.actions?.length) item.actions = input.actions;
  if (input.tagged_malicious !== undefined) item.taggedMalicious = input.tagged_malicious;
  item.oldestFirst = input.oldest_first;
  const res = await client.paginate<GetTtpImpersonationProtectLogsOutput[number]>(GetTtpImpersonationProtectLogsRoutes.getLogs, item, {
    ...pageOptions(input),
    resultPath: 'impersonationLogs',
  });
  return { data: res.rows, summary: `Retrieved ${plural(res.rows.length, 'impersonation protection log')} from ${start} to ${end}${pagesNote(res)}.` };
});
