/**
 * /api/ttp/url/delete-managed-url — removes entries from the managed URL list that
 * create-managed-url adds to and get-all-managed-urls reads (ttp-managed-url.ts): a deleted entry
 * is no longer listed, and deleting it again fails with err_managed_url_not_found.
 * As in the answers Rapid7 captured: data[] is empty on success and a fail[] entry has no key.
 */
import { defineRoutes, type FailEntry } from '../types.js';
import { managedUrls } from './ttp-managed-url.js';

const failure = (code: string, message: string, field?: string): FailEntry => ({
  key: undefined,
  errors: [{ code, message, ...(field ? { field } : {}), retryable: false }],
});

export default defineRoutes({
  'POST /api/ttp/url/delete-managed-url': (req, sim) => {
    const rows = managedUrls(sim);
    const fail: FailEntry[] = [];
    for (const item of sim.items(req)) {
      const id = typeof item.id === 'string' ? item.id : '';
      const at = rows.findIndex((r) => r.id === id);
      if (!id) fail.push(failure(item.id === undefined ? 'err_validation_null' : 'err_validation_blank', 'The id field must not be blank', 'id'));
      else if (at < 0) fail.push(failure('err_managed_url_not_found', 'Managed URL not found'));
      else rows.splice(at, 1);
    }
    return sim.ok([], fail);
  },
});
