import { defineAction, plural } from '../src/runtime/action.js';
import { GetEmailQueuesRoutes } from '../src/generated/routes.js';
import type { GetEmailQueuesInput, GetEmailQueuesOutput } from '../src/generated/types.js';

type Sample = GetEmailQueuesOutput['inbound'][number];

export default defineAction<GetEmailQueuesInput, GetEmailQueuesOutput>(async (input, { client }) => {
  const env = await client.single(GetEmailQueuesRoutes.getEmailQueues, { start: input.start, end: input.end });
  const first = (env.data?.[0] ?? {}) as { inboundEmailQueue?: unknown; outboundEmailQueue?: unknown };
  const list = (v: unknown): Sample[] => (Array.isArray(v) ? (v as Sample[]) : []);
  const data = { inbound: list(first.inboundEmailQueue), outbound: list(first.outboundEmailQueue) };
  return {
    data,
    summary: `Retrieved ${plural(data.inbound.length, 'inbound queue count')} and ${plural(data.outbound.length, 'outbound queue count')} from ${input.start} to ${input.end}.`,
  };
});
