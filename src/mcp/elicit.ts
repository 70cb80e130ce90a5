/**
 * Asking the user directly (MCP elicitation) whether a write's dry run may be sent, where the
 * client says it can show a form. The question carries the exact requests of the dry run; only an
 * explicit "accept" with `send: true` is a yes, and a yes gives the confirmation token that sends
 * the write on the next call (a write is never sent on its first call). A client that cannot be
 * asked (no form elicitation, or the request fails) gets the token without the question (confirm.ts).
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RecordedRequest } from '../client/recording.js';
import { CONFIRMATION_TTL_MS } from './confirm.js';

/** What the user answered: send it, or do not (declined, cancelled, or accepted with send false). */
export type Answer = 'send' | 'declined' | 'cancelled';

/** The longest question (characters): a dry run of many chunks is summarised past it. */
const MAX_MESSAGE = 4000;

export function canAsk(server: Server): boolean {
  return Boolean(server.getClientCapabilities()?.elicitation?.form);
}

/** The question: the tool, then each request as the dry run recorded it (method, URL, body). */
export function question(title: string, id: string, requests: RecordedRequest[]): string {
  const n = requests.length;
  let text = `Send this write to Mimecast? ${title} (${id}) would send ${n} request${n === 1 ? '' : 's'}; nothing has been sent yet.`;
  for (let i = 0; i < n; i++) {
    const r = requests[i];
    const line = `\n${r.method} ${r.url}${r.body === undefined ? '' : `\n${JSON.stringify(r.body)}`}`;
    if (text.length + line.length > MAX_MESSAGE) {
      text += `\n… and ${n - i} more request${n - i === 1 ? '' : 's'} (the assistant has them all in the dry run).`;
      break;
    }
    text += line;
  }
  return text;
}

const FORM = {
  type: 'object' as const,
  properties: { send: { type: 'boolean' as const, title: 'Send it', description: 'Send these requests to Mimecast now.', default: false } },
  required: ['send'],
};

/**
 * Asks; undefined when the client could not be asked (then the token flow answers instead). The
 * user has as long to answer as a confirmation token lives.
 */
export async function ask(server: Server, message: string, signal: AbortSignal): Promise<Answer | undefined> {
  let result;
  try {
    result = await server.elicitInput({ mode: 'form', message, requestedSchema: FORM }, { signal, timeout: CONFIRMATION_TTL_MS });
  } catch {
    if (signal.aborted) return 'cancelled';
    return undefined;
  }
  if (result.action === 'accept') return result.content?.send === true ? 'send' : 'declined';
  return result.action === 'decline' ? 'declined' : 'cancelled';
}
