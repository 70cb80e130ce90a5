import { defineAction, inputError, pageOptions, pagesNote, plural, policyIds } from '../src/runtime/action.js';
import { GetAddressAlterationPolicyRoutes } from '../src/generated/routes.js';
import type { GetAddressAlterationPolicyInput, GetAddressAlterationPolicyOutput } from '../src/generated/types.js';

type Policy = GetAddressAlterationPolicyOutput[number];
const policies = (n: number) => plural(n, 'address alteration policy', 'address alteration policies');

export default defineAction<GetAddressAlterationPolicyInput, GetAddressAlterationPolicyOutput>(async (input, { client }) => {
  if (input.policy_id === undefined) {
    // No ID: Mimecast returns every policy; every page is read.
    const res = await client.paginate<Policy>(GetAddressAlterationPolicyRoutes.getPolicy, undefined, { ...pageOptions(input), resultPath: '' });
    return { data: res.rows, summary: `Found ${policies(res.rows.length)}${pagesNote(res)}.` };
  }
  if (input.page_token !== undefined) throw inputError('page_token', 'resumes the list of all policies; it cannot be given with policy_id');
  const ids = policyIds(input.policy_id);
  const found = await client.items<Policy>(
    GetAddressAlterationPolicyRoutes.getPolicy,
    ids.map((id) => ({ id })),
  );
  return { data: found, summary: `Retrieved ${policies(found.length)} of ${ids.length} requested.` };
});
