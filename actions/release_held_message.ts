import { defineAction, plural } from '../src/runtime/action.js';
import type { ReleaseHeldMessageInput, ReleaseHeldMessageOutput } from '../src/generated/types.js';

export default defineAction<ReleaseHeldMessageInput, ReleaseHeldMessageOutput>(async (input, { client }) => {
  // One data item per ID (hold-release takes a single id per item); a repeated ID is sent once.
  const ids = [...new Set(input.id.map((v) => (typeof v === 'string' ? v : v.id)))];
  const released = await client.items<ReleaseHeldMessageOutput[number]>(
    '/api/gateway/hold-release',
    ids.map((id) => ({ id })),
    { successFlag: 'release' },
  );
  return { data: released, summary: `Released ${plural(released.length, 'held message')}.` };
});
