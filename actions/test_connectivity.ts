import { defineAction } from '../src/runtime/action.js';
import { TestConnectivityRoutes } from '../src/generated/routes.js';
import type { TestConnectivityInput, TestConnectivityOutput } from '../src/generated/types.js';

export default defineAction<TestConnectivityInput, TestConnectivityOutput>(async (_input, { client, config }) => {
  const env = await client.single(TestConnectivityRoutes.getAccount);
  const account = (env.data?.[0] ?? {}) as { accountName?: string; accountCode?: string; region?: string };
  const proxy = client.proxy;
  return {
    data: {
      connected: true,
      base_url: config.base_url,
      account_name: account.accountName,
      account_code: account.accountCode,
      region: account.region,
      proxy: proxy ?? null,
    },
    summary: `Connected to Mimecast at ${config.base_url}${account.accountName ? ` as account "${account.accountName}"` : ''}, ${proxy ? `through the proxy ${proxy}` : 'directly (no proxy)'}.`,
  };
});
