import { defineAction, downloadById } from '../src/runtime/action.js';
import { GetFileRoutes } from '../src/generated/routes.js';
import type { GetFileInput, GetFileOutput } from '../src/generated/types.js';

export default defineAction<GetFileInput, GetFileOutput>((input, ctx) =>
  downloadById(ctx, GetFileRoutes.getFile, input.file_or_attachment_id, input.file_name),
);
