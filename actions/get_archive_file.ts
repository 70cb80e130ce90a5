import { defineAction, downloadById } from '../src/runtime/action.js';
import { GetArchiveFileRoutes } from '../src/generated/routes.js';
import type { GetArchiveFileInput, GetArchiveFileOutput } from '../src/generated/types.js';

export default defineAction<GetArchiveFileInput, GetArchiveFileOutput>((input, ctx) =>
  downloadById(ctx, GetArchiveFileRoutes.getFile, input.file_or_attachment_id, input.file_name),
);
