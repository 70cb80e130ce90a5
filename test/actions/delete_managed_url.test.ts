import { exitCodeFor, runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/url/delete-managed-url';
const example = manifest.actions.delete_managed_url.example![0] as { id: string };
/** Mimecast's answers as Rapid7 captured them: data[] empty on success; fail[] without a key. */
const deleted = { meta: { status: 200 }, data: [], fail: [] };
const notFound = {
  meta: { status: 200 },
  data: [],
  fail: [{ errors: [{ code: 'err_managed_url_not_found', message: 'Managed URL not found', retryable: false }] }],
};

describe('delete_managed_url (nock)', () => {
  setupNock();

  it("sends the example's id as data[{id}] and returns the deleted id", async () => {
    mimecast()
      .post(PATH, { data: [{ id: example.id }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, deleted);
    const r = await runAction('delete_managed_url', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ id: example.id, deleted: true });
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe(`Deleted the managed URL entry ${example.id}.`);
    expect(r.meta.requests).toBe(2);
    validateOutput('delete_managed_url', r.data);
  });

  it('is failed (not_found, exit 1) when Mimecast does not know the id', async () => {
    mimecast()
      .post(PATH, { data: [{ id: 'gone' }] })
      .reply(200, notFound);
    const r = await runAction('delete_managed_url', { id: 'gone' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({
      type: 'not_found',
      code: 'err_managed_url_not_found',
      message: `POST ${PATH}: Managed URL not found (err_managed_url_not_found)`,
    });
    expect(exitCodeFor(r)).toBe(1);
  });

  it('is failed when Mimecast reports a status other than 200 inside HTTP 200', async () => {
    mimecast()
      .post(PATH)
      .reply(200, { meta: { status: 500 }, data: [], fail: [] });
    const r = await runAction('delete_managed_url', { id: 'x' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error' });
  });

  it('is never re-sent after a 5xx (a write that may have been applied)', async () => {
    mimecast().post(PATH).reply(503, 'Service Unavailable');
    const r = await runAction('delete_managed_url', { id: 'x' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 503 });
    expect(r.error!.hint).toContain('not re-sent');
    expect(r.meta.requests).toBe(2);
  });

  it('names the permission when Mimecast answers 403 app_forbidden', async () => {
    mimecast().post(PATH).reply(403, fixture('gateway-403-app-forbidden.json'));
    const r = await runAction('delete_managed_url', { id: 'x' }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'permission_error', http_status: 403 });
    // The permission Mimecast's page names for this route (mimecast-api.md §8), not the URL Protect one of create/get.
    expect(r.error!.hint).toBe('Give the API application\'s role the "Services | URL Protection | Edit" permission in Mimecast (Administration → Roles).');
  });

  it('shows the request in a dry run and sends nothing', async () => {
    const r = await runAction('delete_managed_url', example, config, { ...fast, dryRun: true });
    expect(r.status).toBe('success');
    const requests = (r.data as { requests: { method: string; url: string; body: unknown }[] }).requests;
    expect(requests).toEqual([expect.objectContaining({ method: 'POST', url: `${config.base_url}${PATH}`, body: { data: [{ id: example.id }] } })]);
  });

  it.each([
    [{}, 'id is required'],
    [{ id: '' }, 'id is required'],
    [{ id: ['a', 'b'] }, 'id must be a string'],
    [{ id: 'a', url: 'https://x.example' }, 'input has an unknown key "url" (allowed: id)'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('delete_managed_url', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });

  it('is the undo of create_managed_url, and create_managed_url is its undo', () => {
    expect(manifest.actions.create_managed_url.undo).toBe('delete_managed_url');
    expect(manifest.actions.delete_managed_url.undo).toBe('create_managed_url');
    expect(manifest.actions.delete_managed_url.read_only).toBe(false);
  });
});

describe('delete_managed_url (simulator)', () => {
  const h = useSimulator();
  const ids = async (input: Record<string, unknown> = {}) => (await h.run('get_managed_urls', input)).data.map((u: { id: string }) => u.id) as string[];

  it('deletes the example entry: it is no longer listed, and a second delete is not_found', async () => {
    expect(await ids()).toContain(example.id);
    const r = await h.run('delete_managed_url', example);
    expect(r.status).toBe('success');
    expect(r.data).toEqual({ id: example.id, deleted: true });
    validateOutput('delete_managed_url', r.data);
    const left = await ids();
    expect(left).not.toContain(example.id);
    expect(left).toHaveLength(30);
    const again = await h.run('delete_managed_url', example);
    expect(again.status).toBe('failed');
    expect(again.error).toMatchObject({ type: 'not_found', code: 'err_managed_url_not_found' });
  });

  it('undoes create_managed_url: the created URL is listed, then gone', async () => {
    const url = 'https://undo-me.example.net/login';
    const created = await h.run('create_managed_url', { url_information: [{ url, action: 'block' }] });
    expect(created.status).toBe('success');
    const [{ id }] = created.data as { id: string }[];
    expect(await ids({ domain_or_url: url })).toEqual([id]);
    const r = await h.run(manifest.actions.create_managed_url.undo!, { id });
    expect(r.status).toBe('success');
    expect(await ids({ domain_or_url: url })).toEqual([]);
    // Gone for good: the same URL can be created again (no err_managed_url_exists_code).
    const recreated = await h.run('create_managed_url', { url_information: [{ url, action: 'block' }] });
    expect(recreated.status).toBe('success');
    expect(recreated.data[0].id).not.toBe(id);
  });
});
