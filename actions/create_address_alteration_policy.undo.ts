/** Undo of Create Address Alteration Policy: delete the policies Mimecast created, by their ids. */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreateAddressAlterationPolicyInput } from '../src/generated/types.js';

export default defineUndo<CreateAddressAlterationPolicyInput>({
  plan: ({ succeeded }) => {
    const ids = idsOf(succeeded);
    return ids.length ? [{ action: 'delete_address_alteration_policy', input: { policy_id: ids } }] : [];
  },
});
