/**
 * poll per stream against the simulator over real sockets: a fail[] in an HTTP 200 stops only its
 * stream (its checkpoint stays), held messages and impersonation logs are delivered with their own
 * id and time, and, as the simulator's clock moves, every live record arrives exactly once,
 * late arrivals (inside the overlap) and same-second ones included.
 */
import { poll } from '../../src/index.js';
import type { Checkpoint } from '../../src/ingest/state.js';
import { auditEventList } from '../../src/simulator/routes/audit.js';
import { heldNow } from '../../src/simulator/routes/gateway-hold.js';
import { LATE_MS } from '../../src/simulator/routes/live.js';
import { attachmentLogList, impersonationLogList } from '../../src/simulator/routes/ttp-logs.js';
import { clickLogList } from '../../src/simulator/routes/ttp-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const START = Date.parse('2026-03-10T12:34:56Z');
let clock = START;
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => new Date(clock) });
});
beforeEach(() => {
  clock = START;
  sim.reset();
});
afterAll(() => sim.close());

const config = () => ({ base_url: sim.url, ...sim.credentials });
const opts = { tokenCache: 'memory' as const, now: () => clock, pageSize: 7, retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 500, retries: 1 } };
const mimecastTime = (s: string) => new Date(Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();

test('a fail[] in an HTTP 200 leaves that stream where it was, the others go on (exit 3); the only stream: exit 1', async () => {
  // Mimecast refuses the audit request item in fail[] (HTTP 200, nothing served).
  sim.fault({ kind: 'fail_item', path: '/api/audit/get-audit-events', code: 'err_audit_unavailable', times: 10 });
  const audit = { kind: 'window' as const, from: '2026-03-10T11:00:00.000Z', seen: { x1: '2026-03-10T11:00:00.000Z' } };
  const checkpoint: Checkpoint = { version: 1, streams: { audit }, gaps: [] };
  const r = await poll(config(), { streams: ['audit', 'siem'], checkpoint, since: '1h' }, opts);
  expect(r.exitCode).toBe(3);
  expect(r.checkpoint.streams.audit).toEqual(audit);
  expect(r.streams.find((s) => s.stream === 'audit')).toMatchObject({ ok: false, events: 0, error: { type: 'api_error', code: 'err_audit_unavailable' } });
  expect(r.events.some((e) => e.stream === 'audit')).toBe(false);
  expect(r.events.filter((e) => e.stream === 'siem')).toHaveLength(240);
  expect(sim.requests.filter((q) => q.path === '/api/audit/get-audit-events')).toHaveLength(1); // an item's refusal is not retried

  const alone = await poll(config(), { streams: ['audit'], checkpoint }, opts);
  expect(alone.exitCode).toBe(1);
  expect(alone.checkpoint).toEqual(checkpoint);
  expect(alone.events).toEqual([]);
});

test('held_messages: every held message of the window, with its id and dateReceived as the time', async () => {
  const r = await poll(config(), { streams: ['held_messages'], since: '24h' }, opts);
  expect(r.exitCode).toBe(0);
  const expected = [...heldNow(sim).values()].filter((m) => Date.parse(mimecastTime(m.dateReceived)) >= START - 24 * 3_600_000);
  expect(expected.length).toBeGreaterThan(3);
  expect(r.events.map((e) => [e.id, e.time]).sort()).toEqual(expected.map((m) => [m.id, mimecastTime(m.dateReceived)]).sort());
  const { senderIP: _ip, ...listed } = expected[0];
  expect(r.events.find((e) => e.id === expected[0].id)).toEqual({
    stream: 'held_messages',
    id: expected[0].id,
    time: mimecastTime(expected[0].dateReceived),
    event: listed,
  });
  // admin: true (every user's held mail), in the window poll asked for.
  const body = sim.requests.find((q) => q.path === '/api/gateway/get-hold-message-list')!.body as { data: Record<string, unknown>[] };
  expect(body.data[0]).toEqual({ admin: true, start: '2026-03-09T12:34:56+0000', end: '2026-03-10T12:34:56+0000' });
});

test('ttp_impersonation: every log of the window, with its id and eventTime as the time', async () => {
  const r = await poll(config(), { streams: ['ttp_impersonation'], since: '6h' }, opts);
  expect(r.exitCode).toBe(0);
  const expected = impersonationLogList(sim).filter((l) => Date.parse(mimecastTime(l.eventTime)) >= START - 6 * 3_600_000);
  expect(expected.length).toBeGreaterThan(10);
  expect(r.events.map((e) => [e.id, e.time])).toEqual(expected.map((l) => [l.id, mimecastTime(l.eventTime)]));
  expect(r.events[0]).toEqual({ stream: 'ttp_impersonation', id: expected[0].id, time: mimecastTime(expected[0].eventTime), event: expected[0] });
});

test('as the clock moves, every new record arrives exactly once: late arrivals inside the overlap caught, none repeated', async () => {
  const streams = ['ttp_url', 'ttp_attachment', 'ttp_impersonation', 'held_messages', 'audit'] as const;
  const delivered: { stream: string; id: string; time: string; poll: number }[] = [];
  let checkpoint: Checkpoint | undefined;
  // Uneven steps, so polls fall between arrivals, on them, and a late one's time before the newest served.
  const steps = [0, 95_000, 41_000, 600_000, 1_000, 333_000, 120_000, 20_000, 900_000];
  for (const [i, step] of steps.entries()) {
    clock += step;
    const r = await poll(config(), { streams, checkpoint, since: '1h' }, opts);
    expect(r.exitCode).toBe(0);
    checkpoint = r.checkpoint;
    delivered.push(...r.events.map((e) => ({ stream: e.stream, id: e.id, time: e.time, poll: i })));
  }
  const from = START - 3_600_000;
  const inRange = (t: string) => Date.parse(mimecastTime(t)) >= from;
  const expected = [
    ...clickLogList(sim)
      .filter((l) => l.scanResult === 'malicious' && inRange(l.date))
      .map((l) => `ttp_url ${mimecastTime(l.date)}`),
    ...attachmentLogList(sim)
      .filter((l) => inRange(l.date))
      .map((l) => `ttp_attachment ${mimecastTime(l.date)}`),
    ...impersonationLogList(sim)
      .filter((l) => inRange(l.eventTime))
      .map((l) => `ttp_impersonation ${l.id}`),
    ...[...heldNow(sim).values()].filter((m) => inRange(m.dateReceived)).map((m) => `held_messages ${m.id}`),
    ...auditEventList(sim)
      .filter((e) => inRange(e.eventTime))
      .map((e) => `audit ${e.id}`),
  ].sort();
  // ids: Mimecast's where it has one; the hashed TTP logs are compared by stream and time (and count).
  const got = delivered.map((e) => `${e.stream} ${e.stream === 'ttp_url' || e.stream === 'ttp_attachment' ? e.time : e.id}`).sort();
  expect(got).toEqual(expected);
  expect(new Set(delivered.map((e) => `${e.stream} ${e.id}`)).size).toBe(delivered.length);

  // The live records were there: many after the first poll, late ones older than the newest served
  // before them, and pairs in the same second.
  const later = delivered.filter((e) => e.poll > 0);
  expect(later.length).toBeGreaterThan(150);
  const late = later.filter((e) => {
    const before = delivered.filter((d) => d.stream === e.stream && d.poll < e.poll).map((d) => Date.parse(d.time));
    return before.length && Date.parse(e.time) < Math.max(...before);
  });
  expect(late.length).toBeGreaterThan(5);
  expect(
    late.every(
      (e) => Date.parse(e.time) >= Math.max(...delivered.filter((d) => d.poll < e.poll && d.stream === e.stream).map((d) => Date.parse(d.time))) - LATE_MS,
    ),
  ).toBe(true);
  const bySecond = new Map<string, number>();
  for (const e of later) bySecond.set(`${e.stream} ${e.time}`, (bySecond.get(`${e.stream} ${e.time}`) ?? 0) + 1);
  expect([...bySecond.values()].some((n) => n > 1)).toBe(true);
});
