/**
 * delete_managed_url and get_audit_events through the built CLI (dist/cli.js): in a dry run
 * (nothing sent), with --simulator, and against a simulator over loopback (the undo of
 * create_managed_url across processes; paged audit events).
 */
import { actionExample, embeddedSimNow, hoursBefore, requestsTo, runCli, simEnv, tmpDir, useCliSimulator } from '../helpers/cli.js';

const cli = useCliSimulator();

describe('delete_managed_url', () => {
  it('dry-runs the example: the exact request, exit 0, nothing sent', async () => {
    const [example] = actionExample('delete_managed_url');
    const r = await runCli(['run', 'delete_managed_url', '--dry-run', '--input', JSON.stringify(example)], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(r.json.data.requests).toEqual([
      expect.objectContaining({ method: 'POST', url: `${cli.sim.url}/api/ttp/url/delete-managed-url`, body: { data: [{ id: example.id }] } }),
    ]);
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('runs the example with --simulator (exit 0)', async () => {
    const r = await runCli(['run', 'delete_managed_url', '--simulator', '--input', JSON.stringify(actionExample('delete_managed_url')[0])], {
      cacheHome: tmpDir('mc-cache-'),
    });
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ status: 'success', action: 'delete_managed_url', data: { deleted: true } });
  });

  it('undoes create_managed_url in another process; deleting again is not_found (exit 1)', async () => {
    const env = simEnv(cli.sim);
    const cacheHome = tmpDir('mc-cache-');
    const url = 'https://cli-undo.example.net/kit';
    const created = await runCli(['run', 'create_managed_url', '--input', JSON.stringify({ url_information: [{ url, action: 'block' }] })], { env, cacheHome });
    expect(created.code).toBe(0);
    const id = created.json.data[0].id as string;

    const deleted = await runCli(['run', 'delete_managed_url', '--input', JSON.stringify({ id })], { env, cacheHome });
    expect(deleted.code).toBe(0);
    expect(deleted.json.data).toEqual({ id, deleted: true });
    expect(requestsTo(cli.sim, '/api/ttp/url/delete-managed-url').map((q) => q.body)).toEqual([{ data: [{ id }] }]);

    const listed = await runCli(['run', 'get_managed_urls', '--input', JSON.stringify({ domain_or_url: url })], { env, cacheHome });
    expect(listed.json.data).toEqual([]);

    const again = await runCli(['run', 'delete_managed_url', '--input', JSON.stringify({ id })], { env, cacheHome });
    expect(again.code).toBe(1);
    expect(again.json.error).toMatchObject({ type: 'not_found', code: 'err_managed_url_not_found' });
  });

  it('refuses a missing id with exit 2 before anything is sent', async () => {
    const r = await runCli(['run', 'delete_managed_url', '--input', '{}'], { env: simEnv(cli.sim) });
    expect(r.code).toBe(2);
    expect(r.json.error).toEqual({ type: 'input_error', message: 'id is required', field: 'id' });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });
});

describe('get_audit_events', () => {
  it('dry-runs the example: the first page request, exit 0, nothing sent', async () => {
    const r = await runCli(['run', 'get_audit_events', '--dry-run', '--input', JSON.stringify(actionExample('get_audit_events'))], { env: simEnv(cli.sim) });
    expect(r.code).toBe(0);
    const [res] = r.json;
    expect(res.status).toBe('success');
    const [req] = res.data.requests;
    expect(req.url).toBe(`${cli.sim.url}/api/audit/get-audit-events`);
    expect(req.body).toEqual({
      meta: { pagination: { pageSize: 100 } },
      data: [
        {
          startDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\+0000$/),
          endDateTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/),
          categories: ['authentication_logs'],
        },
      ],
    });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('runs with --simulator and pages through the last day', async () => {
    const start = hoursBefore(embeddedSimNow(), 25);
    const r = await runCli(['run', 'get_audit_events', '--simulator', '--input', JSON.stringify({ start, page_size: 40 })], { cacheHome: tmpDir('mc-cache-') });
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(r.json.data).toHaveLength(144);
    expect(r.json.meta.pages).toBe(4);
    expect(r.json.data[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        auditType: expect.any(String),
        user: expect.any(String),
        eventTime: expect.any(String),
        eventInfo: expect.any(String),
        category: expect.any(String),
      }),
    );
  });

  it('sends query and categories to a simulator over loopback', async () => {
    const start = hoursBefore(cli.sim.now(), 25);
    const r = await runCli(
      ['run', 'get_audit_events', '--input', JSON.stringify({ start, query: 'failed authentication', categories: 'authentication_logs' })],
      { env: simEnv(cli.sim) },
    );
    expect(r.code).toBe(0);
    expect(r.json.data).toHaveLength(24);
    const [q] = requestsTo(cli.sim, '/api/audit/get-audit-events');
    expect((q.body as { data: Record<string, unknown>[] }).data[0]).toMatchObject({ query: 'failed authentication', categories: ['authentication_logs'] });
  });
});
