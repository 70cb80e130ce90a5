import { runAction } from '../../src/runtime/run.js';
import manifest from '../../src/generated/manifest.js';
import { validateOutput } from '../helpers/contract.js';
import { apiHeaders, config, fast, mimecast, setupNock } from '../helpers/nock.js';
import { useSimulator } from '../helpers/sim.js';

const PATH = '/api/ttp/impersonation/get-logs';
const example = manifest.actions.get_ttp_impersonation_protect_logs.example![0];
const NOW = Date.parse('2024-10-13T17:30:00Z');
const opts = { ...fast, now: () => NOW };
const TODAY = { from: '2024-10-13T00:00:00+0000', to: '2024-10-13T17:30:00+0000' };
const log = {
  id: 'imp-1',
  eventTime: '2024-10-13T09:00:00+0000',
  hits: 2,
  taggedMalicious: true,
  taggedExternal: true,
  senderAddress: 'ceo@examp1e.com',
  senderIpAddress: '203.0.113.9',
  recipientAddress: 'finance@example.com',
  subject: 'Urgent wire transfer',
  identifiers: ['similar_internal_domain', 'reply_address_mismatch'],
  action: 'hold',
  definition: 'Strict',
};
const page = (rows: unknown[]) => ({ meta: { status: 200, pagination: { pageSize: rows.length } }, data: [{ impersonationLogs: rows }], fail: [] });

describe('get_ttp_impersonation_protect_logs (nock)', () => {
  setupNock();

  it('sends the seed\'s example {"actions":"hold"} as actions: ["hold"] over today (UTC) → now', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ ...TODAY, actions: ['hold'], oldestFirst: false }] })
      .matchHeader('authorization', apiHeaders.reqheaders.authorization)
      .reply(200, page([log]));
    const r = await runAction('get_ttp_impersonation_protect_logs', example, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log]);
    expect(r.summary).toBe('Retrieved 1 impersonation protection log from 2024-10-13T00:00:00+0000 to 2024-10-13T17:30:00+0000 (1 page).');
    validateOutput('get_ttp_impersonation_protect_logs', r.data);
  });

  it('sends searchField "all" for a query without a search field, plus identifiers, taggedMalicious and oldestFirst', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 20 } },
        data: [
          {
            from: '2024-10-12T00:00:00+0000',
            to: '2024-10-12T12:00:00+0000',
            query: 'wire',
            searchField: 'all',
            identifiers: ['internal_user_name', 'custom_name_list'],
            taggedMalicious: true,
            oldestFirst: true,
          },
        ],
      })
      .reply(200, page([log]));
    const r = await runAction(
      'get_ttp_impersonation_protect_logs',
      {
        query: 'wire',
        identifiers: ['INTERNAL_USER_NAME', 'custom_name_list'],
        tagged_malicious: 'true',
        oldest_first: 'true',
        start_date: '2024-10-12',
        end_date: '2024-10-12T12:00:00Z',
        page_size: '20',
      },
      config,
      opts,
    );
    expect(r.status).toBe('success');
  });

  it('sends the given search field with the query', async () => {
    mimecast()
      .post(PATH, {
        meta: { pagination: { pageSize: 100 } },
        data: [{ ...TODAY, query: 'ceo@examp1e.com', searchField: 'senderAddress', taggedMalicious: false, oldestFirst: false }],
      })
      .reply(200, page([]));
    const r = await runAction(
      'get_ttp_impersonation_protect_logs',
      { query: 'ceo@examp1e.com', search_field: 'senderaddress', tagged_malicious: false },
      config,
      opts,
    );
    expect(r.status).toBe('success');
    expect(r.data).toEqual([]);
  });

  it('sends the seed\'s search field "definition" as Mimecast\'s "policy"', async () => {
    mimecast()
      .post(PATH, { meta: { pagination: { pageSize: 100 } }, data: [{ ...TODAY, query: 'Strict', searchField: 'policy', oldestFirst: false }] })
      .reply(200, page([log]));
    const r = await runAction('get_ttp_impersonation_protect_logs', { query: 'Strict', search_field: 'Definition' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log]);
  });

  it('shows searchField "policy" for "definition" in a dry run', async () => {
    const r = await runAction('get_ttp_impersonation_protect_logs', { query: 'Strict', search_field: 'definition' }, config, { ...opts, dryRun: true });
    expect(r.status).toBe('success');
    const [req] = (r.data as { requests: { body: { data: Record<string, unknown>[] } }[] }).requests;
    expect(req.body.data[0]).toMatchObject({ query: 'Strict', searchField: 'policy' });
  });

  it.each([
    [{ search_field: 'subject' }, 'query is required when search_field is given'],
    [{ actions: ['quarantine'] }, 'actions[0] must be one of: hold, bounce, none'],
    [
      { identifiers: 'lookalike' },
      'identifiers[0] must be one of: similar_internal_domain, newly_observed_domain, internal_user_name, reply_address_mismatch, targeted_threat_dictionary, custom_external_domain, mimecast_external_domain, advanced_similar_internal_domain, advanced_custom_external_domain, advanced_mimecast_external_domain, custom_name_list',
    ],
    [{ search_field: 'body', query: 'x' }, 'search_field must be one of: senderAddress, recipientAddress, subject, definition, all'],
    [{ tagged_malicious: 'maybe' }, 'tagged_malicious must be a boolean'],
  ])('refuses %j before sending anything', async (input, message) => {
    const r = await runAction('get_ttp_impersonation_protect_logs', input, config, opts);
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ type: 'input_error', message, field: expect.any(String) });
    expect(r.meta.requests).toBe(0);
  });
});

