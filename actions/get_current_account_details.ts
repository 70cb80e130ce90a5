import { defineAction } from '../src/runtime/action.js';
import { ConnectorError } from '../src/runtime/errors.js';
import type { GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput } from '../src/generated/types.js';

export default defineAction<GetCurrentAccountDetailsInput, GetCurrentAccountDetailsOutput>(async (_input, { client }) => {
  const env = await client.legacyOne('/api/account/get-account', undefined, { readOnly: true });
  const account = env.data?.[0] as GetCurrentAccountDetailsOutput | undefined;
  if (!account) throw new ConnectorError('api_error', 'Mimecast returned no account record');
  return { data: account, summary: `Account "${account.accountName}" (${account.accountCode}${account.region ? `, region ${account.region}` : ''}).` };
});
