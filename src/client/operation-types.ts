/** The shapes the manifest-bound client (operations.ts) takes and gives: its binding, page walks, item lists, one-record reads. */
import type { ActionManifest } from '../base/manifest-types.js';
import type { Envelope, Failure } from './envelope.js';

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
