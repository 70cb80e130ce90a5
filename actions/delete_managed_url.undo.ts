/**
 * Undo of Delete Managed URL: the entry is created again from its before-image (Get Managed URLs,
 * read just before the delete): its URL, action, match type, comment and disable* options. Mimecast
 * lists an entry in parts (scheme, domain, port, path, query), so the URL is put back together.
 */
import { defineUndo } from '../src/journal/types.js';
import { idsOf, missingNote, readById } from '../src/journal/builders.js';
import type { DeleteManagedUrlInput } from '../src/generated/types.js';

/** The URL Create Managed URL takes for a listed entry (a domain entry is its domain). */
function urlOf(u: Record<string, unknown>): string {
  const s = (k: string) => (typeof u[k] === 'string' ? (u[k] as string) : '');
  if (u.matchType === 'domain') return s('domain');
  const port = typeof u.port === 'number' && u.port > 0 ? `:${u.port}` : '';
  return `${s('scheme') ? `${s('scheme')}://` : ''}${s('domain')}${port}${s('path')}${s('queryString') ? `?${s('queryString')}` : ''}`;
}

export default defineUndo<DeleteManagedUrlInput>({
  async before(input, read) {
    const rows = await readById(read, 'get_managed_urls', {});
    return rows[input.id] ? { [input.id]: rows[input.id] } : {};
  },
  plan: ({ succeeded, before }) => {
    const images = (before ?? {}) as Record<string, Record<string, unknown>>;
    const deleted = idsOf(succeeded);
    const entries = deleted
      .filter((id) => images[id])
      .map((id) => {
        const u = images[id];
        const entry: Record<string, unknown> = { url: urlOf(u), action: u.action };
        for (const k of ['matchType', 'comment']) if (typeof u[k] === 'string' && u[k] !== '') entry[k] = u[k];
        for (const k of ['disableRewrite', 'disableUserAwareness', 'disableLogClick']) if (typeof u[k] === 'boolean') entry[k] = u[k];
        return entry;
      });
    return {
      action: 'create_managed_url',
      steps: entries.length ? [{ action: 'create_managed_url', input: { url_information: entries } }] : [],
      undo_note: missingNote(
        deleted.filter((id) => !images[id]),
        'The entry is created again from its before-image; it gets a new ID.',
      ),
    };
  },
});
