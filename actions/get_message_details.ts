import { defineAction, plural } from '../src/runtime/action.js';
import { GetMessageDetailsRoutes } from '../src/generated/routes.js';
import type { GetMessageDetailsInput, GetMessageDetailsOutput } from '../src/generated/types.js';

export default defineAction<GetMessageDetailsInput, GetMessageDetailsOutput>(async (input, { client }) => {
  const msg = await client.one<GetMessageDetailsOutput>(
    GetMessageDetailsRoutes.getMessageDetail,
    { id: input.message_id },
    { what: 'message', missing: 'not_found', hint: 'Use an archive message id from the List Messages action.' },
  );
  const subject = typeof msg.subject === 'string' ? `"${msg.subject}"` : 'The message';
  const from = msg.from?.emailAddress ? ` from ${msg.from.emailAddress}` : '';
  return { data: msg, summary: `${subject}${from} has ${plural(msg.attachments?.length ?? 0, 'attachment')}.` };
});
