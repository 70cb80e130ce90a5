/**
 * Where a stream's read starts: its stored checkpoint, or a fresh one; and what the stream's
 * retention has made of it (a checkpoint older than the oldest point Mimecast still serves resumes
 * there, and the span lost in between is a gap, said on stderr and kept in the state).
 */
import type { StreamManifest } from '../base/manifest-types.js';
import { ConnectorError } from '../base/errors.js';
import { log } from '../base/log.js';
import type { Checkpoint, CursorCheckpoint, Gap, WindowCheckpoint } from './state.js';

export const iso = (t: number) => new Date(t).toISOString();
export const floorSecond = (t: number) => Math.floor(t / 1000) * 1000;

/** Checks retention: a checkpoint older than the oldest point served resumes there, and the lost span is a gap. */
function retentionGap(s: StreamManifest, at: number, now: number, state: Checkpoint): { oldest: number; gap?: Gap } {
  const oldest = floorSecond(now - s.retention_hours * 3_600_000) + 1000; // a second inside, so the first request is not refused
  if (at >= oldest) return { oldest };
  const gap: Gap = { stream: s.name, from: iso(at), to: iso(oldest), found: iso(now) };
  state.gaps.push(gap);
  log.warn(`${s.name}: events between ${gap.from} and ${gap.to} were lost (older than the stream's retention of ${s.retention_hours} h when polled)`);
  return { oldest, gap };
}

/**
 * A stream's checkpoint as its read starts: the one stored (which must be of the stream's kind), or
 * a fresh one at `since` clamped to the retention. A stored one older than the retention starts
 * fresh at the oldest point still served, and the lost span is the outcome's gap.
 */
export function startingCheckpoint<C extends WindowCheckpoint | CursorCheckpoint>(
  s: StreamManifest,
  state: Checkpoint,
  since: number,
  now: number,
  out: { gap?: Gap },
  kind: C['kind'],
  resumesAt: (stored: C) => string,
  fresh: (from: string) => C,
): C {
  const stored = state.streams[s.name] as C | undefined;
  if (stored && stored.kind !== kind)
    throw new ConnectorError('input_error', `the checkpoint of ${s.name} is not a ${kind} checkpoint`, { field: 'checkpoint' });
  const start = stored ? Date.parse(resumesAt(stored)) : Math.max(since, now - s.retention_hours * 3_600_000 + 1000);
  const { oldest, gap } = retentionGap(s, start, now, state);
  out.gap = gap;
  const cp = gap || !stored ? fresh(iso(Math.max(start, oldest))) : stored;
  state.streams[s.name] = cp;
  return cp;
}
