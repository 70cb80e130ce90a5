import { defineAction } from '../src/runtime/action.js';
import { GetCurrentAccountDetailsRoutes } from '../src/generated/routes.js';
import type { GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput } from '../src/generated/types.js';

export default defineAction<GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput>(async (_input, { client }) => {
  const account = await client.one<GetCurrentAccountDetailsOutput>(GetCurrentAccountDetailsRoutes.getAccount, undefined, {
    what: 'account record',
    hint: "Run Test Connectivity: the API application's role may not see the account (Administration → Roles).",
  });
  return { data: account, summary: `Account "${account.accountName}" (${account.accountCode}${account.region ? `, region ${account.region}` : ''}).` };
});
