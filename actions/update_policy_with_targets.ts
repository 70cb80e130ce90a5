import { ConnectorError, defineAction } from '../src/runtime/action.js';
import { checkScopeChanges, describeWebPolicy, mergedScopes, webPolicyRecord, webPolicyUrls } from '../src/runtime/web-policy.js';
import type { UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput } from '../src/generated/types.js';

const GET = '/api/policy/webwhiteurl/get-policy-with-targets';
const PATH = '/api/policy/webwhiteurl/update-policy-with-targets';

export default defineAction<UpdatePolicyWithTargetsInput, UpdatePolicyWithTargetsOutput>(async (input, { client }) => {
  checkScopeChanges(input.policies, 'policies');
  const urls = input.urls !== undefined ? webPolicyUrls(input.urls, 'urls') : undefined;
  // The policy as it is now: every scope is sent whole with its id, so none falls back to defaults.
  const read = await client.single(GET, { id: input.id });
  if (client.dryRun && !read.data?.length) {
    const named = input.policies.map(({ id, ...change }) => `${JSON.stringify(change)} into ${id ? `scope ${id}` : 'its one scope'}`).join('; ');
    throw new ConnectorError(
      'api_error',
      `the update-policy-with-targets call sends every scope of the policy get-policy-with-targets returns for ${input.id}, whole and with its id, merging ${named}${urls ? '; its URL list is replaced by urls' : ''}`,
    );
  }
  const current = webPolicyRecord<UpdatePolicyWithTargetsOutput>(read, GET, 'not_found');
  const description = input.description ?? current.description;
  // urls, when given, replace the policy's whole URL list; without it no list is sent.
  const item = {
    id: input.id,
    ...(description ? { description } : {}),
    policies: mergedScopes(current, input.policies, 'policies', input.id),
    ...(urls ? { urls } : {}),
  };
  const env = await client.single(PATH, item);
  const policy = webPolicyRecord<UpdatePolicyWithTargetsOutput>(env, PATH, 'api_error');
  const replaced = urls ? '; its URL list was replaced' : '';
  return { data: policy, summary: `Updated Web Security policy ${describeWebPolicy(policy)}${replaced}.` };
});
