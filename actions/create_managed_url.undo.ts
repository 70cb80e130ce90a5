/** Undo of Create Managed URL: delete each entry by the id Mimecast returned (one run per id: the action takes one). */
import { defineUndo } from '../src/journal/types.js';
import { idsOf } from '../src/journal/builders.js';
import type { CreateManagedUrlInput } from '../src/generated/types.js';

export default defineUndo<CreateManagedUrlInput>({
  plan: ({ succeeded }) => idsOf(succeeded).map((id) => ({ action: 'delete_managed_url', input: { id } })),
});
