/**
 * What a handler can ask of Mimecast, bound to the action's manifest entry: the routes it may
 * call, whether it is read-only (which decides what may be retried) and its per-call item cap
 * all come from the manifest. A handler passes paths, bodies and item mappers, nothing else.
 *
 *   single    one /api/* operation; fail[] or meta.status ≠ 200 is an error of the whole call
 *   one       single() whose answer is one record (data[0]): the record, or an error naming the call
 *   items     independent items, split into calls of chunk_size; per-item failures recorded
 *   pages     meta.pagination.next → pageToken until the last page, the page limit or a repeat: one page at a time
 *   paginate  the same, every row gathered (a failure after some pages: partial, with the token to resume)
 *   download  a binary /api/* answer streamed to a file
 *   request / requestFile / recordEnvelope   any call on the base URL (the Generic Action)
 */
import { ConnectorError } from '../base/errors.js';
import { append } from '../base/arrays.js';
import { log } from '../base/log.js';
import { plural } from '../base/plural.js';
import type { ActionManifest } from '../base/manifest-types.js';
import { saveStream, type FileOutput, type SaveOptions } from './download.js';
import { errorTypeFor, metaStatus, readFailures, rowsAt, type Envelope, type Failure } from './envelope.js';
import type { OutcomeLedger } from './ledger.js';
import type { CallOptions } from './base-url.js';
import type { RequestPipeline } from './pipeline.js';
import type { HttpResponse, StreamResponse } from './transport.js';

/** The part of a manifest entry that binds a client. */
export type ActionBinding = Pick<ActionManifest, 'id' | 'routes' | 'read_only' | 'chunk_size'>;

export interface PageOptions {
  pageSize: number;
  /** Pages to fetch at most (default: all, up to 1000). */
  maxPages?: number;
  /** Start from this page (a meta.next_page_token of an earlier run) instead of the first. */
  pageToken?: string;
  /** '' → the rows are data[]; 'key' → data[i].key[]. */
  resultPath: string;
}

export interface PageResult<T = unknown> {
  rows: T[];
  pages: number;
  totalCount?: number;
  /** Set when the walk stopped while Mimecast had more: the page limit, or a failure after some pages. */
  nextPageToken?: string;
}

/** One page of a paged read, as pages() yields it. */
export interface Page<T = unknown> {
  /** This page's rows (at the resultPath). */
  rows: T[];
  /** 1 for the first page this walk fetched (a resumed walk counts from its pageToken). */
  page: number;
  /** The pageToken this page was requested with (undefined for the first page of a read). */
  token?: string;
  /** The token of the page after this one; undefined when Mimecast has no more (or repeated a token). */
  nextToken?: string;
  /** Mimecast's totalCount, as the first page of this walk gave it. */
  totalCount?: number;
  /** The walk ends after this page: no more pages, or the page limit (then nextToken says Mimecast has more). */
  last: boolean;
  /** The whole answer (meta, data, fail: already checked, fail[] is empty). */
  envelope: Envelope;
}

export interface ItemsOptions<T> {
  /** A data entry whose flag is false failed (release, reject, deleted, ...). */
  successFlag?: string;
  /**
   * Whether a data entry is Mimecast's answer for a sent item, for endpoints whose answer does not
   * echo the item (default: the same id, or every field they share equal).
   */
  answers?: (entry: Record<string, unknown>, sent: unknown) => boolean;
  /** The data[] entries of one call, when several items share one entry (default: one entry per item). */
  pack?: (chunk: unknown[]) => unknown[];
  /** For endpoints whose one data entry answers for many inputs: the successes and failures it holds. */
  explode?: (entry: Record<string, unknown>) => { ok: T[]; failures: Failure[] };
  /**
   * What tells one item from another, for endpoints whose items share an id (the members of one
   * group all carry the group's id): computed alike from a sent item, a fail[] key (Mimecast's
   * echo of the item) and a data entry, it pairs both kinds of answer with the items sent.
   */
  identity?: (x: Record<string, unknown>) => string | undefined;
}

