import { defineAction, describeWebPolicy, webPolicyScopes, webPolicyUrls } from '../src/runtime/action.js';
import { CreatePolicyWithTargetsRoutes } from '../src/generated/routes.js';
import type { CreatePolicyWithTargetsInput, CreatePolicyWithTargetsOutput } from '../src/generated/types.js';

export default defineAction<CreatePolicyWithTargetsInput, CreatePolicyWithTargetsOutput>(async (input, { client }) => {
  const item = {
    description: input.description,
    policies: webPolicyScopes(input.policies, 'policies'),
    urls: webPolicyUrls(input.urls, 'urls'),
  };
  const policy = await client.one<CreatePolicyWithTargetsOutput>(CreatePolicyWithTargetsRoutes.createPolicyWithTargets, item, {
    what: 'policy',
    hint: 'Check Web Security policies in the Administration Console before running the action again.',
  });
  return { data: policy, summary: `Created Web Security policy ${describeWebPolicy(policy)}.` };
});
