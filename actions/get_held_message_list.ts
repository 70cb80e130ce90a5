import { defineAction, plural } from '../src/runtime/action.js';
import { GetHeldMessageListRoutes } from '../src/generated/routes.js';
import type { GetHeldMessageListInput, GetHeldMessageListOutput } from '../src/generated/types.js';

export default defineAction<GetHeldMessageListInput, GetHeldMessageListOutput>(async (_input, { client }) => {
  const env = await client.single(GetHeldMessageListRoutes.getHoldSummaryList);
  const data = (env.data ?? []) as GetHeldMessageListOutput;
  const total = data.reduce((n, r) => n + (typeof r.numberOfItems === 'number' ? r.numberOfItems : 0), 0);
  return { data, summary: `${plural(total, 'message')} held under ${plural(data.length, 'hold reason')}.` };
});
