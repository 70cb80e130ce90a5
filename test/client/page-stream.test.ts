/**
 * Pages as a stream, over the simulator: client.pages() yields each page as it arrives and asks
 * for the next only when the consumer does, so a consumer that stops sends nothing more, and one
 * that fails mid-walk has the rows so far and the token to resume from. paginate() is the same
 * walk gathered.
 */
import { ConnectorError } from '../../src/base/errors.js';
import type { Page } from '../../src/client/operations.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { boundClient, type TestSession } from '../helpers/client.js';

const PATH = '/api/audit/get-audit-events';
const opts = { pageSize: 10, resultPath: '' };
type Row = { id: string };

// The audit log is seeded around the simulator's clock: a fixed one keeps it the same between reads.
const NOW = new Date('2026-03-02T12:00:00Z');
let sim: Simulator;
const sessions: TestSession[] = [];

beforeAll(async () => {
  sim = await startSimulator({ now: () => NOW });
});
beforeEach(() => sim.reset());
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.connection.close();
});
afterAll(() => sim.close());

function client(o: { maxCalls?: number } = {}) {
  const s = boundClient(
    { base_url: sim.url, ...sim.credentials },
    { id: 'get_audit_events', routes: [`POST ${PATH}`], read_only: true },
    { retry: { retries: 1, minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 }, maxCalls: o.maxCalls },
  );
  sessions.push(s);
  return s.client;
}

/** The page requests the simulator received, as the pageToken each one carried. */
const pageRequests = () =>
  sim.requests.filter((r) => r.path === PATH).map((r) => (r.body as { meta: { pagination: { pageToken?: string } } }).meta.pagination.pageToken);

/** Every audit event, read in one page (the simulator's deterministic log, newest first). */
async function everyRow(): Promise<Row[]> {
  const res = await client().paginate<Row>(PATH, undefined, { pageSize: 500, resultPath: '' });
  sim.reset();
  return res.rows;
}

