import { defineAction, pageOptions, plural } from '../src/runtime/action.js';
import { GetManagedUrlsRoutes } from '../src/generated/routes.js';
import type { GetManagedUrlsInput, GetManagedUrlsOutput } from '../src/generated/types.js';

/** Filter by value → the entry's action. */
const ACTION_OF = { permitted: 'permit', blocked: 'block' } as const;

export default defineAction<GetManagedUrlsInput, GetManagedUrlsOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.domain_or_url !== undefined) item.domainOrUrl = input.domain_or_url;
  if (input.domain_or_content !== undefined) item.domainOrComment = input.domain_or_content;
  item.exactMatch = input.exact_match ?? false;
  item.sortByUrl = input.sort_by_url ?? false;
  if (item.sortByUrl === true) item.sortOrder = input.sort_order ?? 'asc';
  const res = await client.paginate<GetManagedUrlsOutput[number]>(GetManagedUrlsRoutes.getAllManagedUrls, item, { ...pageOptions(input), resultPath: '' });
  // Mimecast's filterBy field is documented only by name, so permitted / blocked filter on each
  // entry's action here, after every page was read; "all" (or no filter) keeps every entry.
  const filters = input.filter_by ?? [];
  const keep = filters.length === 0 || filters.includes('all') ? undefined : new Set(filters.map((f) => ACTION_OF[f as keyof typeof ACTION_OF]));
  const rows = keep ? res.rows.filter((u) => keep.has(String(u.action).toLowerCase() as 'permit' | 'block')) : res.rows;
  const count = (action: string) => rows.filter((u) => String(u.action).toLowerCase() === action).length;
  const filtered = keep ? `; ${res.rows.length} listed before the filter` : '';
  return {
    data: rows,
    summary: `Retrieved ${plural(rows.length, 'managed URL entry', 'managed URL entries')} (${count('block')} blocked, ${count('permit')} permitted; ${plural(res.pages, 'page')}${res.nextPageToken ? '; more pages are available' : ''}${filtered}).`,
  };
});
