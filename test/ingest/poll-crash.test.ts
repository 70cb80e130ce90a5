/**
 * poll against the simulator over real sockets: exactly once to a file across crashes at every
 * step of a commit (after the write, after the fsync, before and after the rename, and half a line
 * written), over random kill points (a seeded PRNG), and never past a failure.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollCommand, resolveStreams } from '../../src/ingest/poll.js';
import type { CommitPoint } from '../../src/ingest/state.js';
import { parseConfig } from '../../src/runtime/config.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const NOW = Date.parse('2026-03-10T12:34:56Z');
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ now: () => new Date(NOW) });
});
beforeEach(() => sim.reset());
afterAll(() => sim.close());

class Crash extends Error {}
const STREAMS = 'ttp_attachment,audit,siem';

function dir() {
  const d = mkdtempSync(join(tmpdir(), 'poll-'));
  return { state: join(d, 'state.json'), out: join(d, 'events.ndjson') };
}

/** One poll process: crashes (throws out of the engine) at the n-th time it reaches `at`. */
async function run(files: { state: string; out: string }, crash?: { at: CommitPoint; n: number }, extra: { maxEvents?: number } = {}) {
  let count = 0;
  return pollCommand(parseConfig({ base_url: sim.url, ...sim.credentials }), {
    streams: resolveStreams(STREAMS),
    state: files.state,
    out: files.out,
    since: '2h',
    pageSize: 25,
    tokenCache: 'memory',
    retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 500, retries: 1 },
    now: () => NOW,
    ...extra,
    hook: (p) => {
      if (crash && p === crash.at && ++count === crash.n) throw new Crash(`killed at ${p} #${count}`);
    },
  });
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { stream: string; id: string; time: string });

let reference: string[];
beforeAll(async () => {
  const f = dir();
  expect(await run(f)).toBe(0);
  reference = readFileSync(f.out, 'utf8').split('\n').filter(Boolean);
});

test('a run writes each event once, in the contract line format, then is caught up', async () => {
  const events = reference.map((l) => JSON.parse(l));
  expect(new Set(events.map((e) => `${e.stream} ${e.id}`)).size).toBe(events.length);
  // siem: two events per 30 s over 2 h (10:35:00 to 12:34:30), each repeat of the cursor dropped.
  expect(events.filter((e) => e.stream === 'siem')).toHaveLength(2 * 240);
  expect(events.filter((e) => e.stream === 'audit').length).toBeGreaterThanOrEqual(11);
  expect(Object.keys(events[0]).sort()).toEqual(['event', 'id', 'stream', 'time']);
  expect(events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.time))).toBe(true);
  const f = dir();
  expect(await run(f)).toBe(0);
  const size = readFileSync(f.out).length;
  expect(await run(f)).toBe(0); // nothing new: nothing written
  expect(readFileSync(f.out).length).toBe(size);
});

test.each<CommitPoint>(['written', 'synced', 'before-rename', 'renamed'])(
  'killed %s (and half a line written), a restart loses and repeats nothing',
  async (at) => {
    for (const n of [1, 3, 9]) {
      const f = dir();
      await expect(run(f, { at, n })).rejects.toThrow(Crash);
      appendFileSync(f.out, '{"stream":"siem","id":"sha2'); // the kill cut a line in half
      expect(await run(f)).toBe(0);
      expect(readFileSync(f.out, 'utf8').split('\n').filter(Boolean)).toEqual(reference);
    }
  },
);

test('random kill points (seeded): every event in the output exactly once', async () => {
  let seed = 20_260_310;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const points: CommitPoint[] = ['written', 'synced', 'before-rename', 'renamed'];
  for (let iteration = 0; iteration < 6; iteration++) {
    const f = dir();
    for (let kills = 0; kills < 4; kills++) {
      const crash = { at: points[Math.floor(rand() * points.length)], n: 1 + Math.floor(rand() * 12) };
      try {
        await run(f, crash, { maxEvents: rand() < 0.5 ? 60 : undefined });
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        if (rand() < 0.5) appendFileSync(f.out, '{"partial');
      }
    }
    while ((await run(f, undefined, { maxEvents: 200 })) === 0 && readFileSync(f.out, 'utf8').split('\n').filter(Boolean).length < reference.length);
    expect(readFileSync(f.out, 'utf8').split('\n').filter(Boolean)).toEqual(reference);
  }
});

