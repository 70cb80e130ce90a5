/**
 * The poll engine: each stream read from its checkpoint, page by page, each page's events appended
 * as it arrives. A commit (fsync --out, then write the checkpoint that covers what was written)
 * comes every few pages or every second, and always at the end of a stream's read: a crash between
 * commits only repeats work (a restart truncates --out to the last checkpoint's length and reads
 * again from its cursor), so committing per page bought nothing but fsyncs. A failure (fail[],
 * a 5xx after retries, a timeout) stops that stream where its last commit left it; the other
 * streams go on. Window streams page a fixed window, then move on from the newest event time minus
 * an overlap, keeping the ids delivered inside the overlap to drop them when they come again;
 * cursor streams keep Mimecast's cursor and the recent ids (a cursor may repeat part of a page).
 */
import type { StreamManifest } from '../base/manifest-types.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { log } from '../base/log.js';
import type { ActionClient } from '../client/operations.js';
import type { ProgressListener } from '../client/progress.js';
import { plural } from '../base/plural.js';
import { formatMimecastDate } from '../runtime/dates.js';
import { readRecord, type StreamEvent } from './records.js';
import type { Checkpoint, CursorCheckpoint, Gap, Hook, WindowCheckpoint } from './state.js';
import type { Sink } from './sink.js';
import { floorSecond, iso, startingCheckpoint } from './resume.js';

export /** Pages between commits: each costs two fsyncs and a rename; a crash re-reads at most this many pages. */
const COMMIT_PAGES = 2;
const COMMIT_MS = 1000;
export const DEFAULT_OVERLAP_MS = 5 * 60_000;
export const DEFAULT_SINCE_MS = 24 * 3_600_000;
/** How many recent ids a cursor stream keeps for dedupe (more than a page: a cursor repeats part of one). */
const CURSOR_SEEN = 1000;

export interface EngineOptions {
  /** The client a stream is read with (one connection for all: one token, one quota pacer). */
  client(stream: StreamManifest): ActionClient;
  /** The run's clock (ms). */
  now(): number;
  /** Where a stream's first run starts (ms since the epoch); clamped to its retention. */
  since: number;
  overlapMs?: number;
  pageSize?: number;
  /** Stop after about this many events (whole pages: the checkpoint stays exact). */
  maxEvents?: number;
  sink: Sink;
  /** Commits the checkpoint (the state file; in-process: nothing, the caller keeps it). */
  commit(state: Checkpoint): void;
  quarantine(stream: string, reason: string, record: unknown): void;
  /** Test hook: called at each step of a commit. */
  hook?: Hook;
  /** Commit after this many written pages or this many ms (whichever comes first); default 2 pages, 1 s. */
  commitEvery?: { pages?: number; ms?: number };
  /** A monotonic clock (ms) for commitEvery.ms; default performance.now (the run's clock may be fixed). */
  clock?(): number;
  /** Asked between pages: true stops the run (SIGINT/SIGTERM in --follow). */
  stopping?(): boolean;
  /** Told after each written page of a stream read in more than one page ("siem: page 3: 250 events so far"). */
  progress?: ProgressListener;
}

export interface StreamOutcome {
  stream: string;
  events: number;
  /** The stream read everything it could (no failure). */
  ok: boolean;
  error?: ConnectorError;
  gap?: Gap;
}

