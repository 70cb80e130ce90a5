import { defineAction, plural } from '../src/runtime/action.js';
import { policyIds } from '../src/runtime/policy.js';
import type { GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput } from '../src/generated/types.js';

const PATH = '/api/policy/blockedsenders/get-policy';
type Row = GetBlockedSenderPoliciesOutput[number];

export default defineAction<GetBlockedSenderPoliciesInput, GetBlockedSenderPoliciesOutput>(async (input, { client }) => {
  const ids = policyIds(input.policy_ids ?? []);
  // Without an ID get-policy answers with every policy; with IDs, one item (one call) per ID.
  const rows = ids.length
    ? await client.items<Row>(
        PATH,
        ids.map((id) => ({ id })),
      )
    : (((await client.single(PATH)).data ?? []) as Row[]);
  return { data: rows, summary: `Found ${plural(rows.length, 'blocked-sender policy', 'blocked-sender policies')}.` };
});
