/**
 * Undo of Update Group: each group Mimecast updated gets back the description and parent it had
 * (Search Groups, read just before the update: every page, since it has no id filter). The parent
 * is sent back only for a group the update moved: an unmoved group keeps its place untouched.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, missingNote, readById } from '../src/journal/builders.js';
import type { UpdateGroupInput } from '../src/generated/types.js';

export default defineUndo<UpdateGroupInput>({
  async before(input, read) {
    const rows = await readById(read, 'search_groups', { page_size: 500 });
    return Object.fromEntries(input.groups_information.filter((g) => rows[g.id]).map((g) => [g.id, rows[g.id]]));
  },
  plan: ({ input, succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const updated = idsOf(succeeded);
    const moved = new Set(input.groups_information.filter((g) => g.parentId !== undefined).map((g) => g.id));
    const groups = updated
      .filter((id) => images[id])
      .map((id) => {
        const g: Record<string, unknown> = { id };
        if (typeof images[id].description === 'string') g.description = images[id].description;
        if (moved.has(id) && typeof images[id].parentId === 'string' && images[id].parentId !== '') g.parentId = images[id].parentId;
        return g;
      });
    return {
      action: 'update_group',
      steps: groups.length ? [{ action: 'update_group', input: { groups_information: groups } }] : [],
      undo_note: missingNote(
        updated.filter((id) => !images[id]),
        'Each group gets back the description and parent it had.',
      ),
    };
  },
});
