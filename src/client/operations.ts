/**
 * What a handler can ask of Mimecast, bound to the action's manifest entry: the routes it may
 * call, whether it is read-only (which decides what may be retried) and its per-call item cap
 * all come from the manifest. A handler passes paths, bodies and item mappers, nothing else.
 *
 *   single    one /api/* operation; fail[] or meta.status ≠ 200 is an error of the whole call
 *   one       single() whose answer is one record (data[0]): the record, or an error naming the call
 *   items     independent items, split into calls of chunk_size; per-item failures recorded (item-accounting.ts)
 *   pages / paginate   a paged read, one page at a time or every row gathered (paging.ts)
 *   download  a binary /api/* answer streamed to a file
 *   request / requestFile / recordEnvelope   any call on the base URL (the Generic Action)
 */
import { ConnectorError } from '../base/errors.js';
import { append } from '../base/arrays.js';
import { plural } from '../base/plural.js';
import { saveStream, type FileOutput, type SaveOptions } from './download.js';
import { errorTypeFor, metaStatus, readFailures, type Envelope, type Failure } from './envelope.js';
import type { OutcomeLedger } from './ledger.js';
import type { CallOptions } from './base-url.js';
import type { RequestPipeline } from './pipeline.js';
import type { HttpResponse, StreamResponse } from './transport.js';
import { account, isRecord } from './item-accounting.js';
import type { ActionBinding, ItemsOptions, OneOptions, Page, PageOptions, PageResult } from './operation-types.js';
import { boundRoutes } from './route-binding.js';
import { gatherPages, walkPages, type PagingHost } from './paging.js';

export { defaultAnswers, idsInOneItem } from './item-accounting.js';
export type { ActionBinding, ItemsOptions, OneOptions, Page, PageOptions, PageResult } from './operation-types.js';

/** The file link of a JSON get-file answer: data[0].urls[0] or data[0].url. */
function fileLink(json: unknown): string | undefined {
  const first = (json as Envelope | undefined)?.data?.[0] as { urls?: unknown; url?: unknown } | undefined;
  if (!first || typeof first !== 'object') return undefined;
  const link = Array.isArray(first.urls) && typeof first.urls[0] === 'string' && first.urls[0] ? first.urls[0] : first.url;
  return typeof link === 'string' && link ? link : undefined;
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

  /** The pages of a paged read as the consumer asks for them (paging.ts: a failure is thrown to the consumer). */
  pages<T = unknown>(path: string, item: Record<string, unknown> | undefined, o: PageOptions): AsyncGenerator<Page<T>, void, undefined> {
    return walkPages<T>(this.paging, path, item, o);
  }

  /** Every row of a paged read (paging.ts, gatherPages): a failure after some pages makes the run partial. */
  paginate<T = unknown>(path: string, item: Record<string, unknown> | undefined, o: PageOptions): Promise<PageResult<T>> {
    return gatherPages<T>(this.paging, path, item, o);
  }

  /** This client as a page walk's host. */
  private get paging(): PagingHost {
    return { single: (p, i, m) => this.single(p, i, m), ledger: this.pipeline.ledger, progress: (e) => this.pipeline.progress(e) };
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
