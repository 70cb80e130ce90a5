/**
 * /api/gateway/message/get-file — a message attachment as a file stream on success, the JSON
 * envelope (fail[]) on failure. Serves the same attachments as the archive (every attachment
 * id that get-message-detail lists, DEMO_ATTACHMENT_ID among them).
 */
import { defineRoutes } from '../types.js';
import { fileResponse } from './archive.js';
import { attachmentFiles } from './archive-messages.js';

export default defineRoutes({
  'POST /api/gateway/message/get-file': (req, sim) => fileResponse(sim, attachmentFiles(sim), sim.items(req)[0] ?? {}),
});
