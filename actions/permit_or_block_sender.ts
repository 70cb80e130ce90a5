import { defineAction } from '../src/runtime/action.js';
import { PermitOrBlockSenderRoutes } from '../src/generated/routes.js';
import type { PermitOrBlockSenderInput, PermitOrBlockSenderOutput } from '../src/generated/types.js';

export default defineAction<PermitOrBlockSenderInput, PermitOrBlockSenderOutput>(async (input, { client }) => {
  const done = await client.items<PermitOrBlockSenderOutput[number]>(PermitOrBlockSenderRoutes.permitOrBlockSender, input.permit_block_information);
  const blocked = done.filter((d) => String(d.type).toLowerCase() === 'block').length;
  return { data: done, summary: `Managed senders set: ${blocked} blocked, ${done.length - blocked} permitted.` };
});
