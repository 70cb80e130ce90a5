import { defineAction, plural } from '../src/runtime/action.js';
import type { RejectHeldMessageInput, RejectHeldMessageOutput } from '../src/generated/types.js';

export default defineAction<RejectHeldMessageInput, RejectHeldMessageOutput>(async (input, { client }) => {
  // hold-reject takes every ID in one item; Mimecast answers one {id, reject} entry per ID.
  const item: Record<string, unknown> = { ids: input.ids };
  if (input.message) item.message = input.message;
  if (input.reason_type) item.reasonType = input.reason_type;
  item.notify = input.notify ?? false;
  const rejected = await client.items<RejectHeldMessageOutput[number]>('/api/gateway/hold-reject', [item], { successFlag: 'reject' });
  return { data: rejected, summary: `Rejected ${plural(rejected.length, 'held message')}${item.notify ? ' and notified the senders' : ''}.` };
});
