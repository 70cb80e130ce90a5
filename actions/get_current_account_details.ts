import { ConnectorError, defineAction } from '../src/runtime/action.js';
import type { GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput } from '../src/generated/types.js';

export default defineAction<GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput>(async (_input, { client }) => {
  const env = await client.single('/api/account/get-account');
  const account = env.data?.[0] as GetCurrentAccountDetailsOutput | undefined;
  if (!account) throw new ConnectorError('api_error', 'Mimecast returned no account record');
  return { data: account, summary: `Account "${account.accountName}" (${account.accountCode}${account.region ? `, region ${account.region}` : ''}).` };
});
