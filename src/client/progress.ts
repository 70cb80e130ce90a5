/**
 * What long work reports while it runs: a page of a paged read, a call of a chunked write, a wait
 * before a retry (rate limit or a failed attempt). Each event carries a ready line for people
 * (`message`) beside its numbers; the CLI prints the lines on stderr, a library user passes
 * RunOptions.progress to get them (nothing is printed otherwise).
 */

export type ProgressEvent =
  /** After each page of a walk of more than one page. `pages`: the pages expected, when known. */
  | { kind: 'page'; page: number; pages?: number; rows: number; message: string }
  /** Before each call of a list split into several calls. */
  | { kind: 'call'; call: number; calls: number; items: number; message: string }
  /** Before waiting to retry: what Mimecast asked for (429) or the backoff after a failed attempt. */
  | { kind: 'wait'; reason: 'rate_limited' | 'retry'; ms: number; attempt: number; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

/** "1.2 s", "350 ms". */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