export async function pollStreams(streams: StreamManifest[], state: Checkpoint, o: EngineOptions): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = [];
  let total = 0;
  const budget = () => (o.maxEvents === undefined ? Infinity : o.maxEvents - total);
  for (const s of streams) {
    const outcome: StreamOutcome = { stream: s.name, events: 0, ok: true };
    outcomes.push(outcome);
    if (budget() <= 0 || o.stopping?.()) continue;
    let page = 0;
    const hook = o.hook ?? (() => undefined);
    const clock = o.clock ?? (() => performance.now());
    let pending = 0;
    let since = clock();
    // The events written so far made durable, then the checkpoint that covers them (never the other way round).
    const commit = () => {
      if (pending === 0) return;
      const length = o.sink.sync?.(hook);
      if (length !== undefined) state.out_length = length;
      o.commit(state);
      pending = 0;
      since = clock();
    };
    const deliver: Deliver = (events) => {
      o.sink.write(events, hook);
      outcome.events += events.length;
      total += events.length;
      page++;
      pending++;
      if (pending >= (o.commitEvery?.pages ?? COMMIT_PAGES) || clock() - since >= (o.commitEvery?.ms ?? COMMIT_MS)) commit();
    };
    const progress: Progress = (last, pages) => {
      // Like a paged run's lines: a read of one page says nothing (the run's summary line does).
      if (o.progress && (page > 1 || !last)) {
        const of = pages ? `/${pages}` : '';
        o.progress({ kind: 'page', page, pages, rows: outcome.events, message: `${s.name}: page ${page}${of}: ${plural(outcome.events, 'event')} so far` });
      }
    };
    try {
      if (s.cursor === 'window') await pollWindow(s, state, o, outcome, deliver, progress, budget);
      else await pollCursor(s, state, o, outcome, deliver, progress, budget);
      commit(); // the end of a stream's read (caught up, --max-events, or SIGINT/SIGTERM between pages)
    } catch (err) {
      const e = toConnectorError(err);
      if (e.type === 'internal_error' && !(err instanceof ConnectorError)) throw err; // a crash: no commit
      commit(); // the pages written before the failure stay; the stream resumes after them
      outcome.ok = false;
      outcome.error = e;
      log.warn(`${s.name}: ${e.message}; its checkpoint stays where the last written page left it`);
    }
  }
  return outcomes;
}

/** Appends a page's events (the checkpoint then covers them in memory; a commit makes both durable). */
type Deliver = (events: StreamEvent[]) => void;
/** After a written page: `last`, the stream's read ends with it; `pages`, the pages expected, when known. */
type Progress = (last: boolean, pages?: number) => void;

async function pollWindow(
  s: StreamManifest,
  state: Checkpoint,
  o: EngineOptions,
  out: StreamOutcome,
  deliver: Deliver,
  progress: Progress,
  budget: () => number,
) {
  const now = o.now();
  const overlap = o.overlapMs ?? DEFAULT_OVERLAP_MS;
  // A window read part-way resumes at its own start (its page token, or failing that its ids, carry it on).
  let cp = startingCheckpoint<WindowCheckpoint>(
    s,
    state,
    o.since,
    now,
    out,
    'window',
    (c) => c.window?.from ?? c.from,
    (from) => ({ kind: 'window', from, seen: {} }),
  );
  const win = cp.window ?? { from: cp.from, to: iso(floorSecond(now)) };
  if (Date.parse(win.from) >= Date.parse(win.to)) return;
  const item = { ...s.filter, [s.window_fields.from]: formatMimecastDate(new Date(win.from)), [s.window_fields.to!]: formatMimecastDate(new Date(win.to)) };
  let newest = win.newest ? Date.parse(win.newest) : undefined;
  const seen = cp.seen;
  const path = s.route.slice(s.route.indexOf(' ') + 1);
  let token = win.token;
  let started = false;
  /** Reads the window's pages from `token` on, each page's events delivered as it comes. */
  const readPages = async () => {
    for await (const page of o
      .client(s)
      .pages<unknown>(path, item, { pageSize: o.pageSize ?? 100, resultPath: s.records, pageToken: token, maxPages: 100_000 })) {
      started = true;
      const batch: StreamEvent[] = [];
      for (const r of page.rows) {
        const read = readRecord(s, r);
        if (!read.ok) {
          o.quarantine(s.name, read.reason, r);
          continue;
        }
        if (seen[read.event.id] !== undefined) continue;
        seen[read.event.id] = read.event.time;
        newest = Math.max(newest ?? read.t, read.t);
        batch.push(read.event);
      }
      const done = !page.nextToken;
      if (done) {
        // The next window starts at the newest event minus the overlap (late arrivals land inside it),
        // never before this one's start; the ids inside the overlap are kept to drop them next time.
        const from = Math.max(Date.parse(cp.from), (newest ?? Date.parse(win.to)) - overlap);
        for (const [id, t] of Object.entries(seen)) if (Date.parse(t) < from) delete seen[id];
        cp = { kind: 'window', from: iso(from), seen };
      } else {
        // Only ids older than the window's start can go: every id of this window stays until it is done.
        if (newest !== undefined)
          for (const [id, t] of Object.entries(seen)) if (Date.parse(t) < Math.min(Date.parse(cp.from), newest - overlap)) delete seen[id];
        cp = { ...cp, window: { ...win, token: page.nextToken, ...(newest !== undefined ? { newest: iso(newest) } : {}) } };
      }
      state.streams[s.name] = cp;
      // Mimecast's totalCount counts from the window's first page; a resumed window does not know it.
      const pages = page.totalCount !== undefined && !token ? Math.max(1, Math.ceil(page.totalCount / (o.pageSize ?? 100))) : undefined;
      deliver(batch);
      const stop = done || budget() <= 0 || o.stopping?.() === true;
      progress(stop, pages);
      if (stop) return;
    }
  };
  try {
    await readPages();
  } catch (err) {
    // A saved page token Mimecast no longer takes would stop this stream at every run from now on.
    // The window is read again from its start instead: every id it delivered is still in seen, so
    // nothing repeats, and nothing is skipped.
    if (started || token === undefined || !refusesPageToken(err)) throw err;
    log.warn(
      `${s.name}: Mimecast refused the saved page token (${(err as ConnectorError).code}); reading the window from ${win.from} again (events already delivered are dropped by id)`,
    );
    token = undefined;
    await readPages();
  }
}

