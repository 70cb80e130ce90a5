import { defineAction, idsInOneItem, plural } from '../src/runtime/action.js';
import { RejectHeldMessageRoutes } from '../src/generated/routes.js';
import type { RejectHeldMessageInput, RejectHeldMessageOutput } from '../src/generated/types.js';

export default defineAction<RejectHeldMessageInput, RejectHeldMessageOutput>(async (input, { client }) => {
  // hold-reject takes every ID in one item; Mimecast answers one {id, reject} entry per ID. Each ID
  // is accounted on its own: one the answer leaves out is a no_outcome failure, not a success.
  const rest: Record<string, unknown> = {};
  if (input.message) rest.message = input.message;
  if (input.reason_type) rest.reasonType = input.reason_type;
  rest.notify = input.notify ?? false;
  const rejected = await client.items<RejectHeldMessageOutput[number]>(
    RejectHeldMessageRoutes.holdReject,
    input.ids.map((id) => ({ id })),
    { successFlag: 'reject', pack: idsInOneItem('ids', rest) },
  );
  return { data: rejected, summary: `Rejected ${plural(rejected.length, 'held message')}${rest.notify ? ' and notified the senders' : ''}.` };
});
