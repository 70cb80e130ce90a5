/**
 * A client secret of another JSON type than a string: refused as a config_error naming the key,
 * before anything is sent, and never echoed (a number is masked like any secret).
 */
import nock from 'nock';
import { runAction } from '../../src/runtime/run.js';
import { BASE, CLIENT_ID, fast, setupNock } from '../helpers/nock.js';

const DIGITS = 86753094215;
const refused = {
  status: 'failed',
  action: 'search_groups',
  summary: 'Failed: client_secret must be a string: put the secret in quotes (a JSON number can lose digits)',
  data: null,
  failures: [],
  error: { type: 'config_error', message: 'client_secret must be a string: put the secret in quotes (a JSON number can lose digits)', field: 'client_secret' },
  meta: { requests: 0, duration_ms: expect.any(Number) },
};

describe('client_secret of another type', () => {
  setupNock();

  it.each([
    ['a number', DIGITS],
    ['true', true],
  ])('is a config_error naming client_secret when it is %s, and nothing is sent', async (_what, secret) => {
    // What a tenant would answer if the run went ahead: an error that echoes the secret it was sent.
    nock(BASE)
      .post('/oauth/token')
      .optionally()
      .reply(200, { access_token: 'numeric-secret-test-token-0123', token_type: 'Bearer', expires_in: 1799 })
      .post('/api/directory/find-groups')
      .optionally()
      .reply(400, { meta: { status: 400 }, data: [], fail: [{ errors: [{ code: 'err_echo', message: `secret was ${String(secret)}` }] }] });
    const r = await runAction('search_groups', {}, { base_url: BASE, client_id: CLIENT_ID, client_secret: secret }, fast);
    expect(r).toEqual(refused);
    expect(nock.activeMocks()).toHaveLength(2); // neither was used
  });

  it('a numeric secret is masked in output all the same', async () => {
    await runAction('search_groups', {}, { base_url: BASE, client_id: CLIENT_ID, client_secret: DIGITS }, fast);
    const { redact } = await import('../../src/base/log.js');
    expect(redact(`id ${DIGITS}`)).toBe('id [REDACTED]');
  });
});