describe('client.pages(): a paged read as a stream', () => {
  it('sends the next page request only when the consumer asks for the next page', async () => {
    const all = await everyRow();
    expect(all.length).toBeGreaterThan(20);
    const it = client().pages<Row>(PATH, undefined, opts);
    expect(pageRequests()).toEqual([]); // nothing is sent before the first page is asked for

    const first = await it.next();
    expect(first.done).toBe(false);
    const p1 = first.value as Page<Row>;
    expect(p1).toMatchObject({ page: 1, token: undefined, totalCount: all.length, last: false });
    expect(p1.rows).toEqual(all.slice(0, 10));
    expect(p1.envelope.data).toEqual(all.slice(0, 10));
    // A full round trip to the simulator later, the second page has still not been asked for.
    await fetch(`${sim.url}/__sim/stats`).then((r) => r.json());
    expect(pageRequests()).toEqual([undefined]);

    const p2 = (await it.next()).value as Page<Row>;
    expect(p2).toMatchObject({ page: 2, token: p1.nextToken, last: false });
    expect(p2.rows).toEqual(all.slice(10, 20));
    expect(pageRequests()).toEqual([undefined, p1.nextToken]);
    await it.return();
  });

  it('walks to the last page: every row once, the last page says so and has no next token', async () => {
    const all = await everyRow();
    const pages: Page<Row>[] = [];
    for await (const page of client().pages<Row>(PATH, undefined, opts)) pages.push(page);
    expect(pages.map((p) => p.page)).toEqual(Array.from({ length: Math.ceil(all.length / 10) }, (_, i) => i + 1));
    expect(pages.flatMap((p) => p.rows)).toEqual(all);
    expect(pages.at(-1)).toMatchObject({ last: true, nextToken: undefined });
    expect(pages.slice(0, -1).every((p) => !p.last && p.nextToken)).toBe(true);
    expect(pageRequests()).toHaveLength(pages.length);
  });

  it('stops when the consumer breaks: exactly the pages it took were requested', async () => {
    const c = client();
    const got: Row[] = [];
    for await (const page of c.pages<Row>(PATH, undefined, opts)) {
      got.push(...page.rows);
      if (page.page === 2) break;
    }
    expect(got).toHaveLength(20);
    expect(pageRequests()).toHaveLength(2);
    expect(c.ledger.pages).toBe(2);
    expect(c.ledger.failures).toEqual([]);
  });

  it('stops at maxPages with the token of the first page not fetched on the last one', async () => {
    const all = await everyRow();
    const pages: Page<Row>[] = [];
    for await (const page of client().pages<Row>(PATH, undefined, { ...opts, maxPages: 3 })) pages.push(page);
    expect(pages.map((p) => [p.page, p.last])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(pages[2].nextToken).toEqual(expect.any(String));
    expect(pageRequests()).toHaveLength(3);
    // The token resumes where the walk stopped.
    const rest = await client().paginate<Row>(PATH, undefined, { ...opts, pageToken: pages[2].nextToken });
    expect([...pages.flatMap((p) => p.rows), ...rest.rows]).toEqual(all);
  });

  it('throws a failure mid-walk to the consumer, who has the rows so far and the token to resume from', async () => {
    const all = await everyRow();
    sim.fault({ kind: 'status', status: 500, path: PATH, after: 2, times: 2 }); // page 3 fails, and its one retry
    const c = client();
    const got: Row[] = [];
    let resume: string | undefined;
    const err = await (async () => {
      for await (const page of c.pages<Row>(PATH, undefined, opts)) {
        got.push(...page.rows);
        resume = page.nextToken;
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ type: 'api_error', httpStatus: 500 });
    expect(got).toEqual(all.slice(0, 20));
    expect(pageRequests()).toEqual([undefined, expect.any(String), resume, resume]);
    // The stream leaves the run's outcome to its consumer: nothing is recorded as failed.
    expect(c.ledger.failures).toEqual([]);
    expect(c.ledger.nextPageToken).toBeUndefined();

    const rest = await client().paginate<Row>(PATH, undefined, { ...opts, pageToken: resume });
    expect([...got, ...rest.rows]).toEqual(all);
  });

  it('throws a failure of the first page the same way, before anything is yielded', async () => {
    sim.fault({ kind: 'status', status: 500, path: PATH, times: 2 });
    const pages: Page[] = [];
    const err = await (async () => {
      for await (const page of client().pages(PATH, undefined, opts)) pages.push(page);
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'api_error', httpStatus: 500 });
    expect(pages).toEqual([]);
  });

  it('stops at the call budget like any failure: the pages within it arrive, the next call is refused unsent', async () => {
    const c = client({ maxCalls: 3 }); // the token request and two pages
    const got: number[] = [];
    const err = await (async () => {
      for await (const page of c.pages<Row>(PATH, undefined, opts)) got.push(page.page);
    })().catch((e: unknown) => e);
    expect(got).toEqual([1, 2]);
    expect(err).toMatchObject({ code: 'max_calls_reached' });
    expect(pageRequests()).toHaveLength(2);
  });
});

describe('client.paginate(): the stream gathered', () => {
  it('gives the rows, pages and totalCount of the stream, in the same requests', async () => {
    const streamed: Page<Row>[] = [];
    for await (const page of client().pages<Row>(PATH, undefined, opts)) streamed.push(page);
    const streamRequests = pageRequests();
    sim.reset();

    const c = client();
    const res = await c.paginate<Row>(PATH, undefined, opts);
    expect(res).toEqual({ rows: streamed.flatMap((p) => p.rows), pages: streamed.length, totalCount: streamed[0].totalCount, nextPageToken: undefined });
    expect(pageRequests()).toEqual(streamRequests);
    expect(c.ledger.pages).toBe(streamed.length);
  });

  it('makes a failure after some pages a partial read: the failure recorded, the token of the page not fetched kept', async () => {
    sim.fault({ kind: 'status', status: 500, path: PATH, after: 2, times: 2 });
    const c = client();
    const res = await c.paginate<Row>(PATH, undefined, opts);
    expect(res.rows).toHaveLength(20);
    expect(res.pages).toBe(2);
    const notFetched = pageRequests()[2];
    expect(res.nextPageToken).toBe(notFetched);
    expect(c.ledger.nextPageToken).toBe(notFetched);
    expect(c.ledger.stoppedBy).toMatchObject({ type: 'api_error', httpStatus: 500 });
    expect(c.ledger.failures).toEqual([
      {
        code: 'server_error',
        message: `POST ${PATH}: Mimecast answered HTTP 500: Simulated server error (server_error) (page 3 was not fetched; the 20 rows of the pages before it are kept)`,
        retryable: true,
      },
    ]);
  });
});
