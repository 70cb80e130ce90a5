/**
 * The simulator's clock: records are seeded so that the actions' default windows hold data at any
 * hour, and MIMECAST_SIMULATOR_NOW fixes the clock for the simulator and the runs against it.
 */
import { startSimulator } from '../../src/simulator/server.js';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as simClock from '../../src/simulator/clock.js';
import { recentTimes } from '../../src/simulator/clock.js';
import * as runDates from '../../src/runtime/dates.js';
import { clockFromEnv } from '../../src/runtime/dates.js';
import { runAction } from '../../src/runtime/run.js';

const at = (iso: string) => new Date(iso);

describe('recentTimes', () => {
  it.each([
    ['2026-12-07T00:00:00Z', 'exactly midnight'],
    ['2026-12-07T00:05:00Z', 'five minutes past midnight'],
    ['2026-12-31T23:55:00Z', 'the last minutes of a month and a year'],
    ['2028-02-29T12:00:00Z', 'a leap day'],
  ])('at %s (%s): half the records are in today up to now, the other half in the rest of the last 24 hours, oldest first', (iso) => {
    const now = at(iso);
    const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const times = recentTimes(now, 240).map((d) => d.getTime());
    expect(times).toHaveLength(240);
    expect(times.filter((t) => t >= dayStart && t <= now.getTime())).toHaveLength(120);
    expect(times.filter((t) => t >= now.getTime() - 86_400_000 && t < dayStart)).toHaveLength(120);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('an odd count puts the extra record in today', () => {
    const now = at('2026-12-07T00:05:00Z');
    const times = recentTimes(now, 5).map((d) => d.toISOString());
    expect(times).toEqual([
      '2026-12-06T00:05:00.000Z',
      '2026-12-06T12:02:30.000Z',
      '2026-12-07T00:00:00.000Z',
      '2026-12-07T00:01:40.000Z',
      '2026-12-07T00:03:20.000Z',
    ]);
  });
});

describe('clockFromEnv', () => {
  it('is a fixed clock at the instant given, or undefined when unset', () => {
    expect(clockFromEnv({})).toBeUndefined();
    expect(clockFromEnv({ MIMECAST_SIMULATOR_NOW: '' })).toBeUndefined();
    expect(clockFromEnv({ MIMECAST_SIMULATOR_NOW: '2026-12-31T23:55:00Z' })!().toISOString()).toBe('2026-12-31T23:55:00.000Z');
  });

  it('refuses a value that is not a date-time as a config_error naming the variable', () => {
    expect(() => clockFromEnv({ MIMECAST_SIMULATOR_NOW: 'yesterday' })).toThrow(
      expect.objectContaining({ type: 'config_error', message: 'MIMECAST_SIMULATOR_NOW="yesterday": must be an ISO 8601 date-time' }),
    );
  });
});

describe("the simulator's own dates", () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const simDir = join(root, 'src/simulator');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('imports no connector code: what it checks is not what it is built from (only its generated route registry lies outside)', () => {
    const outside = sources(simDir).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)]
        .map((m) => relative(root, resolve(dirname(file), m[1])))
        .filter((target) => !target.startsWith('src/simulator/') && target !== 'src/generated/simulator-routes.js')
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('has one date formatter and one parser: no route keeps a copy', () => {
    const copies = sources(simDir)
      .filter((file) => !file.endsWith('clock.ts'))
      .filter((file) => /const (pad|fmt|parse) =|getUTCFullYear\(\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(copies).toEqual([]);
  });

  it.each([
    '2026-12-31T23:55:00Z',
    '2026-12-31T23:55:00',
    '2026-12-31 23:55',
    '2026-12-31',
    '2026-12-31T23:55:00.123456789+05:30',
    '2026-12-31T23:55:00-0800',
    '2026-12-31T23:55:00+01',
    '2028-02-29T12:00:00z',
    '2026-02-29T12:00:00Z',
    '2026-12-31T24:00:00Z',
    '2026-12-31T23:55:00+2400',
    'yesterday',
    '1767225300000',
  ])('reads MIMECAST_SIMULATOR_NOW=%s as the connector does (same instant, or both refuse it)', (raw) => {
    const env = { MIMECAST_SIMULATOR_NOW: raw };
    const read = (f: typeof clockFromEnv) => {
      try {
        return f(env)!().toISOString();
      } catch {
        return 'refused';
      }
    };
    expect(read(simClock.clockFromEnv)).toBe(read(runDates.clockFromEnv));
  });

  it.each(['2026-03-31T10:00:00Z', '2028-03-31T10:00:00Z', '2026-01-15T23:59:59Z', '2026-12-31T00:00:00Z'])(
    'its default windows at %s are those the connector asks for',
    (iso) => {
      const now = new Date(iso);
      expect(simClock.oneCalendarMonthBefore(now)).toEqual(runDates.oneCalendarMonthBefore(now));
      expect(simClock.endOfTodayUtc(now)).toEqual(runDates.endOfTodayUtc(now));
      expect(simClock.startOfTodayUtc(now)).toEqual(runDates.startOfTodayUtc(now));
      expect(simClock.parseMimecastDate(runDates.formatMimecastDate(now))).toBe(Math.floor(now.getTime() / 1000) * 1000);
      expect(simClock.formatMimecastDate(now)).toBe(runDates.formatMimecastDate(now));
    },
  );
});

describe('the default windows hold data at any hour (the simulator and the run on one clock)', () => {
  it.each(['2026-12-07T00:05:00Z', '2026-12-31T23:55:00Z'])('at %s', async (iso) => {
    const clock = () => at(iso);
    const sim = await startSimulator({ now: clock });
    try {
      const config = { base_url: sim.url, ...sim.credentials };
      const opts = { tokenCache: 'memory' as const, now: () => clock().getTime() };
      const start = `${iso.slice(0, 10)}T00:00:00+0000`;
      const end = `${iso.slice(0, 10)}T${iso.slice(11, 19)}+0000`;
      const cases = [
        ['get_ttp_url_logs', { route: 'all', page_size: '500' }, 120],
        ['get_ttp_attachment_protection_logs', { page_size: '500' }, 96],
        ['get_ttp_impersonation_protect_logs', { page_size: '500' }, 60],
        ['get_audit_events', { page_size: '500' }, 72],
      ] as const;
      for (const [action, input, rows] of cases) {
        const r = await runAction(action, input, config, opts);
        expect({ action, status: r.status, rows: (r.data as unknown[]).length }).toEqual({ action, status: 'success', rows });
        const sent = sim.requests.filter((q) => q.path.startsWith('/api/')).at(-1)!.body as { data: Record<string, unknown>[] };
        const item = sent.data[0];
        expect([item.from ?? item.startDateTime, item.to ?? item.endDateTime]).toEqual([start, end]);
      }
    } finally {
      await sim.close();
    }
  });
});
