import { defineAction, plural } from '../src/runtime/action.js';
import { GetMessageInfoRoutes } from '../src/generated/routes.js';
import type { GetMessageInfoInput, GetMessageInfoOutput } from '../src/generated/types.js';

type Delivered = GetMessageInfoOutput['delivered'][number];

export default defineAction<GetMessageInfoInput, GetMessageInfoOutput>(async (input, { client }) => {
  const info = await client.one(
    GetMessageInfoRoutes.getMessageInfo,
    { id: input.message_id },
    { what: 'message info', missing: 'not_found', hint: 'Use a tracking id from the Search action (trackedEmails[].id).' },
  );
  // deliveredMessage is keyed by recipient address (dynamic keys): also give it as a list.
  const dm = info.deliveredMessage;
  const delivered: Delivered[] =
    dm && typeof dm === 'object' && !Array.isArray(dm)
      ? Object.entries(dm as Record<string, unknown>).map(([recipient, rec]) => ({ ...(rec && typeof rec === 'object' ? (rec as object) : {}), recipient }))
      : [];
  const subject = (info.recipientInfo as { messageInfo?: { subject?: unknown } } | undefined)?.messageInfo?.subject;
  const what = typeof subject === 'string' ? `"${subject}"` : 'The message';
  const status = typeof info.status === 'string' ? ` (${info.status})` : '';
  return { data: { ...info, delivered } as GetMessageInfoOutput, summary: `${what}${status} was delivered to ${plural(delivered.length, 'recipient')}.` };
});