/** Mimecast's answer to a page token or SIEM cursor it does not take (expired, or from another query). */
function refusesPageToken(err: unknown): boolean {
  return err instanceof ConnectorError && typeof err.code === 'string' && /page_?token|invalid_token|cursor/i.test(err.code);
}

async function pollCursor(
  s: StreamManifest,
  state: Checkpoint,
  o: EngineOptions,
  out: StreamOutcome,
  deliver: Deliver,
  progress: Progress,
  budget: () => number,
) {
  // A cursor older than the retention is no longer honoured: a fresh one starts at the oldest event served.
  let cp = startingCheckpoint<CursorCheckpoint>(
    s,
    state,
    o.since,
    o.now(),
    out,
    'cursor',
    (c) => c.newest ?? c.from,
    (from) => ({ kind: 'cursor', from, seen: [] }),
  );
  const path = s.route.slice(s.route.indexOf(' ') + 1);
  const client = o.client(s);
  for (let first = true; ; first = false) {
    const query: Record<string, string | number> = { ...(s.filter as Record<string, string>), pageSize: o.pageSize ?? 100 };
    if (cp.cursor) query.nextPage = cp.cursor;
    else query[s.window_fields.from] = cp.from;
    let answer;
    try {
      answer = await client.request({ method: 'GET', path, query });
    } catch (err) {
      // A saved cursor Mimecast no longer takes would stop the stream at every run: it reads again
      // from the newest event delivered, and the recent ids drop what was delivered already.
      if (!first || !cp.cursor || !refusesPageToken(err)) throw err;
      const from = cp.newest ?? cp.from;
      log.warn(
        `${s.name}: Mimecast refused the saved cursor (${(err as ConnectorError).code}); reading again from ${from} (events already delivered are dropped by id)`,
      );
      cp = { kind: 'cursor', from, seen: cp.seen, ...(cp.newest ? { newest: cp.newest } : {}) };
      state.streams[s.name] = cp;
      continue;
    }
    const body = answer.json as Record<string, unknown> | undefined;
    const rows = body?.[s.records];
    if (!Array.isArray(rows)) throw new ConnectorError('api_error', `GET ${path} answered without a "${s.records}" list`);
    const seen: Set<string> = new Set<string>(cp.seen);
    const batch: StreamEvent[] = [];
    let newest: number | undefined = cp.newest ? Date.parse(cp.newest) : undefined;
    for (const r of rows) {
      const read = readRecord(s, r);
      if (!read.ok) {
        o.quarantine(s.name, read.reason, r);
        continue;
      }
      if (seen.has(read.event.id)) continue; // the cursor handed back part of the last page
      seen.add(read.event.id);
      newest = Math.max(newest ?? read.t, read.t);
      batch.push(read.event);
    }
    const next: string | undefined = typeof body?.['@nextPage'] === 'string' && body['@nextPage'] ? (body['@nextPage'] as string) : cp.cursor;
    cp = {
      kind: 'cursor',
      from: cp.from,
      ...(next ? { cursor: next } : {}),
      ...(newest !== undefined ? { newest: iso(newest) } : {}),
      seen: [...seen].slice(-CURSOR_SEEN),
    };
    state.streams[s.name] = cp;
    deliver(batch);
    const stop = body?.isCaughtUp === true || rows.length === 0 || next === undefined || budget() <= 0 || o.stopping?.() === true;
    progress(stop);
    if (stop) return;
  }
}
