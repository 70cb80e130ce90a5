import { defineAction, plural } from '../src/runtime/action.js';
import type { GetRemediationIncidentInput, GetRemediationIncidentOutput } from '../src/generated/types.js';

export default defineAction<GetRemediationIncidentInput, GetRemediationIncidentOutput>(async (input, { client }) => {
  const items = input.remediation_incident_ids.map((id) => ({ id }));
  const found = await client.items<GetRemediationIncidentOutput[number]>('/api/ttp/remediation/get-incident', items);
  return { data: found, summary: `Retrieved ${plural(found.length, 'remediation incident')} of ${items.length} requested.` };
});
