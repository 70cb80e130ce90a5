import { runAction } from '../../src/runtime/run.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, fixture, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';
import manifest from '../../src/generated/manifest.js';

const example = manifest.actions.create_managed_url.example![0];
const EXISTS = { code: 'err_managed_url_exists_code', message: 'The managed URL already exists; to update it, delete and recreate', retryable: false };

describe('create_managed_url (nock)', () => {
  setupNock();

  it("sends the seed's example as one data item and returns Mimecast's entry", async () => {
    const ok = fixture('api-ttp-url-create-managed-url.json');
    mimecast()
      .post('/api/ttp/url/create-managed-url', { data: [{ url: 'https://www.example.com', action: 'permit' }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .matchHeader('content-type', 'application/json')
      .reply(200, ok);
    const r = await runAction('create_managed_url', example, config, fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual(ok.data);
    expect(r.failures).toEqual([]);
    expect(r.summary).toBe('Created 1 managed URL entry (0 blocked, 1 permitted).');
    expect(r.meta.requests).toBe(2);
    validateOutput('create_managed_url', r.data);
  });

  it('accepts action and matchType in any case and SOAR-style booleans, and sends every option under its Mimecast key', async () => {
    const sent = {
      url: 'http://phish.example.net/login',
      action: 'block',
      matchType: 'domain',
      comment: 'IR-1234',
      disableRewrite: false,
      disableUserAwareness: false,
      disableLogClick: true,
    };
    const entry = {
      id: 'mu-1',
      scheme: 'http',
      domain: 'phish.example.net',
      port: -1,
      path: '',
      queryString: '',
      matchType: 'domain',
      action: 'block',
      comment: 'IR-1234',
      disableUserAwareness: false,
      disableRewrite: false,
      disableLogClick: true,
    };
    mimecast()
      .post('/api/ttp/url/create-managed-url', { data: [sent] })
      .reply(200, { meta: { status: 200 }, data: [entry], fail: [] });
    const r = await runAction(
      'create_managed_url',
      {
        url_information: [
          {
            url: 'http://phish.example.net/login',
            action: 'BLOCK',
            matchType: 'Domain',
            comment: 'IR-1234',
            disableRewrite: 'False',
            disableUserAwareness: 'false',
            disableLogClick: 'True',
          },
        ],
      },
      config,
      fast,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([entry]);
    expect(r.summary).toBe('Created 1 managed URL entry (1 blocked, 0 permitted).');
  });

  it('is partial when one URL already exists (err_managed_url_exists_code), keyed by its item', async () => {
    const dup = { url: 'https://www.morele344.net/', action: 'permit' };
    const ok = fixture('api-ttp-url-create-managed-url.json');
    mimecast()
      .post('/api/ttp/url/create-managed-url', { data: [{ url: 'https://www.test.net/', action: 'permit' }, dup] })
      .reply(200, { meta: { status: 200 }, data: ok.data, fail: [{ key: dup, errors: [EXISTS] }] });
    const r = await runAction('create_managed_url', { url_information: [{ url: 'https://www.test.net/', action: 'permit' }, dup] }, config, fast);
    expect(r.status).toBe('partial');
    expect(r.data).toEqual(ok.data);
    expect(r.failures).toEqual([{ ...EXISTS, key: dup }]);
  });

  it('is failed when the only URL already exists', async () => {
    const dup = { url: 'https://www.morele344.net/', action: 'permit' };
    mimecast()
      .post('/api/ttp/url/create-managed-url', { data: [dup] })
      .reply(200, { meta: { status: 200 }, data: [], fail: [{ key: dup, errors: [EXISTS] }] });
    const r = await runAction('create_managed_url', { url_information: [dup] }, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ type: 'api_error', code: 'err_managed_url_exists_code' });
  });

  it.each([
    [{}, 'url_information is required'],
    [{ url_information: [{ url: 'https://a.example.com' }] }, 'url_information[0].action is required'],
    [{ url_information: [{ action: 'block' }] }, 'url_information[0].url is required'],
    [{ url_information: [{ url: 'https://a.example.com', action: 'allow' }] }, 'url_information[0].action must be one of: permit, block'],
    [
      { url_information: [{ url: 'https://a.example.com', action: 'block', matchType: 'prefix' }] },
      'url_information[0].matchType must be one of: explicit, domain',
    ],
    [{ url_information: [{ url: 'https://a.example.com', action: 'block', disableRewrite: 'maybe' }] }, 'url_information[0].disableRewrite must be a boolean'],
    [
      { url_information: [{ url: 'https://a.example.com', action: 'block', overrideUrl: true }] },
      'url_information[0] has an unknown key "overrideUrl" (allowed: url, action, matchType, comment, disableRewrite, disableUserAwareness, disableLogClick)',
    ],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('create_managed_url', input, config, fast);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('create_managed_url (simulator)', () => {
  const h = useSimulator();

  it("runs the seed's example; get_managed_urls then lists the entry; a second create fails like Mimecast", async () => {
    const r = await h.run('create_managed_url', example);
    expect(r.status).toBe('success');
    validateOutput('create_managed_url', r.data);
    const [entry] = r.data as { id: string; domain: string; action: string; matchType: string }[];
    expect(entry).toMatchObject({ domain: 'www.example.com', action: 'permit', matchType: 'explicit' });
    const listed = await h.run('get_managed_urls', { domain_or_url: 'www.example.com' });
    expect(listed.status).toBe('success');
    expect(listed.data).toEqual([entry]);
    const again = await h.run('create_managed_url', example);
    expect(again.status).toBe('failed');
    expect(again.failures).toEqual([{ ...EXISTS, key: { url: 'https://www.example.com', action: 'permit' } }]);
  });

  it('creates a blocked domain entry that the blocked filter lists, next to a refused duplicate (partial)', async () => {
    const r = await h.run('create_managed_url', {
      url_information: [
        { url: 'evil-payload.example.net', action: 'Block', matchType: 'domain', comment: 'IR-77' },
        { url: 'evil-payload.example.net', action: 'block', matchType: 'domain' },
      ],
    });
    expect(r.status).toBe('partial');
    expect(r.data).toEqual([expect.objectContaining({ domain: 'evil-payload.example.net', matchType: 'domain', action: 'block', comment: 'IR-77' })]);
    expect(r.failures[0]).toMatchObject({ code: 'err_managed_url_exists_code', key: { url: 'evil-payload.example.net', matchType: 'domain' } });
    const blocked = await h.run('get_managed_urls', { filter_by: ['blocked'], domain_or_content: 'IR-77' });
    expect(blocked.data.map((u: { domain: string }) => u.domain)).toEqual(['evil-payload.example.net']);
  });
});
