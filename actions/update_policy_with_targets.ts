import { checkScopeChanges, defineAction, describeWebPolicy, mergedScopes, webPolicyUrls } from '../src/runtime/action.js';
import { UpdatePolicyWithTargetsRoutes } from '../src/generated/routes.js';
import type { UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput } from '../src/generated/types.js';

export default defineAction<UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput>(async (input, { client }) => {
  checkScopeChanges(input.policies, 'policies');
  const urls = input.urls !== undefined ? webPolicyUrls(input.urls, 'urls') : undefined;
  // The policy as it is now: every scope is sent whole with its id, so none falls back to defaults.
  const named = input.policies.map(({ id, ...change }) => `${JSON.stringify(change)} into ${id ? `scope ${id}` : 'its one scope'}`).join('; ');
  const current = await client.one<UpdatePolicyWithTargetsOutput>(
    UpdatePolicyWithTargetsRoutes.getPolicyWithTargets,
    { id: input.id },
    {
      what: 'policy',
      missing: 'not_found',
      hint: 'Check the ID: Update Policy with Targets needs the id that Create Policy with Targets returned.',
      dryRun: `the update-policy-with-targets call sends every scope of the policy get-policy-with-targets returns for ${input.id}, whole and with its id, merging ${named}${urls ? '; its URL list is replaced by urls' : ''}`,
    },
  );
  const description = input.description ?? current.description;
  // urls, when given, replace the policy's whole URL list; without it no list is sent.
  const item = {
    id: input.id,
    ...(description ? { description } : {}),
    policies: mergedScopes(current, input.policies, 'policies', input.id),
    ...(urls ? { urls } : {}),
  };
  const policy = await client.one<UpdatePolicyWithTargetsOutput>(UpdatePolicyWithTargetsRoutes.updatePolicyWithTargets, item, {
    what: 'policy',
    hint: 'Read the policy with Get Policy with Targets to see whether the update was applied.',
  });
  const replaced = urls ? '; its URL list was replaced' : '';
  return { data: policy, summary: `Updated Web Security policy ${describeWebPolicy(policy)}${replaced}.` };
});
