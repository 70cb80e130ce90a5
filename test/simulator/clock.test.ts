/**
 * The simulator's clock: records are seeded so that the actions' default windows hold data at any
 * hour, and MIMECAST_SIMULATOR_NOW fixes the clock for the simulator and the runs against it.
 */
import { startSimulator } from '../../src/simulator/server.js';
import { recentTimes } from '../../src/simulator/clock.js';
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
