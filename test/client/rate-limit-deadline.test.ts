/**
 * A 429 that asks for a wait the run's deadline cannot hold fails at once as rate_limited (what
 * happened: the quota is spent), not later as a timeout after waiting for nothing.
 */
import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

describe('a 429 wait longer than the time left', () => {
  setupNock();

  it('is rate_limited, not timeout, when the wait fits the longest wait allowed but not the deadline', async () => {
    mimecast().post('/api/directory/find-groups').reply(429, '', { 'X-RateLimit-Reset': '5000' });
    const r = await runAction('search_groups', {}, config, { ...fast, retry: { ...fast.retry, maxWaitMs: 60_000 }, deadlineMs: 2_000 });
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      type: 'rate_limited',
      http_status: 429,
      message: 'Mimecast rate limit: it asks to wait 5 s, more than this action can wait',
      hint: 'The application has used its API quota; run the action again later or lower its frequency.',
    });
    expect(r.meta.requests).toBe(2);
    expect(exitCodeFor(r)).toBe(1);
  });
});
