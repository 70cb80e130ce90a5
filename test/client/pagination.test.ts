/**
 * Pagination: meta.pagination.next → pageToken with the same pageSize, the page limit from the
 * input, a repeated token stops the walk, meta.pages counts the pages.
 */
import { jest } from '@jest/globals';
import { exitCodeFor, runAction, type RunOptions } from '../../src/runtime/run.js';
import { config, mimecast, setupNock } from '../helpers/nock.js';

const opts: RunOptions = { tokenCache: 'memory', retry: { retries: 1, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 } };
const PATH = '/api/ttp/url/get-logs';
const item = { from: '2024-10-12T00:00:00+0000', to: '2024-10-12T18:30:00+0000', route: 'all', scanResult: 'all', oldestFirst: false };
const input = { start: '2024-10-12T00:00:00Z', end: '2024-10-12T18:30:00Z' };

const log = (n: number) => ({ url: `https://x${n}.example`, userEmailAddress: `u${n}@example.com`, action: 'allow' });
const page = (rows: unknown[], next?: string, totalCount?: number) => ({
  meta: { status: 200, pagination: { pageSize: 2, ...(next ? { next } : {}), ...(totalCount !== undefined ? { totalCount } : {}) } },
  data: [{ clickLogs: rows }],
  fail: [],
});
const body = (pageToken?: string, pageSize = 2) => ({ meta: { pagination: { pageSize, ...(pageToken ? { pageToken } : {}) } }, data: [item] });

describe('pagination', () => {
  setupNock();

  it('follows next → pageToken with the same pageSize until the last page', async () => {
    mimecast()
      .post(PATH, body())
      .reply(200, page([log(1), log(2)], 'tok-1', 5))
      .post(PATH, body('tok-1'))
      .reply(200, page([log(3), log(4)], 'tok-2'))
      .post(PATH, body('tok-2'))
      .reply(200, page([log(5)]));
    const r = await runAction('get_ttp_url_logs', { ...input, page_size: 2 }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(1), log(2), log(3), log(4), log(5)]);
    expect(r.meta.pages).toBe(3);
    expect(r.meta.requests).toBe(4);
    expect(r.summary).toBe('Retrieved 5 URL click logs from 2024-10-12T00:00:00+0000 to 2024-10-12T18:30:00+0000 (3 pages).');
  });

  it('stops at no_of_pages and says more pages are available', async () => {
    mimecast()
      .post(PATH, body())
      .reply(200, page([log(1), log(2)], 'tok-1'))
      .post(PATH, body('tok-1'))
      .reply(200, page([log(3), log(4)], 'tok-2'));
    const r = await runAction('get_ttp_url_logs', { ...input, page_size: '2', no_of_pages: '2' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(1), log(2), log(3), log(4)]);
    expect(r.meta.pages).toBe(2);
    expect(r.meta.requests).toBe(3);
    expect(r.summary).toBe('Retrieved 4 URL click logs from 2024-10-12T00:00:00+0000 to 2024-10-12T18:30:00+0000 (2 pages; more pages are available).');
  });

  it('stops when Mimecast repeats a page token, with a warning on stderr', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      mimecast()
        .post(PATH, body())
        .reply(200, page([log(1), log(2)], 'tok-1'))
        .post(PATH, body('tok-1'))
        .reply(200, page([log(3), log(4)], 'tok-1'));
      const r = await runAction('get_ttp_url_logs', { ...input, page_size: 2 }, config, opts);
      expect(r.status).toBe('success');
      expect(r.data).toEqual([log(1), log(2), log(3), log(4)]);
      expect(r.meta.pages).toBe(2);
      expect(r.meta.requests).toBe(3);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain(`warning: POST ${PATH}: Mimecast repeated a page token; stopped paging after 2 page(s)`);
  });

  it('uses the default page size (100) and one call when there is no next token', async () => {
    mimecast()
      .post(PATH, body(undefined, 100))
      .reply(200, page([log(1)]));
    const r = await runAction('get_ttp_url_logs', input, config, opts);
    expect(r.data).toEqual([log(1)]);
    expect(r.meta.pages).toBe(1);
  });

  it('pages search_groups (rows under data[].folders) and keeps the query in every call', async () => {
    const folder = (n: number) => ({ id: `g${n}`, description: `Group ${n}`, source: 'cloud' });
    const groupsBody = (pageToken?: string) => ({
      meta: { pagination: { pageSize: 1, ...(pageToken ? { pageToken } : {}) } },
      data: [{ query: 'Blocked', source: 'cloud' }],
    });
    mimecast()
      .post('/api/directory/find-groups', groupsBody())
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1, next: 'n1' } }, data: [{ folders: [folder(1)] }], fail: [] })
      .post('/api/directory/find-groups', groupsBody('n1'))
      .reply(200, { meta: { status: 200, pagination: { pageSize: 1 } }, data: [{ folders: [folder(2)] }], fail: [] });
    const r = await runAction('search_groups', { query: 'Blocked', source: 'CLOUD', page_size: 1 }, config, opts);
    expect(r.data).toEqual([folder(1), folder(2)]);
    expect(r.meta.pages).toBe(2);
  });

  it('keeps the pages fetched when a later page fails (after its retries): partial, with the token of the page not fetched', async () => {
    mimecast()
      .post(PATH, body())
      .reply(200, page([log(1), log(2)], 'tok-1'))
      .post(PATH, body('tok-1'))
      .times(2)
      .reply(500, '');
    const r = await runAction('get_ttp_url_logs', { ...input, page_size: 2 }, config, opts);
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual([log(1), log(2)]);
    expect(r.error).toMatchObject({ type: 'api_error', http_status: 500 });
    expect(r.failures).toEqual([
      {
        code: 'api_error',
        message: `POST ${PATH}: Mimecast answered HTTP 500 (page 2 was not fetched; the 2 rows of the pages before it are kept)`,
        retryable: true,
      },
    ]);
    expect(r.meta.pages).toBe(1);
    expect(r.meta.next_page_token).toBe('tok-1');
    expect(r.meta.requests).toBe(4); // the token, page 1, page 2 twice (retries: 1)
    expect(r.summary).toMatch(
      / \(1 page; more pages are available\)\. \(stopped early: POST \/api\/ttp\/url\/get-logs: Mimecast answered HTTP 500; rerun with page_token set to meta.next_page_token to continue\)$/,
    );
  });

  it('resumes from page_token: the first request carries it as meta.pagination.pageToken', async () => {
    mimecast()
      .post(PATH, body('tok-1'))
      .reply(200, page([log(3)]));
    const r = await runAction('get_ttp_url_logs', { ...input, page_size: 2, page_token: 'tok-1' }, config, opts);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([log(3)]);
    expect(r.meta.next_page_token).toBeUndefined();
  });
});
