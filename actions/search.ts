import { defineAction, plural, rowsAt } from '../src/runtime/action.js';
import { SearchRoutes } from '../src/generated/routes.js';
import type { SearchInput, SearchOutput } from '../src/generated/types.js';

/** The track-and-trace filters, the only keys that go inside advancedTrackAndTraceOptions. */
const TRACE_KEYS = ['from', 'to', 'subject', 'senderIP', 'url'] as const;

export default defineAction<SearchInput, SearchOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.start !== undefined) item.start = input.start;
  if (input.end !== undefined) item.end = input.end;
  if (input.search_reason !== undefined) item.searchReason = input.search_reason;
  if (input.message_id !== undefined) item.messageId = input.message_id;
  if (input.route?.length) item.route = input.route;
  if (input.status?.length) item.status = input.status;
  if (input.attachments !== undefined) item.attachments = input.attachments;
  const options = input.advanced_track_or_trace_options;
  if (options) {
    const trace: Record<string, string> = {};
    for (const k of TRACE_KEYS) if (options[k] !== undefined) trace[k] = options[k]!;
    item.advancedTrackAndTraceOptions = trace;
  }
  const env = await client.single(SearchRoutes.search, item);
  const rows = rowsAt(env, 'trackedEmails') as SearchOutput;
  return { data: rows, summary: `Found ${plural(rows.length, 'tracked message')}.` };
});