describe('get_ttp_impersonation_protect_logs (simulator)', () => {
  const h = useSimulator();
  const start = () => new Date(h.sim.now().getTime() - 24 * 3600_000).toISOString();

  it("runs the seed's example and gets only held messages", async () => {
    const r = await h.run('get_ttp_impersonation_protect_logs', example);
    expect(r.status).toBe('success');
    expect(r.data.every((l: { action: string }) => l.action === 'hold')).toBe(true);
    validateOutput('get_ttp_impersonation_protect_logs', r.data);
  });

  it('filters by identifiers, query (all fields) and tagged malicious over the last 24 h, newest first', async () => {
    const r = await h.run('get_ttp_impersonation_protect_logs', {
      start: start(),
      identifiers: ['custom_name_list'],
      query: 'WIRE',
      tagged_malicious: true,
      page_size: 3,
    });
    expect(r.status).toBe('success');
    expect(r.data.length).toBeGreaterThan(0);
    for (const l of r.data) {
      expect(l.identifiers).toContain('custom_name_list');
      expect(l.subject.toLowerCase()).toContain('wire');
      expect(l.taggedMalicious).toBe(true);
    }
    const times = r.data.map((l: { eventTime: string }) => l.eventTime);
    expect(times).toEqual([...times].sort().reverse());
    const none = await h.run('get_ttp_impersonation_protect_logs', { start: start(), query: 'wire', search_field: 'recipientAddress' });
    expect(none.data).toEqual([]);
  });

  it('searches the impersonation definition with search field "definition" (sent as policy)', async () => {
    const r = await h.run('get_ttp_impersonation_protect_logs', { start: start(), query: 'strict', search_field: 'definition' });
    expect(r.status).toBe('success');
    expect(r.data.length).toBeGreaterThan(0);
    expect(r.data.every((l: { definition: string }) => l.definition === 'Strict Impersonation Definition')).toBe(true);
    const sent = h.sim.requests.filter((q) => q.path === PATH).map((q) => (q.body as { data: { searchField: string }[] }).data[0].searchField);
    expect(sent).toEqual(['policy']);
  });

  it("refuses a searchField outside Mimecast's values, as Mimecast does (sent past the connector with the generic action)", async () => {
    const r = await h.run('generic_action', { method: 'POST', endpoint: PATH, payload: { data: [{ query: 'strict', searchField: 'definition' }] } });
    expect(r.data.body.fail).toEqual([
      expect.objectContaining({ errors: [expect.objectContaining({ code: 'err_validation_invalid_value', field: 'searchField' })] }),
    ]);
  });
});
