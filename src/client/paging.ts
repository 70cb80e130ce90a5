/**
 * Paged reads: meta.pagination.next → pageToken, one page at a time as the consumer asks for it
 * (walkPages), or every row gathered (gatherPages). The client (operations.ts) is their host.
 */
import { ConnectorError } from '../base/errors.js';
import { append } from '../base/arrays.js';
import { log } from '../base/log.js';
import { plural } from '../base/plural.js';
import { rowsAt, type Envelope } from './envelope.js';
import type { OutcomeLedger } from './ledger.js';
import type { Page, PageOptions, PageResult } from './operation-types.js';
import type { ProgressEvent } from './progress.js';

/** What a page walk needs of its client: one call, the run's ledger and its progress listener. */
export interface PagingHost {
  single(path: string, item: Record<string, unknown> | undefined, o: { meta?: Record<string, unknown> }): Promise<Envelope>;
  readonly ledger: OutcomeLedger;
  progress(e: ProgressEvent): void;
}

/**
 * The pages of a paged read, one at a time, as they arrive: meta.pagination.next → pageToken
 * (from o.pageToken, else the first page) until the last page (no next, or an empty page), the
 * page limit or a repeated token. A page is requested only when the consumer asks for it, so a
 * consumer that stops (break) sends nothing more, and one that writes each page before asking
 * for the next never holds more than one page.
 *
 * A failure (a page that fails for good, the deadline, the call budget) is thrown to the
 * consumer as it is; the pages it already has are its rows so far, and the last one's nextToken
 * (else o.pageToken) is where a later walk resumes. Nothing is recorded as a failure of the run
 * here: that is the consumer's decision (paginate() makes it a partial result).
 */
export async function* walkPages<T = unknown>(
  host: PagingHost,
  path: string,
  item: Record<string, unknown> | undefined,
  o: PageOptions,
): AsyncGenerator<Page<T>, void, undefined> {
  const seen = new Set<string>();
  let token = o.pageToken;
  let rows = 0;
  let totalCount: number | undefined;
  const limit = o.maxPages ?? 1000;
  const stats = host.ledger;
  for (let page = 1; ; page++) {
    const meta = { pagination: { pageSize: o.pageSize, ...(token ? { pageToken: token } : {}) } };
    const envelope = await host.single(path, item, { meta });
    stats.pages++;
    const got = rowsAt(envelope, o.resultPath) as T[];
    rows += got.length;
    const p = envelope.meta?.pagination;
    if (page === 1 && typeof p?.totalCount === 'number') totalCount = p.totalCount;
    const next = typeof p?.next === 'string' && p.next ? p.next : undefined;
    if (next || page > 1) pageProgress(host, page, rows, o, totalCount);
    // An empty page is the end, even when it still carries a next token: following it costs a
    // request, and Mimecast may refuse that token (which would turn a complete read partial).
    let nextToken = got.length === 0 ? undefined : next;
    if (nextToken && seen.has(nextToken)) {
      log.warn(`POST ${path}: Mimecast repeated a page token; stopped paging after ${page} page(s)`);
      nextToken = undefined;
    }
    const last = !nextToken || page >= limit;
    yield { rows: got, page, token, nextToken, totalCount, last, envelope };
    if (last) return;
    seen.add(nextToken!);
    token = nextToken;
  }
}

/**
 * Every row of a paged read (pages(), gathered). A failure after at least one page (a page that
 * fails for good, the deadline, the call budget) ends the walk with the rows so far: the run is
 * partial, the failure is recorded, and nextPageToken is the page that was not fetched.
 */
export async function gatherPages<T = unknown>(
  host: PagingHost,
  path: string,
  item: Record<string, unknown> | undefined,
  o: PageOptions,
): Promise<PageResult<T>> {
  const rows: T[] = [];
  let pages = 0;
  let totalCount: number | undefined;
  let nextPageToken: string | undefined;
  let token = o.pageToken;
  const stats = host.ledger;
  try {
    for await (const page of walkPages<T>(host, path, item, o)) {
      pages = page.page;
      totalCount = page.totalCount;
      append(rows, page.rows);
      // Set on the last page only when the page limit stopped the walk while Mimecast had more.
      nextPageToken = page.last ? page.nextToken : undefined;
      token = page.nextToken;
    }
  } catch (e) {
    // The run's call budget (max_calls) is not a page limit: a walk it stops is partial (the
    // pipeline refuses the call past it, and that failure ends the walk like any other).
    if (pages === 0 || !(e instanceof ConnectorError) || e.type === 'internal_error') throw e;
    stats.stoppedBy = e;
    stats.failures.push({
      code: e.code ?? e.type,
      message: `${e.message} (page ${pages + 1} was not fetched; the ${plural(rows.length, 'row')} of the pages before it are kept)`,
      ...(e.retryable ? { retryable: true } : {}),
    });
    nextPageToken = token;
  }
  if (nextPageToken) stats.nextPageToken = nextPageToken;
  return { rows, pages, totalCount, nextPageToken };
}

/** "page 3/10: 300 entries so far" (the number of pages when the page limit or Mimecast's totalCount tells it). */
function pageProgress(host: PagingHost, page: number, rows: number, o: PageOptions, totalCount?: number): void {
  // totalCount counts from the first page; a resumed walk knows only its page limit.
  const byCount = totalCount !== undefined && !o.pageToken ? Math.max(1, Math.ceil(totalCount / o.pageSize)) : undefined;
  const known = [o.maxPages, byCount].filter((n): n is number => n !== undefined);
  const pages = known.length ? Math.min(...known) : undefined;
  host.progress({ kind: 'page', page, pages, rows, message: `page ${page}${pages ? `/${pages}` : ''}: ${plural(rows, 'entry', 'entries')} so far` });
}
