import { defineAction, describeWebPolicy } from '../src/runtime/action.js';
import { GetPolicyWithTargetsRoutes } from '../src/generated/routes.js';
import type { GetPolicyWithTargetsInput, GetPolicyWithTargetsOutput } from '../src/generated/types.js';

export default defineAction<GetPolicyWithTargetsInput, GetPolicyWithTargetsOutput>(async (input, { client }) => {
  const policy = await client.one<GetPolicyWithTargetsOutput>(
    GetPolicyWithTargetsRoutes.getPolicyWithTargets,
    { id: input.id },
    { what: 'policy', missing: 'not_found', hint: 'Check the ID: Get Policy with Targets needs the id that Create Policy with Targets returned.' },
  );
  return { data: policy, summary: `Web Security policy ${describeWebPolicy(policy)}.` };
});
