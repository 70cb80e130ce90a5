/**
 * The simulator's clock and dates: Mimecast's date form, the windows its routes default to, the
 * times of its synthetic records, and MIMECAST_SIMULATOR_NOW.
 *
 * The simulator stands for Mimecast, so it keeps its own date code and imports none of the
 * connector's (src/runtime/dates.ts): a bug in the connector's date handling must show up as a
 * disagreement with the simulator, not be shared by both.
 *
 * Every time-based record is placed relative to the simulator's "now", and so that the windows
 * the actions ask for by default always hold data, whatever the hour: the log actions default to
 * "since 00:00 UTC today", which at 00:05 is five minutes long. A record list therefore puts half
 * of its records in today's UTC day so far and the other half in the rest of the last 24 hours.
 */

const DAY = 86_400_000;

const pad = (n: number): string => String(n).padStart(2, '0');

/** Mimecast's form, always in UTC: 2024-10-12T18:30:00+0000. */
export function formatMimecastDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}

/**
 * A request's date as Mimecast reads it (epoch ms; NaN when it is not a string or not a date):
 * its own form with a colonless offset (+0000), or any form Date.parse takes.
 */
export function parseMimecastDate(s: unknown): number {
  return typeof s === 'string' ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
}

/** 00:00:00 UTC of now's day. */
export function startOfTodayUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** 23:59:59 UTC of now's day. */
export function endOfTodayUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59, 59));
}

/** The same moment one calendar month earlier, clamped to that month's last day (31 March → 28/29 February). */
export function oneCalendarMonthBefore(now: Date): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = Math.min(now.getUTCDate(), new Date(Date.UTC(y, m, 0)).getUTCDate());
  return new Date(Date.UTC(y, m - 1, day, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()));
}

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

/** The environment variable that fixes the simulator's clock (an ISO 8601 instant): reproducible runs at any hour. */
export const SIMULATOR_NOW_ENV = 'MIMECAST_SIMULATOR_NOW';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** An ISO 8601 date or date-time (no zone: UTC) as epoch ms, else NaN: no rolled-over dates (2024-02-31). */
function isoInstant(value: string): number {
  const m = ISO_INSTANT.exec(value.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return NaN;
  if (new Date(Date.UTC(year, month - 1, day)).getUTCMonth() !== month - 1) return NaN;
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4) || '0')];
    if (oh > 23 || om > 59) return NaN;
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/**
 * The clock MIMECAST_SIMULATOR_NOW asks for: that fixed instant, or undefined when it is unset.
 * A value that is not an ISO 8601 date-time is refused, naming the variable. (The connector reads
 * the same variable for its runs against a loopback simulator, with its own parser; a test holds
 * the two to the same instants.)
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): (() => Date) | undefined {
  const raw = env[SIMULATOR_NOW_ENV];
  if (raw === undefined || raw === '') return undefined;
  const ms = isoInstant(raw);
  if (Number.isNaN(ms)) throw new Error(`${SIMULATOR_NOW_ENV}=${JSON.stringify(raw.slice(0, 40))}: must be an ISO 8601 date-time`);
  return () => new Date(ms);
}
