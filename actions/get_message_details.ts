import { ConnectorError, defineAction, plural } from '../src/runtime/action.js';
import type { GetMessageDetailsInput, GetMessageDetailsOutput } from '../src/generated/types.js';

export default defineAction<GetMessageDetailsInput, GetMessageDetailsOutput>(async (input, { client }) => {
  const env = await client.single('/api/archive/get-message-detail', { id: input.message_id });
  const msg = env.data?.[0] as GetMessageDetailsOutput | undefined;
  if (!msg || typeof msg !== 'object') {
    throw new ConnectorError('not_found', 'Mimecast returned no message for this ID', { hint: 'Use an archive message id from the List Messages action.' });
  }
  const subject = typeof msg.subject === 'string' ? `"${msg.subject}"` : 'The message';
  const from = msg.from?.emailAddress ? ` from ${msg.from.emailAddress}` : '';
  return { data: msg, summary: `${subject}${from} has ${plural(msg.attachments?.length ?? 0, 'attachment')}.` };
});
