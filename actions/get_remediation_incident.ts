import { defineAction, plural } from '../src/runtime/action.js';
import type { GetRemediationIncidentInput, GetRemediationIncidentOutput } from '../src/generated/types.js';

export default defineAction<GetRemediationIncidentInput, GetRemediationIncidentOutput>(async (input, { client, manifest }) => {
  const items = input.remediation_incident_ids.map((id) => ({ id }));
  const found = await client.legacy<GetRemediationIncidentOutput[number]>('/api/ttp/remediation/get-incident', items, {
    readOnly: true,
    chunkSize: manifest.chunk_size,
  });
  return { data: found, summary: `Retrieved ${plural(found.length, 'remediation incident')} of ${items.length} requested.` };
});
