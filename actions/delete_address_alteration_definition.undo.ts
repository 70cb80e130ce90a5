/**
 * Undo of Delete Address Alteration Definition: the definition is created again from its
 * before-image. Get Address Alteration Definition has no id filter, so the before read lists the
 * definitions of each routing (every definition has one) and keeps the one with the id.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, missingNote, readById } from '../src/journal/builders.js';
import type { DeleteAddressAlterationDefinitionInput } from '../src/generated/types.js';

const ROUTINGS = ['all', 'inbound', 'outbound'];

export default defineUndo<DeleteAddressAlterationDefinitionInput>({
  async before(input, read) {
    for (const routing of ROUTINGS) {
      const rows = await readById(read, 'get_address_alteration_definition', { routing });
      if (rows[input.id]) return { [input.id]: rows[input.id] };
    }
    return {};
  },
  plan: ({ succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const deleted = idsOf(succeeded);
    const steps = deleted
      .filter((id) => images[id])
      .map((id) => {
        const d = images[id];
        const input: Record<string, unknown> = {
          original_address: d.originalAddress,
          new_address: d.newAddress,
          address_type: d.addressType,
          routing: d.routing,
        };
        // No folder: a root-level definition (messages without an address alteration policy).
        if (typeof d.folderId === 'string' && d.folderId !== '') input.folder_id = d.folderId;
        return { action: 'create_address_alteration_definition', input };
      });
    return {
      action: 'create_address_alteration_definition',
      steps,
      undo_note: missingNote(
        deleted.filter((id) => !images[id]),
        'The definition is created again from its before-image; it gets a new ID.',
      ),
    };
  },
});
