import { defineAction, plural } from '../src/runtime/action.js';
import { DecodeUrlRoutes } from '../src/generated/routes.js';
import type { DecodeUrlInput, DecodeUrlOutput } from '../src/generated/types.js';

export default defineAction<DecodeUrlInput, DecodeUrlOutput>(async (input, { client }) => {
  const items = input.encoded_urls.map((u) => (typeof u === 'string' ? { url: u } : u));
  const decoded = await client.items<DecodeUrlOutput[number]>(DecodeUrlRoutes.decodeUrl, items, { successFlag: 'success' });
  return { data: decoded, summary: `Decoded ${plural(decoded.length, 'URL')} of ${items.length}.` };
});