export interface OneOptions {
  /** What the record is, for the error when it is missing ("policy", "message info"). */
  what: string;
  /** not_found: a read of an ID that names no record; api_error (default): a call that reported success without its record. */
  missing?: 'api_error' | 'not_found';
  /** What the analyst can do about a missing record. */
  hint: string;
  /** A read whose record shapes the next call: in a dry run (which has no answer), what that call would send. */
  dryRun?: string;
}

const matchers = new Map<string, (method: string, path: string) => boolean>();

/** A manifest route ("POST /api/x", "* {base_url}/*") as a matcher of method + path (built once per route). */
function routeMatcher(route: string): (method: string, path: string) => boolean {
  let m = matchers.get(route);
  if (!m) matchers.set(route, (m = buildMatcher(route)));
  return m;
}

function buildMatcher(route: string): (method: string, path: string) => boolean {
  const [method, pattern] = route.split(' ');
  if (pattern === '{base_url}/*') return (m) => method === '*' || m === method;
  const re = new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[a-z_]+\\?\}/gi, '[^/]+')}$`);
  return (m, p) => (method === '*' || m === method) && re.test(p);
}

const bound = new WeakMap<ActionBinding, { route: string; matches: (method: string, path: string) => boolean }[]>();

/** A binding's routes with their matchers (built once per manifest entry). */
function boundRoutes(binding: ActionBinding): { route: string; matches: (method: string, path: string) => boolean }[] {
  let routes = bound.get(binding);
  if (!routes) bound.set(binding, (routes = binding.routes.map((route) => ({ route, matches: routeMatcher(route) }))));
  return routes;
}

const same = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : JSON.stringify(a) === JSON.stringify(b);

/** The default pairing of a data entry with a sent item: the same id, else every shared field equal. */
export function defaultAnswers(entry: Record<string, unknown>, sent: unknown): boolean {
  if (!sent || typeof sent !== 'object') return Object.values(entry).some((v) => same(v, sent));
  const item = sent as Record<string, unknown>;
  if ('id' in item && 'id' in entry) return same(item.id, entry.id);
  const shared = Object.keys(item).filter((k) => k in entry && (item[k] === null || typeof item[k] !== 'object'));
  return shared.length > 0 && shared.every((k) => same(item[k], entry[k]));
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/**
 * Whether a fail[] key names a sent item. Mimecast echoes the item it failed as the key, so every
 * field they share must be equal (not the id alone: a group's members share the group's id).
 */
function keyNames(key: unknown, item: unknown, identity: ItemsOptions<unknown>['identity']): boolean {
  if (identity && isRecord(key) && isRecord(item)) {
    const k = identity(key);
    return k !== undefined && k === identity(item);
  }
  if (isRecord(key) && isRecord(item)) {
    let shared = 0;
    for (const k of Object.keys(item)) {
      if (!(k in key) || !isScalar(item[k])) continue;
      if (!same(item[k], key[k])) return false;
      shared++;
    }
    return shared > 0 || same(key, item);
  }
  if (isRecord(key)) return Object.values(key).some((v) => same(v, item));
  if (isRecord(item)) return Object.values(item).some((v) => same(v, key));
  return same(key, item);
}

/**
 * Every item sent comes back as a success or a failure. Of one call's items: those Mimecast said
 * nothing about (neither a fail[] entry keyed by it nor a data entry answering it), and the keyed
 * failures that name no item sent (reported once, as such, and not counted as an item). When the
 * data entries cannot be paired with the items, they are taken in order.
 */
function account(
  sent: readonly unknown[],
  packed: readonly unknown[] | undefined,
  keyed: readonly Failure[],
  entries: readonly Record<string, unknown>[],
  o: Pick<ItemsOptions<unknown>, 'answers' | 'identity'>,
): { noOutcome: unknown[]; strays: Failure[] } {
  const named = new Set<unknown>();
  const strays: Failure[] = [];
  let keyless = 0;
  for (const f of keyed) {
    if (f.key === undefined) {
      keyless++;
      continue;
    }
    let hit = false;
    for (const item of sent) {
      if (keyNames(f.key, item, o.identity)) {
        named.add(item);
        hit = true;
      }
    }
    // A key that echoes the packed data entry (the call's items sent as one) names all of them.
    if (!hit && packed?.some((p) => keyNames(f.key, p, undefined))) {
      for (const item of sent) named.add(item);
      hit = true;
    }
    if (!hit) strays.push(f);
  }
  let open = sent.filter((item) => !named.has(item));
  if (entries.length + keyless >= open.length) return { noOutcome: [], strays };
  const identity = o.identity;
  const pair = identity ? (entry: Record<string, unknown>, item: unknown) => isRecord(item) && keyNames(entry, item, identity) : (o.answers ?? defaultAnswers);
  const answered = new Set<unknown>();
  for (const entry of entries) {
    const hit = open.find((item) => !answered.has(item) && pair(entry, item));
    if (hit !== undefined) answered.add(hit);
  }
  if (answered.size === entries.length) open = open.filter((item) => !answered.has(item));
  else open = open.slice(entries.length);
  return { noOutcome: open.slice(keyless), strays };
}

/**
 * For endpoints that take several ids in one data item (hold-reject's {ids, ...}): the pack of
 * items() that sends the items ({id} each) as that one item. Each id is still accounted as its
 * own item, so an id the answer does not mention comes back as no_outcome.
 */
export function idsInOneItem(field: string, rest: Record<string, unknown>): (chunk: unknown[]) => unknown[] {
  return (chunk) => [{ [field]: chunk.map((c) => (c as { id: unknown }).id), ...rest }];
}

/** The file link of a JSON get-file answer: data[0].urls[0] or data[0].url. */
function fileLink(json: unknown): string | undefined {
  const first = (json as Envelope | undefined)?.data?.[0] as { urls?: unknown; url?: unknown } | undefined;
  if (!first || typeof first !== 'object') return undefined;
  if (Array.isArray(first.urls) && typeof first.urls[0] === 'string' && first.urls[0]) return first.urls[0];
  return typeof first.url === 'string' && first.url ? first.url : undefined;
}

const PLACEHOLDER_FILE: FileOutput = { file_name: '', path: '', size: 0, sha256: '', content_type: '' };

export class ActionClient {
  private readonly matchers: { route: string; matches: (method: string, path: string) => boolean }[];

  constructor(
    private readonly pipeline: RequestPipeline,
    private readonly binding: ActionBinding,
    /** True in a dry run: nothing is sent (the pipeline's transport records instead). */
    readonly dryRun: boolean,
  ) {
    this.matchers = boundRoutes(binding);
  }

  /** What this run did and what became of it (the result envelope is read from it). */
  get ledger(): OutcomeLedger {
    return this.pipeline.ledger;
  }

  /** The proxy Mimecast is reached through (its URL without credentials), or undefined when direct. */
  get proxy(): string | undefined {
    return this.pipeline.proxy;
  }

  /** Refuses a call the manifest does not declare: the manifest is the one place that says what an action calls. */
  private allow(method: string, path: string): void {
    if (this.matchers.some((m) => m.matches(method, path))) return;
    throw new ConnectorError(
      'internal_error',
      `${this.binding.id} called "${method} ${path}", a route its manifest does not declare (routes: ${this.binding.routes.join(', ')})`,
      {
        hint: 'Add the route to manifest/actions/<id>.json, or fix the handler.',
      },
    );
  }

  /** POSTs an envelope call and resolves to the answer (an envelope: send() has checked it). */
  private post(path: string, body: unknown): Promise<HttpResponse> {
    this.allow('POST', path);
    return this.pipeline.send({ method: 'POST', path, body, envelope: true });
  }

  /** An error for a call whose fail[] / meta.status reports that the whole operation failed. */
  private envelopeError(what: string, failures: Failure[], status?: number): ConnectorError {
    const first = failures[0];
    const type = errorTypeFor(first?.code, first ? undefined : status);
    const hint = type === 'permission_error' ? this.pipeline.permissionHint() : undefined;
    if (!first) return new ConnectorError(type, `${what}: Mimecast reported status ${status} inside HTTP 200`, { httpStatus: status, hint });
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more error${failures.length > 2 ? 's' : ''})` : '';
    return new ConnectorError(type, `${what}: ${first.message} (${first.code})${more}`, { code: first.code, field: first.field, hint });
  }

  /** One /api/* operation: POST {data: [item]} ({data: []} without one); any failure in the answer throws. */
  async single(path: string, item?: Record<string, unknown>, o: { meta?: Record<string, unknown> } = {}): Promise<Envelope> {
    const data = item ? [item] : [];
    const env = (await this.post(path, o.meta ? { meta: o.meta, data } : { data })).json as Envelope;
    const failures = readFailures(env);
    const status = metaStatus(env);
    if (failures.length || (status !== undefined && status !== 200)) throw this.envelopeError(`POST ${path}`, failures, status);
    return env;
  }

  /**
   * One /api/* operation whose answer is one record, data[0]: the record, or an error naming the call
   * when Mimecast answered without one (not_found for a read of an ID, else api_error).
   */
  async one<T extends object = Record<string, unknown>>(path: string, item: Record<string, unknown> | undefined, o: OneOptions): Promise<T> {
    const env = await this.single(path, item);
    const record = Array.isArray(env.data) ? env.data[0] : undefined;
    if (isRecord(record)) return record as T;
    // A dry run has no answer: a read whose record shapes the next call says what that call would send.
    if (this.dryRun && o.dryRun) throw new ConnectorError('api_error', o.dryRun);
    const message = o.missing === 'not_found' ? `Mimecast returned no ${o.what} for this ID` : `Mimecast reported success but returned no ${o.what}`;
    throw new ConnectorError(o.missing ?? 'api_error', `POST ${path}: ${message}`, { hint: o.hint });
  }

  /**
   * Several independent /api/* operations: items are split into calls of at most the manifest's
   * chunk_size, successes are returned, failures (fail[], per-item false flags, meta.status) are
   * recorded per item. If a call fails outright after others succeeded, its items and the items
   * not yet sent are recorded as failures and no further call is made.
   */
  async items<T = Record<string, unknown>>(path: string, items: readonly unknown[], o: ItemsOptions<T> = {}): Promise<T[]> {
    const size = Math.max(1, this.binding.chunk_size ?? Math.max(1, items.length));
    const calls = Math.ceil(items.length / size);
    // max_calls counts a token request too: without a token at hand, the run makes one first.
    const token = this.dryRun || !this.pipeline.tokenAtHand ? 1 : 0;
    const made = this.pipeline.callsMade;
    const left = this.pipeline.maxCalls - made;
    if (calls + token > left) {
      const plusToken = calls > left ? '' : ' plus a token request';
      const need = `${items.length} items need ${calls} calls of at most ${size}${plusToken}`;
      const hint = 'Split the list over several runs, or raise max_calls in the configuration or with --max-calls for this run.';
      // After earlier requests of this run (a multi-step action), the refusal is a run-time stop, not "nothing was sent".
      if (made > 0)
        throw new ConnectorError(
          'rate_limited',
          `${need}, more than this run has left (${left} of max_calls ${this.pipeline.maxCalls}); none of them was sent`,
          {
            field: 'max_calls',
            code: 'max_calls_reached',
            hint,
          },
        );
      throw new ConnectorError('input_error', `${need}, more than one run may make (max_calls ${this.pipeline.maxCalls}); nothing was sent`, {
        field: 'max_calls',
        hint,
      });
    }
    const stats = this.pipeline.ledger;
    stats.items = (stats.items ?? 0) + items.length;
    const chunks = { calls, items: items.length, callsSent: 0, itemsSent: 0 };
    if (calls > 1) stats.chunks = chunks;
    const out: T[] = [];
    for (let i = 0; i < items.length; i += size) {
      const chunk = items.slice(i, i + size);
      const call = i / size + 1;
      if (calls > 1)
        this.pipeline.progress({ kind: 'call', call, calls, items: chunk.length, message: `call ${call}/${calls}: ${plural(chunk.length, 'item')}` });
      let env: Envelope;
      let packed: unknown[] | undefined;
      try {
        packed = o.pack?.(chunk);
        env = (await this.post(path, { data: packed ?? chunk })).json as Envelope;
        chunks.callsSent++;
        chunks.itemsSent += chunk.length;
      } catch (e) {
        if (i === 0 || !(e instanceof ConnectorError)) throw e;
        if (e.maybeApplied) {
          // The call went out and its answer was lost: these items were sent, and Mimecast may
          // have applied them. Say so, never "not sent" (a re-run would apply them twice).
          chunks.callsSent++;
          chunks.itemsSent += chunk.length;
          const advice = 'Mimecast may have applied it; check before running it again';
          // An error answer (a 5xx) keeps its code; a lost answer (a dropped connection, a timeout) has no outcome.
          const failure = e.httpStatus
            ? { code: e.code ?? e.type, message: `${e.message} (the call was sent: ${advice})` }
            : { code: 'no_outcome', message: `Sent, but the answer was lost (${e.message}): ${advice}` };
          for (const key of chunk) stats.failures.push({ ...failure, key });
        } else for (const key of chunk) stats.failures.push({ code: e.code ?? e.type, message: e.message, key });
        for (const key of items.slice(i + size)) stats.failures.push({ code: 'not_sent', message: 'Not sent: an earlier call of this action failed', key });
        return out;
      }
      const failures = readFailures(env);
      const status = metaStatus(env);
      if (status !== undefined && status !== 200 && failures.length === 0) {
        for (const key of chunk) stats.failures.push({ code: `status_${status}`, message: `Mimecast reported status ${status} for this call`, key });
        continue;
      }
      // fail[] and explode's failures are keyed by the item; a false flag is its data entry's answer.
      const keyed = failures.slice();
      const answered: Record<string, unknown>[] = [];
      for (const d of Array.isArray(env.data) ? env.data : []) {
        const rec = (d && typeof d === 'object' ? d : { value: d }) as Record<string, unknown>;
        if (o.explode) {
          const { ok, failures: itemFailures } = o.explode(rec);
          append(failures, itemFailures);
          append(keyed, itemFailures);
          append(answered, ok as Record<string, unknown>[]);
          stats.succeeded += ok.length;
          append(out, ok);
          continue;
        }
        answered.push(rec);
        if (o.successFlag && rec[o.successFlag] === false) {
          failures.push({ code: `${o.successFlag}_failed`, message: `Mimecast answered ${o.successFlag}: false for this item`, key: rec });
          continue;
        }
        stats.succeeded++;
        out.push(d as T);
      }
      const { noOutcome, strays } = account(chunk, packed, keyed, answered, o as ItemsOptions<unknown>);
      const stray = new Set(strays);
      for (const f of failures) {
        if (!stray.has(f)) {
          stats.failures.push(f);
          continue;
        }
        const reported = { ...f, message: `${f.message} (Mimecast's key for this failure names no item that was sent)` };
        stats.failures.push(reported);
        (stats.strays ??= new Set()).add(reported);
      }
      for (const key of noOutcome) {
        stats.failures.push({ code: 'no_outcome', message: 'Mimecast answered the call but said nothing about this item; check its state in Mimecast', key });
      }
    }
    return out;
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
  async *pages<T = unknown>(path: string, item: Record<string, unknown> | undefined, o: PageOptions): AsyncGenerator<Page<T>, void, undefined> {
    const seen = new Set<string>();
    let token = o.pageToken;
    let rows = 0;
    let totalCount: number | undefined;
    const limit = o.maxPages ?? 1000;
    const stats = this.pipeline.ledger;
    for (let page = 1; ; page++) {
      const meta = { pagination: { pageSize: o.pageSize, ...(token ? { pageToken: token } : {}) } };
      const envelope = await this.single(path, item, { meta });
      stats.pages++;
      const got = rowsAt(envelope, o.resultPath) as T[];
      rows += got.length;
      const p = envelope.meta?.pagination;
      if (page === 1 && typeof p?.totalCount === 'number') totalCount = p.totalCount;
      const next = typeof p?.next === 'string' && p.next ? p.next : undefined;
      if (next || page > 1) this.pageProgress(page, rows, o, totalCount);
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
  async paginate<T = unknown>(path: string, item: Record<string, unknown> | undefined, o: PageOptions): Promise<PageResult<T>> {
    const rows: T[] = [];
    let pages = 0;
    let totalCount: number | undefined;
    let nextPageToken: string | undefined;
    let token = o.pageToken;
    const stats = this.pipeline.ledger;
    try {
      for await (const page of this.pages<T>(path, item, o)) {
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
  private pageProgress(page: number, rows: number, o: PageOptions, totalCount?: number): void {
    // totalCount counts from the first page; a resumed walk knows only its page limit.
    const byCount = totalCount !== undefined && !o.pageToken ? Math.max(1, Math.ceil(totalCount / o.pageSize)) : undefined;
    const known = [o.maxPages, byCount].filter((n): n is number => n !== undefined);
    const pages = known.length ? Math.min(...known) : undefined;
    this.pipeline.progress({ kind: 'page', page, pages, rows, message: `page ${page}${pages ? `/${pages}` : ''}: ${plural(rows, 'entry', 'entries')} so far` });
  }

  /** A binary /api/* route: POST {data: [item]}; the file is streamed to the output directory. */
  async download(path: string, item: Record<string, unknown>, save: SaveOptions): Promise<FileOutput> {
    return this.requestFile({ method: 'POST', path, body: { data: [item] } }, save);
  }

  /**
   * Any call on the base URL whose answer is a file: streamed to the output directory. A JSON
   * answer is either Mimecast's error envelope (an error, never a saved file) or, on API 2.0, a
   * link to the file (data[0].urls[0] or data[0].url), which is fetched and saved the same way.
   */
  async requestFile(c: Omit<CallOptions, 'accept'>, save: SaveOptions): Promise<FileOutput> {
    this.allow(c.method, c.path);
    const what = `${c.method} ${c.path}`;
    const isFile = (res: StreamResponse) => res.status >= 200 && res.status < 300 && !/json/i.test(res.headers['content-type'] ?? 'application/octet-stream');
    const limits = { maxBytes: this.pipeline.config.max_download_bytes, ...save };
    const use = async (res: StreamResponse): Promise<FileOutput> =>
      this.dryRun ? { ...PLACEHOLDER_FILE, file_name: save.fallbackName } : saveStream(res.body, res.headers, limits);
    const got = await this.pipeline.open<{ file: FileOutput } | { answer: HttpResponse }>(
      { ...c, accept: '*/*' },
      isFile,
      async (r) => ({ file: await use(r) }),
      (answer) => ({ answer }),
    );
    if ('file' in got) return got.file;
    const res = got.answer;
    const failures = readFailures(res.json);
    if (failures.length) throw this.envelopeError(what, failures);
    const link = fileLink(res.json);
    if (!link) {
      throw new ConnectorError('api_error', `${what}: Mimecast returned JSON instead of a file, with no link to one`, {
        hint: 'The ID may not refer to a file; check it with Get Message Details.',
      });
    }
    return this.pipeline.fetchLink(link, use);
  }

  /** Any call on the base URL (the Generic Action); a non-2xx answer throws. */
  async request(c: CallOptions): Promise<HttpResponse> {
    this.allow(c.method, c.path);
    return this.pipeline.send(c);
  }

  /**
   * Records the outcome of an arbitrary /api/* envelope (Generic Action): fail[] entries are
   * failures, data[] entries successes, meta.status other than 200 a failure of the call.
   */
  recordEnvelope(body: unknown): void {
    const env = (body ?? {}) as Envelope;
    const failures = readFailures(env);
    const status = metaStatus(env);
    const stats = this.pipeline.ledger;
    if (status !== undefined && status !== 200 && failures.length === 0) {
      stats.failures.push({ code: `status_${status}`, message: `Mimecast reported status ${status} inside HTTP 200` });
      return;
    }
    append(stats.failures, failures);
    stats.succeeded += Array.isArray(env.data) ? env.data.length : 1;
  }
}
