/**
 * The nock suites' teardown (test/helpers/nock.ts): a run answered by nock leaves no socket
 * behind once the test's hooks have run, so a jest worker does not pile up one per mocked
 * connection from file to file.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { createConnector, runAction } from '../../src/runtime/run.js';
import { config, fast, mimecast, setupNock } from '../helpers/nock.js';

const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
const groups = { meta: { status: 200, pagination: { pageSize: 100, totalCount: 0 } }, data: [{ source: 'cloud', folders: [] }], fail: [] };

describe('mocked sockets', () => {
  setupNock();
  let before: number;

  beforeAll(() => {
    before = sockets();
  });

  it('a run of its own and a connector run, both answered by nock', async () => {
    mimecast().post('/api/directory/find-groups').reply(200, groups);
    expect((await runAction('search_groups', {}, config, fast)).status).toBe('success');
    mimecast().post('/api/directory/find-groups').reply(200, groups);
    const connector = createConnector(config, fast);
    expect((await connector.run('search_groups', {}, fast)).status).toBe('success');
    await connector.close();
  });

  it('leave no socket once the hooks after them have run', async () => {
    // A closed handle is released in the loop's close phase, after the check phase of the first tick.
    await tick();
    await tick();
    expect(sockets()).toBe(before);
  });
});
