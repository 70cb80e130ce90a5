/**
 * The client a handler gets is bound to its manifest entry: routes, read_only and chunk_size come
 * from the manifest, and a call outside the declared routes is refused before anything is sent.
 */
import nock from 'nock';
import { ConnectorError } from '../../src/base/errors.js';
import manifest from '../../src/generated/manifest.js';
import { boundClient } from '../helpers/client.js';
import { BASE, config, mimecast, setupNock } from '../helpers/nock.js';

const retry = { retries: 2, minTimeout: 1, maxTimeout: 2 };

describe('manifest-bound client', () => {
  setupNock();

  it('refuses a route the manifest does not declare, naming it, and sends nothing (not even a token request)', async () => {
    const { client, connection } = boundClient(config, { id: 'release_held_message', routes: ['POST /api/gateway/hold-release'] });
    const err = await client.single('/api/gateway/hold-reject', { ids: ['x'] }).catch((e: unknown) => e);
    await connection.close();
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({
      type: 'internal_error',
      message: 'release_held_message called "POST /api/gateway/hold-reject", a route its manifest does not declare (routes: POST /api/gateway/hold-release)',
    });
    expect(client.ledger.requests).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses it in a dry run too, so `check` catches a handler that drifted from its manifest', async () => {
    const { client, recorded } = boundClient(config, { routes: ['POST /api/a'] }, { dryRun: true });
    await expect(client.items('/api/b', [{ id: 1 }])).rejects.toMatchObject({ type: 'internal_error' });
    expect(recorded).toEqual([]);
  });

  it('refuses a method the route does not declare', async () => {
    const { client } = boundClient(config, { routes: ['POST /api/a'] });
    await expect(client.request({ method: 'GET', path: '/api/a' })).rejects.toMatchObject({ type: 'internal_error' });
  });

  it('lets the Generic Action route "* {base_url}/*" call any method and path on the base URL', async () => {
    mimecast()
      .get('/api/anything/here')
      .reply(200, { meta: { status: 200 }, data: [], fail: [] });
    const { client, connection } = boundClient(config, { routes: manifest.actions.generic_action.routes });
    const res = await client.request({ method: 'GET', path: '/api/anything/here' });
    await connection.close();
    expect(res.status).toBe(200);
  });

  it('retries a 503 when the manifest says read_only: true, and never re-sends when it says false', async () => {
    mimecast()
      .post('/api/r')
      .reply(503, '')
      .post('/api/r')
      .reply(200, { meta: { status: 200 }, data: [{ ok: 1 }], fail: [] });
    const read = boundClient(config, { routes: ['POST /api/r'], read_only: true }, { retry });
    await expect(read.client.single('/api/r')).resolves.toMatchObject({ data: [{ ok: 1 }] });
    expect(read.client.ledger.requests).toBe(3);

    mimecast().post('/api/w').reply(503, '');
    const write = boundClient(config, { routes: ['POST /api/w'], read_only: false }, { retry });
    const err = await write.client.single('/api/w').catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'api_error', httpStatus: 503, resendWithheld: true });
    expect(write.client.ledger.requests).toBe(2);
    await read.connection.close();
    await write.connection.close();
  });

  it('splits items by the manifest chunk_size', async () => {
    const items = [1, 2, 3, 4, 5].map((id) => ({ id }));
    const scope = mimecast();
    for (const chunk of [items.slice(0, 2), items.slice(2, 4), items.slice(4)]) {
      scope.post('/api/c', { data: chunk }).reply(200, { meta: { status: 200 }, data: chunk, fail: [] });
    }
    const { client, connection } = boundClient(config, { routes: ['POST /api/c'], chunk_size: 2 });
    await expect(client.items('/api/c', items)).resolves.toEqual(items);
    await connection.close();
  });

  it('gives a handler no way to state read-only or a chunk size (type-checked)', () => {
    const { client } = boundClient(config, { routes: ['POST /api/c'] }, { dryRun: true });
    // @ts-expect-error readOnly is the manifest's to say
    void client.items('/api/c', [], { readOnly: true });
    // @ts-expect-error chunkSize is the manifest's to say
    void client.items('/api/c', [], { chunkSize: 500 });
    // @ts-expect-error single() takes no readOnly
    void client.single('/api/c', {}, { readOnly: true });
    expect(BASE).toMatch(/^https:\/\/127\.0\.0\.1/);
  });
});