test('a 5xx after retries leaves that stream where it was (exit 3), the others go on; nothing moved: exit 1', async () => {
  const f = dir();
  await sim.fault({ kind: 'status', status: 503, path: '/api/audit/get-audit-events', times: 10 });
  expect(await run(f)).toBe(3);
  const state = JSON.parse(readFileSync(f.state, 'utf8'));
  expect(state.streams.audit.window).toBeUndefined();
  expect(state.streams.audit.seen).toEqual({});
  expect(lines(f.out).some((e) => e.stream === 'audit')).toBe(false);
  expect(lines(f.out).some((e) => e.stream === 'siem')).toBe(true);
  sim.reset();
  expect(await run(f)).toBe(0);
  expect(
    lines(f.out)
      .map((e) => `${e.stream} ${e.id}`)
      .sort(),
  ).toEqual(
    reference
      .map((l) => JSON.parse(l))
      .map((e) => `${e.stream} ${e.id}`)
      .sort(),
  );

  const g = dir();
  await sim.fault({ kind: 'status', status: 500, times: 50 });
  expect(await run(g)).toBe(1);
  expect(existsSync(g.out) ? readFileSync(g.out, 'utf8') : '').toBe('');
});

test('a siem checkpoint older than its 24 h retention resumes at the oldest event served, records the gap, exit 3', async () => {
  const f = dir();
  const old = new Date(NOW - 30 * 3_600_000).toISOString();
  writeFileSync(f.state, JSON.stringify({ version: 1, streams: { siem: { kind: 'cursor', from: old, newest: old, cursor: 'c2llbTox', seen: [] } }, gaps: [] }));
  const code = await pollCommand(parseConfig({ base_url: sim.url, ...sim.credentials }), {
    streams: resolveStreams('siem'),
    state: f.state,
    out: f.out,
    tokenCache: 'memory',
    now: () => NOW,
  });
  expect(code).toBe(3);
  const state = JSON.parse(readFileSync(f.state, 'utf8'));
  expect(state.gaps).toEqual([{ stream: 'siem', from: old, to: new Date(NOW - 24 * 3_600_000 + 1000).toISOString(), found: new Date(NOW).toISOString() }]);
  const first = lines(f.out)[0];
  expect(Date.parse(first.time)).toBeGreaterThanOrEqual(NOW - 24 * 3_600_000);
  expect(Date.parse(first.time)).toBeLessThan(NOW - 24 * 3_600_000 + 60_000);
});

test('commits come every few pages, not per page: killed between them, a restart re-reads those pages and still writes each event once', async () => {
  const f = dir();
  let written = 0;
  let atKill: { out_length?: number; streams: Record<string, unknown> } | undefined;
  let outAtKill = 0;
  const poller = pollCommand(parseConfig({ base_url: sim.url, ...sim.credentials }), {
    streams: resolveStreams('siem'),
    state: f.state,
    out: f.out,
    since: '2h',
    pageSize: 25,
    tokenCache: 'memory',
    now: () => NOW,
    commitEvery: { pages: 4, ms: Infinity },
    hook: (p) => {
      if (p !== 'written' || ++written !== 3) return;
      atKill = JSON.parse(readFileSync(f.state, 'utf8'));
      outAtKill = readFileSync(f.out).length;
      throw new Crash('killed after the third page was written');
    },
  });
  await expect(poller).rejects.toThrow(Crash);
  // Three pages appended, none committed yet: the state still covers an empty --out.
  expect(atKill!.streams.siem).toBeUndefined();
  expect(atKill!.out_length).toBe(0);
  expect(outAtKill).toBeGreaterThan(0);
  expect(await run(f)).toBe(0); // all three streams: siem's read again from the start
  const siem = (all: { stream: string; id: string }[]) => all.filter((e) => e.stream === 'siem').map((e) => e.id);
  expect(siem(lines(f.out))).toEqual(siem(reference.map((l) => JSON.parse(l))));
  expect(lines(f.out)).toHaveLength(reference.length);
});
