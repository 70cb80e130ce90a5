/**
 * poll, the CLI's and the library's: which streams, from when, into what, and the exit code.
 * The CLI keeps the checkpoint in --state (and the quarantine file beside it); the library keeps
 * nothing: it takes a checkpoint and gives the next one back with the events.
 */
import { appendFileSync } from 'node:fs';
import manifest from '../generated/manifest.js';
import type { InstanceConfig } from '../base/config-types.js';
import type { StreamManifest } from '../base/manifest-types.js';
import { ConnectorError } from '../base/errors.js';
import { log, redactValue } from '../base/log.js';
import { Connection, type ConnectionOptions } from '../client/connection.js';
import type { ActionClient } from '../client/operations.js';
import type { ProgressListener } from '../client/progress.js';
import type { RetryOptions } from '../client/retry.js';
import { parseConfig } from '../runtime/config.js';
import { closest, didYouMean } from '../base/suggest.js';
import { DEFAULT_SINCE_MS, pollStreams, type StreamOutcome } from './engine.js';
import type { StreamEvent } from './records.js';
import { checkCheckpoint, readState, writeState, type Checkpoint, type Gap, type Hook } from './state.js';
import { fileSink, memorySink, streamSink } from './sink.js';

export const STREAM_NAMES = Object.keys(manifest.streams);

/** "ttp_url,siem" → the streams, or an input_error naming the unknown one. */
export function resolveStreams(names: string[] | string): StreamManifest[] {
  const list = (Array.isArray(names) ? names : names.split(',')).map((n) => n.trim()).filter(Boolean);
  if (!list.length) throw new ConnectorError('input_error', `streams: name at least one of ${STREAM_NAMES.join(', ')}`, { field: 'streams' });
  return [...new Set(list)].map((n) => {
    const s = Object.hasOwn(manifest.streams, n) ? manifest.streams[n] : undefined;
    if (!s)
      throw new ConnectorError('input_error', `streams: unknown stream "${n}"${didYouMean(closest(n, STREAM_NAMES))} (streams: ${STREAM_NAMES.join(', ')})`, {
        field: 'streams',
      });
    return s;
  });
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since: a DURATION (30m, 24h, 7d) back from now, or an ISO 8601 date with its zone; ms since the epoch. */
export function parseSince(value: string | number | Date | undefined, now: number): number {
  if (value === undefined) return now - DEFAULT_SINCE_MS;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const d = /^(\d+)([smhd])$/.exec(value.trim());
  if (d) return now - Number(d[1]) * UNITS[d[2]];
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) {
    const t = Date.parse(value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(t) && t <= now) return t;
  }
  throw new ConnectorError(
    'input_error',
    `since: "${value}" is neither a duration (30m, 24h, 7d) nor a past ISO 8601 date with its zone (2026-03-10T12:00:00Z)`,
    {
      field: 'since',
    },
  );
}

function checkMaxEvents(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1) throw new ConnectorError('input_error', 'maxEvents must be a positive integer', { field: 'maxEvents' });
  return n;
}

export interface EngineRunOptions extends ConnectionOptions {
  /** The run's clock (ms); default Date.now (a loopback simulator's fixed clock in the CLI). */
  now?: () => number;
  retry?: Partial<RetryOptions>;
  overlapMs?: number;
  pageSize?: number;
  hook?: Hook;
  /** Commit (fsync --out, write the checkpoint) after this many pages or ms; default 2 pages, 1 s. */
  commitEvery?: { pages?: number; ms?: number };
  /** Told after each written page of a stream ("siem: page 3: 250 events so far") and before each retry wait; the CLI prints them on stderr. */
  progress?: ProgressListener;
}

/**
 * One connection for every stream of the process: one token, one quota pacer. Each stream's
 * session is ended when the round ends: its deadline timer would otherwise stay pending for 24 h
 * (one per stream per round of --follow, and per library call).
 */
function clients(connection: Connection, o: EngineRunOptions): { client: (s: StreamManifest) => ActionClient; end: () => void } {
  const sessions: { end(): void }[] = [];
  return {
    client: (s) => {
      const session = connection.session(
        { id: `poll_${s.name}`, routes: [s.route], read_only: true },
        // The retry waits; the pages are told by the engine, per stream and counting written events.
        { retry: o.retry, permission: s.permission, deadlineMs: 24 * 3_600_000, maxCalls: 1_000_000, progress: waits(o.progress) },
      );
      sessions.push(session);
      return session.client;
    },
    end: () => {
      for (const session of sessions.splice(0)) session.end();
    },
  };
}

function waits(progress: ProgressListener | undefined): ProgressListener | undefined {
  return progress && ((e) => (e.kind === 'page' ? undefined : progress(e)));
}

/** The exit code of a run: 0 all streams read, 3 some failed or a gap, 1 none moved (docs/ingestion.md). */
export function pollExitCode(outcomes: StreamOutcome[], gaps: number): number {
  const failed = outcomes.filter((o) => !o.ok).length;
  if (failed === outcomes.length && failed > 0) return 1;
  return failed > 0 || gaps > 0 ? 3 : 0;
}

