import { defineAction, plural } from '../src/runtime/action.js';
import { GetAddressAlterationSetRoutes } from '../src/generated/routes.js';
import type { GetAddressAlterationSetInput, GetAddressAlterationSetOutput } from '../src/generated/types.js';

type AlterationSet = GetAddressAlterationSetOutput[number];

/** The sets in a tree: the top-level ones and every child set nested in folders[]. */
function countSets(sets: unknown[]): number {
  let n = 0;
  for (const s of sets) {
    n++;
    const children = (s as AlterationSet | null)?.folders;
    if (Array.isArray(children)) n += countSets(children);
  }
  return n;
}

export default defineAction<GetAddressAlterationSetInput, GetAddressAlterationSetOutput>(async (input, { client }) => {
  const item: Record<string, unknown> = {};
  if (input.folder_id !== undefined) item.folderId = input.folder_id;
  item.depth = input.depth ?? 1;
  const env = await client.single(GetAddressAlterationSetRoutes.getAddressAlterationSet, item);
  const sets = (env.data ?? []) as AlterationSet[];
  const top = input.folder_id === undefined ? 'at the root level' : 'for the given folder';
  return {
    data: sets,
    summary: `Found ${plural(sets.length, 'address alteration set')} ${top} (${countSets(sets)} including child sets, depth ${item.depth}).`,
  };
});
