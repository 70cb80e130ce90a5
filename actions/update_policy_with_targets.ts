import { defineAction } from '../src/runtime/action.js';
import { describeWebPolicy, webPolicyRecord, webPolicyScopes, webPolicyUrls } from '../src/runtime/web-policy.js';
import type { UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput } from '../src/generated/types.js';

const PATH = '/api/policy/webwhiteurl/update-policy-with-targets';

export default defineAction<UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput>(async (input, { client }) => {
  // urls, when given, replace the policy's whole URL list; without it no list is sent.
  const item = {
    id: input.id,
    ...(input.description !== undefined ? { description: input.description } : {}),
    policies: webPolicyScopes(input.policies, 'policies', { update: true }),
    ...(input.urls !== undefined ? { urls: webPolicyUrls(input.urls, 'urls') } : {}),
  };
  const env = await client.single(PATH, item);
  const policy = webPolicyRecord<UpdatePolicyWithTargetsOutput>(env, PATH, 'api_error');
  const replaced = input.urls !== undefined ? '; its URL list was replaced' : '';
  return { data: policy, summary: `Updated Web Security policy ${describeWebPolicy(policy)}${replaced}.` };
});
