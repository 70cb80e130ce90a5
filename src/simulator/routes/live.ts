/**
 * Records that arrive over time, for the window streams poll reads (TTP URL, attachment and
 * impersonation logs, held messages, audit): on top of a route's seeded records, which stay as they
 * are, new ones appear as the simulator's clock moves, at a rate per stream, so a poller sees new
 * detections and the tests run against a live stream. They are computed from the clock on each
 * request (deterministic: the same clock gives the same records), starting from the moment the
 * route's seeded records were made (its "origin"), so a fixed clock never sees one.
 *
 * Slot k (1, 2, …) arrives at origin + k·period. Like Mimecast's, some arrive late or together:
 * every 4th slot brings two records in the same second, and every 5th is late: its time is
 * LATE_MS before it arrived (before the newest record already served, inside a poller's overlap).
 *
 * No routes of its own: the route modules import it.
 */
import { defineRoutes, defineState, type StateHost, type StateSlot } from '../types.js';

export const LATE_MS = 100_000;

/** One live record: its sequence number, the slot it came in, its time and when it arrived (epoch ms). */
export interface Arrival {
  n: number;
  k: number;
  time: number;
  arrived: number;
}

/** The host a live list is computed for: a route's context or the Simulator handle (tests). */
export type LiveHost = StateHost & { now(): Date };

/** The live records that have arrived by `now`, in arrival order. */
export function arrivals(origin: number, now: number, periodMs: number): Arrival[] {
  const out: Arrival[] = [];
  let n = 0;
  for (let k = 1; origin + k * periodMs <= now; k++) {
    const arrived = origin + k * periodMs;
    const time = Math.floor(arrived / 1000) * 1000 - (k % 5 === 0 ? LATE_MS : 0);
    for (let j = k % 4 === 0 ? 2 : 1; j > 0; j--) out.push({ n: n++, k, time, arrived });
  }
  return out;
}

/** A stream's origin: the simulator's clock when it is first asked (with the seeded records). */
export const defineOrigin = (label: string): StateSlot<number> => defineState(label, (sim) => sim.now().getTime());

/**
 * A route's records, seeded and live, oldest first (a stable sort: the seeded ones keep their
 * order). `seeded` is called before the origin is read, so both are made at the same clock.
 */
export function withLive<T>(sim: LiveHost, seeded: T[], origin: StateSlot<number>, periodMs: number, make: (a: Arrival) => T, time: (r: T) => number): T[] {
  const live = arrivals(origin(sim), sim.now().getTime(), periodMs).map(make);
  if (!live.length) return seeded;
  return [...seeded, ...live].sort((a, b) => time(a) - time(b));
}

export default defineRoutes({});
