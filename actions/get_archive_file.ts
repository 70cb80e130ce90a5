import { defineAction, downloadById } from '../src/runtime/action.js';
import type { GetArchiveFileInput, GetArchiveFileOutput } from '../src/generated/types.js';

export default defineAction<GetArchiveFileInput, GetArchiveFileOutput>((input, ctx) =>
  downloadById(ctx, '/api/archive/get-file', input.file_or_attachment_id, input.file_name),
);
