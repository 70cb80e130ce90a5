import { ConnectorError, defineAction, inputError, pageOptions, pagesNote, plural, policyIds } from '../src/runtime/action.js';
import { GetAntiSpoofingPolicyRoutes } from '../src/generated/routes.js';
import type { GetAntiSpoofingPolicyInput, GetAntiSpoofingPolicyOutput } from '../src/generated/types.js';

type Policy = GetAntiSpoofingPolicyOutput[number];
const policies = (n: number) => plural(n, 'anti-spoofing bypass policy', 'anti-spoofing bypass policies');

/**
 * Mimecast refusing the list itself (a validation failure, an unknown-policy answer, HTTP 400) rather
 * than failing to answer: some tenants serve this route only by ID.
 * Permission, auth, rate-limit, transport and 5xx failures keep their own message.
 */
const refusedList = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError && (e.type === 'api_error' || e.type === 'not_found') && !(e.httpStatus !== undefined && e.httpStatus >= 500);

export default defineAction<GetAntiSpoofingPolicyInput, GetAntiSpoofingPolicyOutput>(async (input, { client }) => {
  if (input.policy_ids === undefined) {
    // No ID: the list, paged through meta.pagination.next (the 1.0 page documents paging here).
    try {
      const res = await client.paginate<Policy>(GetAntiSpoofingPolicyRoutes.getPolicy, undefined, { ...pageOptions(input), resultPath: '' });
      return { data: res.rows, summary: `Found ${policies(res.rows.length)}${res.pages > 1 || res.nextPageToken ? pagesNote(res) : ''}.` };
    } catch (e) {
      if (input.page_token !== undefined || !refusedList(e)) throw e;
      throw e.with({
        field: 'policy_ids',
        message: `Mimecast refused to list anti-spoofing bypass policies without an ID: this tenant lists them only by ID (${e.message})`,
        hint: 'Give policy_ids: the IDs Create Anti-Spoofing Policy returned, or the policies of Gateway → Policies → Anti-Spoofing in the Administration Console.',
      });
    }
  }
  if (input.page_token !== undefined) throw inputError('page_token', 'resumes the list of all policies; it cannot be given with policy_ids');
  const ids = policyIds(input.policy_ids);
  const found = await client.items<Policy>(
    GetAntiSpoofingPolicyRoutes.getPolicy,
    ids.map((id) => ({ id })),
  );
  return { data: found, summary: `Found ${policies(found.length)}.` };
});
