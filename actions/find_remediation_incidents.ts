import { defineAction, formatMimecastDate, pageOptions, pagesNote, plural } from '../src/runtime/action.js';
import { FindRemediationIncidentsRoutes } from '../src/generated/routes.js';
import type { FindRemediationIncidentsInput, FindRemediationIncidentsOutput } from '../src/generated/types.js';

type Incident = FindRemediationIncidentsOutput[number];

export default defineAction<FindRemediationIncidentsInput, FindRemediationIncidentsOutput>(async (input, { client, now }) => {
  const item: Record<string, unknown> = {};
  if (input.start) item.start = input.start;
  if (input.end) item.end = input.end;
  // A criterion without a field name is one Mimecast cannot apply: search all fields, filter on the incident type.
  if (input.search_by) item.searchBy = { fieldName: 'all', ...input.search_by };
  if (input.filter_by) item.filterBy = [{ fieldName: 'type', ...input.filter_by }];
  // Mimecast wants at least one field; "everything up to now" narrows nothing.
  if (Object.keys(item).length === 0) item.end = formatMimecastDate(now);
  const res = await client.paginate<Incident & { incidents?: Incident[] }>(FindRemediationIncidentsRoutes.findIncidents, item, {
    ...pageOptions(input),
    resultPath: '',
  });
  // Incidents are documented as a flat data[]; accept data[0].incidents[] too.
  const rows = res.rows.flatMap((r) => (r && Array.isArray(r.incidents) ? r.incidents : [r as Incident]));
  return { data: rows, summary: `Found ${plural(rows.length, 'remediation incident')}${res.nextPageToken ? pagesNote(res) : ''}.` };
});
