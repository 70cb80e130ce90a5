import { dateWindow, defineAction, oneCalendarMonthBefore } from '../src/runtime/action.js';
import { CreateRemediationIncidentRoutes } from '../src/generated/routes.js';
import type { CreateRemediationIncidentInput, CreateRemediationIncidentOutput } from '../src/generated/types.js';

/** Mimecast finds a message by its Message-ID only in angle brackets: abc@host → <abc@host>. */
function bracketMessageId(id: string): string {
  return `<${id.trim().replace(/^<+/, '').replace(/>+$/, '')}>`;
}

export default defineAction<CreateRemediationIncidentInput, CreateRemediationIncidentOutput>(async (input, { client, now }) => {
  const value = input.hash_or_message_id;
  const item: Record<string, unknown> = { reason: input.reason };
  if (input.search_by) item.searchBy = input.search_by;
  if (value !== undefined) item.hashOrMessageId = input.search_by === 'messageId' ? bracketMessageId(value) : value;
  if (input.url_value !== undefined) item.url = input.url_value;
  Object.assign(item, dateWindow(input, now, oneCalendarMonthBefore));
  const incident = await client.one<CreateRemediationIncidentOutput>(CreateRemediationIncidentRoutes.create, item, {
    what: 'incident',
    hint: 'Check Threat Remediation in the Administration Console before creating the incident again.',
  });
  const what = input.search_by
    ? `${input.search_by} ${String(input.search_by === 'url' ? item.url : item.hashOrMessageId)}`
    : String(item.hashOrMessageId ?? item.url);
  const identified = typeof incident.identified === 'number' ? incident.identified : 0;
  // An incident that found nothing is created all the same; the summary says so plainly, since a
  // mistyped id or hash then removes no message at all.
  const found = identified > 0 ? `${identified} message(s) identified` : 'no message identified: check the value, or widen start/end';
  return { data: incident, summary: `Created remediation incident ${incident.code ?? incident.id} for ${what} (${found}).` };
});
