import { defineAction, plural } from '../src/runtime/action.js';
import { ReleaseHeldMessageRoutes } from '../src/generated/routes.js';
import type { ReleaseHeldMessageInput, ReleaseHeldMessageOutput } from '../src/generated/types.js';

export default defineAction<ReleaseHeldMessageInput, ReleaseHeldMessageOutput>(async (input, { client }) => {
  // One data item per ID (hold-release takes a single id per item); a repeated ID is sent once.
  const ids = [...new Set(input.id.map((v) => (typeof v === 'string' ? v : v.id)))];
  const released = await client.items<ReleaseHeldMessageOutput[number]>(
    ReleaseHeldMessageRoutes.holdRelease,
    ids.map((id) => ({ id })),
    { successFlag: 'release' },
  );
  return { data: released, summary: `Released ${plural(released.length, 'held message')}.` };
});
