import { defineAction, plural } from '../src/runtime/action.js';
import type { GetManagedUrlsInput, GetManagedUrlsOutput } from '../src/generated/types.js';

export default defineAction<GetManagedUrlsInput, GetManagedUrlsOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.domain_or_url !== undefined) item.domainOrUrl = input.domain_or_url;
  if (input.domain_or_content !== undefined) item.domainOrComment = input.domain_or_content;
  item.exactMatch = input.exact_match ?? false;
  // "all" is no filter at all; permitted / blocked filter on the entry's override type.
  const filters = [...new Set(input.filter_by ?? [])];
  if (filters.length > 0 && !filters.includes('all')) item.filterBy = filters.map((value) => ({ fieldName: 'overrideType', value }));
  item.sortByUrl = input.sort_by_url ?? false;
  if (item.sortByUrl === true) item.sortOrder = input.sort_order ?? 'asc';
  const res = await client.paginate<GetManagedUrlsOutput[number]>('/api/ttp/url/get-all-managed-urls', item, { pageSize: 100, resultPath: '' });
  const blocked = res.rows.filter((u) => String(u.action).toLowerCase() === 'block').length;
  return {
    data: res.rows,
    summary: `Retrieved ${plural(res.rows.length, 'managed URL entry', 'managed URL entries')} (${blocked} blocked, ${res.rows.length - blocked} permitted; ${plural(res.pages, 'page')}).`,
  };
});
