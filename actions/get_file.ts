import { defineAction, downloadById } from '../src/runtime/action.js';
import type { GetFileInput, GetFileOutput } from '../src/generated/types.js';

export default defineAction<GetFileInput, GetFileOutput>((input, ctx) =>
  downloadById(ctx, '/api/gateway/message/get-file', input.file_or_attachment_id, input.file_name),
);
