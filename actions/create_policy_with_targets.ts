import { defineAction } from '../src/runtime/action.js';
import { describeWebPolicy, webPolicyRecord, webPolicyScopes, webPolicyUrls } from '../src/runtime/web-policy.js';
import type { CreatePolicyWithTargetsInput, CreatePolicyWithTargetsOutput } from '../src/generated/types.js';

const PATH = '/api/policy/webwhiteurl/create-policy-with-targets';

export default defineAction<CreatePolicyWithTargetsInput, CreatePolicyWithTargetsOutput>(async (input, { client }) => {
  const item = {
    description: input.description,
    policies: webPolicyScopes(input.policies, 'policies'),
    urls: webPolicyUrls(input.urls, 'urls'),
  };
  const env = await client.single(PATH, item);
  const policy = webPolicyRecord<CreatePolicyWithTargetsOutput>(env, PATH, 'api_error');
  return { data: policy, summary: `Created Web Security policy ${describeWebPolicy(policy)}.` };
});
