import { defineAction } from '../src/runtime/action.js';
import { DeleteManagedUrlRoutes } from '../src/generated/routes.js';
import type { DeleteManagedUrlInput, DeleteManagedUrlOutput } from '../src/generated/types.js';

export default defineAction<DeleteManagedUrlInput, DeleteManagedUrlOutput>(async (input, { client }) => {
  // Mimecast answers data: [] on success; fail[] (err_managed_url_not_found, ...) fails the run.
  await client.single(DeleteManagedUrlRoutes.deleteManagedUrl, { id: input.id });
  return { data: { id: input.id, deleted: true }, summary: `Deleted the managed URL entry ${input.id}.` };
});
