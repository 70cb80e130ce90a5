/**
 * Dates. Analysts and playbooks send ISO 8601 in many spellings; Mimecast's /api/* routes
 * document yyyy-MM-dd'T'HH:mm:ssZ with a numeric offset and no colon (2024-10-12T18:30:00+0000).
 */
import { ConnectorError, inputError } from '../base/errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO 8601 date-time; returns null when it is not one. A missing zone means UTC. */
export function parseIsoDate(value: string): Date | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d),
    hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  const date = new Date(utc);
  // Reject dates that rolled over (2024-02-31).
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return null;
  return date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Formats as Mimecast's documented form, always in UTC: 2024-10-12T18:30:00+0000. */
export function formatMimecastDate(date: Date): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+0000`
  );
}

/** Start of the current UTC day. */
export function startOfTodayUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** End of the current UTC day (23:59:59). */
export function endOfTodayUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59, 59));
}

/** The same moment one calendar month earlier (clamped to the month's last day). */
export function oneCalendarMonthBefore(now: Date = new Date()): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const lastDayPrev = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const day = Math.min(now.getUTCDate(), lastDayPrev);
  return new Date(Date.UTC(y, m - 1, day, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()));
}

/**
 * A start/end window in Mimecast's form: the dates the user gave (already normalised), else the
 * action's defaults computed from the run's clock. Both given in the wrong order is refused with
 * the input (runtime/run.ts); one given past the other's default is refused here, saying which
 * one was the default.
 */
export function dateWindow(
  given: { start?: string; end?: string },
  now: Date,
  defaultStart: (now: Date) => Date,
  defaultEnd: (now: Date) => Date = (n) => n,
): { start: string; end: string } {
  const start = given.start ?? formatMimecastDate(defaultStart(now));
  const end = given.end ?? formatMimecastDate(defaultEnd(now));
  if (given.start === undefined || given.end === undefined) {
    const a = parseIsoDate(start);
    const b = parseIsoDate(end);
    if (a && b && b.getTime() < a.getTime()) {
      throw given.end === undefined
        ? inputError('start', `(${start}) is after the default end (${end}, when end is not given); give an end too`)
        : inputError('end', `(${end}) is before the default start (${start}, when start is not given); give a start too`);
    }
  }
  return { start, end };
}

/** The environment variable that fixes the simulator's clock (an ISO 8601 instant): reproducible runs at any hour. */
export const SIMULATOR_NOW_ENV = 'MIMECAST_SIMULATOR_NOW';

/**
 * The clock MIMECAST_SIMULATOR_NOW asks for: that fixed instant, or undefined when it is unset.
 * The simulator runs on it, and so do runs against a loopback base URL (the simulator), so that
 * an action's default window and the simulator's records agree. A run against a tenant never
 * reads it. A value that is not an ISO 8601 date-time is refused, naming the variable.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): (() => Date) | undefined {
  const raw = env[SIMULATOR_NOW_ENV];
  if (raw === undefined || raw === '') return undefined;
  const at = parseIsoDate(raw);
  if (!at)
    throw new ConnectorError('config_error', `${SIMULATOR_NOW_ENV}=${JSON.stringify(raw.slice(0, 40))}: must be an ISO 8601 date-time`, {
      hint: 'Give an instant such as 2026-12-31T23:55:00Z, or unset it for the real clock.',
    });
  const ms = at.getTime();
  return () => new Date(ms);
}
