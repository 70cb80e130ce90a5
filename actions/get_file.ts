import { defineAction } from '../src/runtime/action.js';
import type { GetFileInput, GetFileOutput } from '../src/generated/types.js';

export default defineAction<GetFileInput, GetFileOutput>(async (input, { client, outputDir }) => {
  const id = input.file_or_attachment_id;
  const file = await client.download(
    { method: 'POST', path: '/api/gateway/message/get-file', body: { data: [{ id }] }, readOnly: true },
    { outputDir, fallbackName: input.file_name ?? `mimecast-${id.slice(0, 16)}.bin` },
  );
  return { data: file, summary: `Saved ${file.file_name} (${file.size} bytes, sha256 ${file.sha256.slice(0, 12)}…) to ${file.path}.` };
});
