/** /api/account/* — the account record is the real capture in fixtures/api-account-get-account.json. */
import account from '../fixtures/api-account-get-account.json' with { type: 'json' };
import { defineRoutes } from '../types.js';

export default defineRoutes({
  'POST /api/account/get-account': (_req, sim) => sim.ok(account.data),
});
