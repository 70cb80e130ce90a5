/**
 * The library's poll over the simulator: stateless (the checkpoint goes in and comes back),
 * --max-events as whole pages with an exact resume, unreadable records quarantined with the reason.
 */
import { poll, type StreamEventOf } from '../../src/index.js';
import type { Checkpoint, CursorCheckpoint, WindowCheckpoint } from '../../src/ingest/state.js';
import type { StreamManifest } from '../../src/base/manifest-types.js';
import { pollStreams } from '../../src/ingest/engine.js';
import { emptyCheckpoint } from '../../src/ingest/state.js';
import { memorySink } from '../../src/ingest/sink.js';
import type { StreamEvent } from '../../src/ingest/records.js';
import type { ActionClient } from '../../src/client/operations.js';
import manifest from '../../src/generated/manifest.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const NOW = Date.parse('2026-03-10T12:34:56Z');
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => new Date(NOW) });
});
afterAll(() => sim.close());

test('poll resolves to events, the next checkpoint and gaps; resuming from it repeats nothing', async () => {
  const config = { base_url: sim.url, ...sim.credentials };
  const opts = { tokenCache: 'memory' as const, now: () => NOW, pageSize: 20 };
  const all = await poll(config, { streams: ['siem', 'ttp_url'], since: '1h' }, opts);
  expect(all.exitCode).toBe(0);
  expect(all.gaps).toEqual([]);
  expect(all.events.filter((e) => e.stream === 'siem')).toHaveLength(240);
  // Each event's record is typed by its stream: a URL click log has its scanResult.
  const clicks = all.events.filter((e): e is StreamEventOf<'ttp_url'> => e.stream === 'ttp_url');
  expect(clicks.length).toBeGreaterThan(0);
  expect(clicks.every((e) => e.event.scanResult === 'malicious')).toBe(true);

  const ids: string[] = [];
  let checkpoint: Checkpoint | undefined;
  for (let i = 0; i < 40; i++) {
    const r = await poll(config, { streams: ['siem', 'ttp_url'], since: '1h', checkpoint, maxEvents: 50 }, opts);
    ids.push(...r.events.map((e) => e.id));
    checkpoint = r.checkpoint;
    if (!r.events.length) break;
  }
  expect(ids).toEqual(all.events.map((e) => e.id));
  expect(JSON.parse(JSON.stringify(checkpoint)).version).toBe(1);
});

test('a saved page token Mimecast refuses reads the window again from its start: nothing lost, nothing repeated', async () => {
  const config = { base_url: sim.url, ...sim.credentials };
  const opts = { tokenCache: 'memory' as const, now: () => NOW, pageSize: 3 };
  const whole = await poll(config, { streams: ['ttp_url'], since: '24h' }, opts);
  expect(whole.events.length).toBeGreaterThan(6);

  // Stopped mid-window: the checkpoint keeps the window's page token.
  const first = await poll(config, { streams: ['ttp_url'], since: '24h', maxEvents: 3 }, opts);
  const saved = first.checkpoint.streams.ttp_url as WindowCheckpoint;
  expect(saved.window?.token).toEqual(expect.any(String));
  // The token goes stale (expired, or Mimecast changed its form): the simulator refuses it with fail[].
  const stale: Checkpoint = { ...first.checkpoint, streams: { ttp_url: { ...saved, window: { ...saved.window!, token: 'c3RhbGU' } } } };
  const before = sim.requests.length;
  const rest = await poll(config, { streams: ['ttp_url'], checkpoint: stale }, opts);

  expect(rest.exitCode).toBe(0);
  expect([...first.events, ...rest.events].map((e) => e.id)).toEqual(whole.events.map((e) => e.id));
  const tokens = sim.requests
    .slice(before)
    .filter((q) => q.path === '/api/ttp/url/get-logs')
    .map((q) => (q.body as any).meta?.pagination?.pageToken);
  expect(tokens.slice(0, 2)).toEqual(['c3RhbGU', undefined]); // refused once, then the window from its start
});

test('a saved SIEM cursor Mimecast refuses reads again from the newest event delivered: nothing lost, nothing repeated', async () => {
  const config = { base_url: sim.url, ...sim.credentials };
  const opts = { tokenCache: 'memory' as const, now: () => NOW, pageSize: 20 };
  const whole = await poll(config, { streams: ['siem'], since: '1h' }, opts);
  expect(whole.events.length).toBeGreaterThan(100);

  const first = await poll(config, { streams: ['siem'], since: '1h', maxEvents: 50 }, opts);
  const saved = first.checkpoint.streams.siem as CursorCheckpoint;
  expect(saved.cursor).toEqual(expect.any(String));
  const stale: Checkpoint = { ...first.checkpoint, streams: { siem: { ...saved, cursor: 'c3RhbGU' } } };
  const before = sim.requests.length;
  const rest = await poll(config, { streams: ['siem'], checkpoint: stale }, opts);

  expect(rest.exitCode).toBe(0);
  expect([...first.events, ...rest.events].map((e) => e.id)).toEqual(whole.events.map((e) => e.id));
  const [refused, again] = sim.requests.slice(before).filter((q) => q.path === '/siem/v1/events/cg');
  expect(refused.query).toMatchObject({ nextPage: 'c3RhbGU' });
  expect(again.query).toMatchObject({ dateRangeStartsAt: saved.newest });
  expect(again.query).not.toHaveProperty('nextPage');
});

test('bad input names the field, nothing is sent', async () => {
  const before = sim.requests.length;
  const config = { base_url: sim.url, ...sim.credentials };
  // A misspelt literal does not compile; a name known only at run time is checked there.
  await expect(poll(config, { streams: ['sime' as never] })).rejects.toThrow('streams: unknown stream "sime"; did you mean siem?');
  await expect(poll(config, { streams: ['siem'], since: 'yesterday' })).rejects.toThrow(/^since: /);
  await expect(poll(config, { streams: ['siem'], checkpoint: { version: 2 } as never })).rejects.toThrow(/checkpoint is not a poll checkpoint/);
  expect(sim.requests.length).toBe(before);
});

test('a record that is not an object or has no time is quarantined with the reason, and the stream goes on', async () => {
  const s = manifest.streams.audit as StreamManifest;
  const rows = [{ id: 'a1', eventTime: '2026-03-10T12:00:00+0000' }, 'junk', { id: 'a2' }, { id: 'a3', eventTime: '2026-03-10T12:01:00+0000' }];
  const client = {
    async *pages() {
      yield { rows, page: 1, last: true, envelope: { data: rows } };
    },
  } as unknown as ActionClient;
  const events: StreamEvent[] = [];
  const quarantined: [string, string][] = [];
  const state = emptyCheckpoint();
  const [outcome] = await pollStreams([s], state, {
    client: () => client,
    now: () => NOW,
    since: NOW - 3_600_000,
    sink: memorySink(events),
    commit: () => undefined,
    quarantine: (_stream, reason, record) => quarantined.push([reason, JSON.stringify(record)]),
  });
  expect(events.map((e) => e.id)).toEqual(['a1', 'a3']);
  expect(quarantined).toEqual([
    ['the record is not an object', '"junk"'],
    ['the record has no readable time (eventTime: missing)', '{"id":"a2"}'],
  ]);
  expect(outcome.ok).toBe(true);
  expect(state.streams.audit).toMatchObject({ kind: 'window', from: '2026-03-10T11:56:00.000Z' });
});
