/** Undo of Add Group Member: remove exactly the members Mimecast added (a member that failed was not added). */
import { defineUndo } from '../src/journal/types.js';
import { memberRefs } from '../src/journal/builders.js';
import type { AddGroupMemberInput } from '../src/generated/types.js';

export default defineUndo<AddGroupMemberInput>({
  plan: ({ succeeded }) => (succeeded.length ? [{ action: 'remove_group_member', input: { member_information: memberRefs(succeeded) } }] : []),
});
