/** Undo of Remove Group Member: add back exactly the members Mimecast removed (their notes are not restored). */
import { defineUndo } from '../src/journal/types.js';
import { memberRefs } from '../src/journal/builders.js';
import type { RemoveGroupMemberInput } from '../src/generated/types.js';

export default defineUndo<RemoveGroupMemberInput>({
  plan: ({ succeeded }) =>
    succeeded.length
      ? {
          action: 'add_group_member',
          steps: [{ action: 'add_group_member', input: { member_information: memberRefs(succeeded) } }],
          undo_note: 'Notes the members had are not restored.',
        }
      : [],
});
