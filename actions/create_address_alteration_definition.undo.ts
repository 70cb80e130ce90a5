/** Undo of Create Address Alteration Definition: delete the definition by the id Mimecast returned. */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreateAddressAlterationDefinitionInput } from '../src/generated/types.js';

export default defineUndo<CreateAddressAlterationDefinitionInput>({
  plan: ({ succeeded }) => idsOf(succeeded).map((id) => ({ action: 'delete_address_alteration_definition', input: { id } })),
});
