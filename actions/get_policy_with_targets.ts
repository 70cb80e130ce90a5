import { defineAction } from '../src/runtime/action.js';
import { describeWebPolicy, webPolicyRecord } from '../src/runtime/web-policy.js';
import type { GetPolicyWithTargetsInput, GetPolicyWithTargetsOutput } from '../src/generated/types.js';

const PATH = '/api/policy/webwhiteurl/get-policy-with-targets';

export default defineAction<GetPolicyWithTargetsInput, GetPolicyWithTargetsOutput>(async (input, { client }) => {
  const env = await client.single(PATH, { id: input.id });
  const policy = webPolicyRecord<GetPolicyWithTargetsOutput>(env, PATH, 'not_found');
  return { data: policy, summary: `Web Security policy ${describeWebPolicy(policy)}.` };
});
