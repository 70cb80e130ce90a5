/**
 * The simulator's clock and the times of its synthetic records.
 *
 * Every time-based record is placed relative to the simulator's "now", and so that the windows
 * the actions ask for by default always hold data, whatever the hour: the log actions default to
 * "since 00:00 UTC today", which at 00:05 is five minutes long. A record list therefore puts half
 * of its records in today's UTC day so far and the other half in the rest of the last 24 hours.
 */
import { startOfTodayUtc } from '../runtime/dates.js';

export { clockFromEnv, SIMULATOR_NOW_ENV } from '../runtime/dates.js';

const DAY = 86_400_000;

/**
 * The times of n records over the last 24 hours, oldest first: ceil(n/2) spread evenly over
 * today's UTC day up to now (the first at 00:00:00, none after now), the rest evenly over the
 * hours of the last 24 that fall before today (at 00:05, almost all of them; at 23:55, five minutes).
 */
export function recentTimes(now: Date, n: number): Date[] {
  const dayStart = startOfTodayUtc(now).getTime();
  const today = Math.ceil(n / 2);
  const before = n - today;
  const span = now.getTime() - dayStart;
  const times: Date[] = [];
  const from = now.getTime() - DAY;
  for (let i = 0; i < before; i++) times.push(new Date(from + Math.floor(((dayStart - from) * i) / before)));
  for (let i = 0; i < today; i++) times.push(new Date(dayStart + Math.floor((span * i) / today)));
  return times;
}
