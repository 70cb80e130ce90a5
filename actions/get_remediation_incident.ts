import { defineAction, plural } from '../src/runtime/action.js';
import { GetRemediationIncidentRoutes } from '../src/generated/routes.js';
import type { GetRemediationIncidentInput, GetRemediationIncidentOutput } from '../src/generated/types.js';

export default defineAction<GetRemediationIncidentInput, GetRemediationIncidentOutput>(async (input, { client }) => {
  // Up to the manifest's chunk_size IDs per call; a repeated ID is asked for once.
  const items = [...new Set(input.remediation_incident_ids)].map((id) => ({ id }));
  const found = await client.items<GetRemediationIncidentOutput[number]>(GetRemediationIncidentRoutes.getIncident, items);
  return { data: found, summary: `Retrieved ${plural(found.length, 'remediation incident')} of ${items.length} requested.` };
});