export interface CliPollOptions extends EngineRunOptions {
  streams: StreamManifest[];
  state: string;
  out?: string;
  since?: string;
  maxEvents?: number;
  follow?: boolean;
  intervalSeconds?: number;
  /** Where events go without --out (stdout). */
  stdout?: (text: string) => void;
  /** Follow mode ends when this aborts (SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** The CLI's poll: --state, --out, --follow. Resolves to the exit code. */
export async function pollCommand(config: InstanceConfig, o: CliPollOptions): Promise<number> {
  const now = o.now ?? (() => Date.now());
  const since = parseSince(o.since, now());
  const state = readState(o.state);
  const sink = o.out ? fileSink(o.out, state.out_length) : streamSink(o.stdout ?? ((t) => process.stdout.write(t)));
  const quarantineFile = `${o.state}.quarantine.ndjson`;
  if (o.out && state.out_length === undefined) {
    // The first run with this --out: the length it starts at is committed before any event is
    // written, so a kill before the first checkpoint still truncates what that run wrote.
    state.out_length = sink.length!();
    writeState(o.state, state);
  }
  const connection = new Connection(config, o);
  const hook = o.hook ?? (() => undefined);
  try {
    for (;;) {
      const gapsBefore = state.gaps.length;
      const round = clients(connection, o);
      const outcomes = await pollStreams(o.streams, state, {
        client: round.client,
        now,
        since,
        overlapMs: o.overlapMs,
        pageSize: o.pageSize,
        maxEvents: o.maxEvents,
        sink,
        hook,
        commitEvery: o.commitEvery,
        commit: (s) => writeState(o.state, s, hook),
        quarantine: (stream, reason, record) => {
          appendFileSync(quarantineFile, `${JSON.stringify(redactValue({ stream, reason, at: new Date(now()).toISOString(), record }))}\n`, { mode: 0o600 });
          log.warn(`${stream}: a record could not be read (${reason}); written to ${quarantineFile}`);
        },
        stopping: () => o.signal?.aborted === true,
        progress: o.progress,
      }).finally(round.end);
      const code = pollExitCode(outcomes, state.gaps.length - gapsBefore);
      log.info(`poll: ${outcomes.map((x) => `${x.stream} ${x.ok ? `${x.events} event(s)` : `failed (${x.error?.type})`}`).join(', ')}`);
      if (!o.follow) return code;
      if (!(await sleep((o.intervalSeconds ?? 60) * 1000, o.signal))) return 0;
    }
  } finally {
    sink.close();
    await connection.close();
  }
}

/** Resolves true after ms, false at once when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollRequest {
  /** The streams to read (names; see manifest.streams). */
  streams: string[];
  /** The checkpoint the last call gave back (none: a first run). */
  checkpoint?: Checkpoint;
  /** How far back a stream's first run reaches: a duration ("24h") or a date (default 24 h, clamped to retention). */
  since?: string | Date;
  /** Stop after about this many events (whole pages); the checkpoint resumes exactly. */
  maxEvents?: number;
}

export interface PollResult {
  events: StreamEvent[];
  /** Store this and pass it to the next call. */
  checkpoint: Checkpoint;
  /** Spans lost to retention, found by this call. */
  gaps: Gap[];
  /** Per stream: events, and the failure that stopped it (its checkpoint stays where it was). */
  streams: { stream: string; events: number; ok: boolean; error?: ReturnType<ConnectorError['toInfo']> }[];
  /** Records that could not be read, with the reason. */
  quarantined: { stream: string; reason: string; record: unknown }[];
  /** The exit code the CLI would give (0, 3, 1). */
  exitCode: number;
}

/** The library's poll: stateless; the platform stores the checkpoint it is given back. */
export async function poll(config: InstanceConfig | Record<string, unknown>, req: PollRequest, options: EngineRunOptions = {}): Promise<PollResult> {
  const cfg = parseConfig(config);
  const streams = resolveStreams(req.streams);
  const now = options.now ?? (() => Date.now());
  const since = parseSince(req.since, now());
  const maxEvents = checkMaxEvents(req.maxEvents);
  const state = checkCheckpoint(req.checkpoint, 'checkpoint');
  const gapsBefore = state.gaps.length;
  const events: StreamEvent[] = [];
  const quarantined: PollResult['quarantined'] = [];
  const connection = new Connection(cfg, options);
  const round = clients(connection, options);
  try {
    const outcomes = await pollStreams(streams, state, {
      client: round.client,
      now,
      since,
      overlapMs: options.overlapMs,
      pageSize: options.pageSize,
      maxEvents,
      sink: memorySink(events),
      commit: () => undefined,
      quarantine: (stream, reason, record) => quarantined.push({ stream, reason, record }),
      progress: options.progress,
    });
    const gaps = state.gaps.slice(gapsBefore);
    return redactValue({
      events,
      checkpoint: state,
      gaps,
      streams: outcomes.map((x) => ({ stream: x.stream, events: x.events, ok: x.ok, ...(x.error ? { error: x.error.toInfo() } : {}) })),
      quarantined,
      exitCode: pollExitCode(outcomes, gaps.length),
    });
  } finally {
    round.end();
    await connection.close();
  }
}
