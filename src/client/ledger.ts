/**
 * The run's outcome ledger: what one action run did (requests, pages, the rate limit last seen)
 * and what became of it (items that succeeded, failures, what stopped a paged read, how a split
 * list was sent). The client owns it: the pipeline and the operations write it as answers come
 * back, and the ledger itself says what they add up to (success, partial or failed, and why); the
 * runtime only reads that into the result envelope, so a handler cannot hide a failure.
 */
import type { ConnectorError } from '../base/errors.js';
import type { Failure } from './envelope.js';
import type { RateLimitInfo } from './pacing.js';

export type Outcome = 'success' | 'partial' | 'failed';

export class OutcomeLedger {
  /** Requests sent (token requests included; a dry run sends none). */
  requests = 0;
  pages = 0;
  rateLimit?: RateLimitInfo;
  /** Mimecast's request id of each answer from the base URL (X-Request-Id), in order: the journal keeps them. */
  requestIds: string[] = [];
  failures: Failure[] = [];
  succeeded = 0;
  /** A paged read that stopped before its last page: the token of the first page not fetched. */
  nextPageToken?: string;
  /** What stopped a paged read after some pages (the rows so far are kept: the run is partial). */
  stoppedBy?: ConnectorError;
  /** The items a write accounted for (every one comes back as a success or a failure). */
  items?: number;
  /** Failures whose key named no item that was sent: reported, but not counted as items. */
  strays?: Set<Failure>;
  /** A list split into calls: how many calls and items there were, and how many were sent. */
  chunks?: { calls: number; items: number; callsSent: number; itemsSent: number };

  /** What the run adds up to: a paged read stopped after some pages keeps them (partial), whatever else was recorded. */
  outcome(): Outcome {
    if (this.stoppedBy) return 'partial';
    if (this.failures.length === 0) return 'success';
    return this.succeeded > 0 ? 'partial' : 'failed';
  }

  /**
   * A failed run's items: how many there were (a write knows what it sent; several errors of one
   * item and a failure keyed to no item sent are not items) and the first failure of one.
   */
  failedItems(): { first: Failure; items: number } {
    const { failures, strays } = this;
    const ofItems = strays?.size ? failures.filter((f) => !strays.has(f)) : failures;
    const first = ofItems[0] ?? failures[0];
    return { first, items: this.items ?? Math.max(1, ofItems.length) };
  }

  /** The tail of a partial run's summary: what was sent or fetched, what stopped it, where to resume. */
  partialNote(): string {
    const { failures, chunks, stoppedBy } = this;
    const seeFailures = `${failures.length} failure${failures.length === 1 ? '' : 's'}, see failures`;
    if (stoppedBy) {
      const resume = this.nextPageToken ? '; rerun with page_token set to meta.next_page_token to continue' : '';
      return ` (stopped early: ${stoppedBy.message}${resume})`;
    }
    if (chunks && chunks.callsSent < chunks.calls) {
      const unsent = chunks.items - chunks.itemsSent;
      return ` (stopped after call ${chunks.callsSent} of ${chunks.calls}: ${chunks.itemsSent} of ${chunks.items} items sent, ${unsent} not sent; ${seeFailures})`;
    }
    return ` (${seeFailures.replace('failure', 'item failure')})`;
  }
}
