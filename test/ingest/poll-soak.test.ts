/**
 * The soak: records arriving for a while (the simulator's clock runs SPEED times faster than the
 * real one: 30 s are 30 minutes of detections), the built CLI polling them into --out run after
 * run, killed with SIGKILL at random moments and started again, 5xx and 429 faults injected. At
 * the end every record the simulator served in the span is in --out exactly once.
 *
 * SOAK_SECONDS and SOAK_KILLS make it longer: `npm run soak` is the acceptance run, 30 s and ten
 * kills (docs/ingestion.md).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditEventList } from '../../src/simulator/routes/audit.js';
import { heldNow } from '../../src/simulator/routes/gateway-hold.js';
import { siemEvent } from '../../src/simulator/routes/siem.js';
import { impersonationLogList } from '../../src/simulator/routes/ttp-logs.js';
import { clickLogList } from '../../src/simulator/routes/ttp-url.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { CLI, cleanupTmpDirs, cliEnv, NODE, requireBuiltCli, simEnv, tmpDir } from '../helpers/cli.js';

// In the suite: 10 s and 3 kills (the full 30 s with 10 kills takes over 30 s on a loaded machine: `npm run soak`).
const SECONDS = Number(process.env.SOAK_SECONDS ?? 10);
const KILLS = Number(process.env.SOAK_KILLS ?? 3);
const SPEED = 60;
const BASE = Date.parse('2026-03-10T12:00:00Z');
const STREAMS = 'ttp_url,ttp_impersonation,held_messages,audit,siem';

// The soak's clock: fast while records arrive, then frozen for the last runs.
const realStart = Date.now();
let frozen: number | undefined;
const simNow = () => frozen ?? BASE + Math.floor((Date.now() - realStart) * SPEED);

let sim: Simulator;
beforeAll(async () => {
  requireBuiltCli();
  sim = await startSimulator({ now: () => new Date(simNow()) });
});
afterAll(async () => {
  await sim.close();
  cleanupTmpDirs();
});

/** A seeded PRNG: the same kill moments and faults on every run of the soak. */
let seed = 20_261_207;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One poller process, its clock the simulator's at its start (whole seconds); killed after killAfterMs when given. */
function poller(d: string, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const now = new Date(Math.floor(simNow() / 1000) * 1000).toISOString();
  const child = spawn(NODE, [CLI, 'poll', '--stream', STREAMS, '--state', join(d, 'state.json'), '--out', join(d, 'out.ndjson'), '--since', '1h'], {
    env: cliEnv({ env: simEnv(sim, { MIMECAST_SIMULATOR_NOW: now, MIMECAST_TOKEN_CACHE: 'memory' }) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    }),
  );
}

const mimecastTime = (s: string) => Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

test(
  `soak: ${SECONDS} s of arriving records, ${KILLS} SIGKILLs at random moments, 5xx and 429 faults: every record in --out exactly once`,
  async () => {
    const d = tmpDir('mc-soak-');
    const since = Math.floor(simNow() / 1000) * 1000 - 3_600_000;
    let kills = 0;
    let runs = 0;
    const codes: (number | null)[] = [];
    while (Date.now() - realStart < SECONDS * 1000 || kills < KILLS) {
      const r = rand();
      if (r < 0.25) sim.fault({ kind: 'status', status: 503, after: Math.floor(rand() * 8), times: 1 + Math.floor(rand() * 2) });
      else if (r < 0.4) sim.fault({ kind: 'rate_limit', resetMs: 100 + Math.floor(rand() * 200), after: Math.floor(rand() * 8) });
      const kill = kills < KILLS && rand() < 0.5;
      const result = await poller(d, kill ? Math.floor(rand() * 900) : undefined);
      runs++;
      if (result.signal === 'SIGKILL') kills++;
      else {
        codes.push(result.code);
        // A run may end partial (a stream's 5xx outlasted its retries) but never on anything else.
        expect([0, 3]).toContain(result.code);
      }
      if (!kill) await sleep(rand() * 300);
    }
    // The records stop; the poller catches up with what was served (a fault still queued is retried).
    frozen = simNow();
    expect((await poller(d)).code).toBe(0);
    expect((await poller(d)).code).toBe(0);
    expect(kills).toBe(KILLS);
    expect(runs).toBeGreaterThan(KILLS);

    const out = readFileSync(join(d, 'out.ndjson'), 'utf8');
    expect(out.endsWith('\n')).toBe(true);
    const got = out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const e = JSON.parse(l) as { stream: string; event: unknown };
        return `${e.stream} ${JSON.stringify(e.event)}`;
      })
      .sort();
    const to = Math.floor(frozen / 1000) * 1000;
    const inSpan = (t: number) => t >= since && t <= to;
    const siem: string[] = [];
    for (let i = Math.ceil(since / 30_000) * 2; ; i++) {
      const e = siemEvent(i);
      if ((e.timestamp as number) > frozen) break;
      siem.push(`siem ${JSON.stringify(e)}`);
    }
    const expected = [
      ...clickLogList(sim)
        .filter((l) => l.scanResult === 'malicious' && inSpan(mimecastTime(l.date)))
        .map((l) => `ttp_url ${JSON.stringify(l)}`),
      ...impersonationLogList(sim)
        .filter((l) => inSpan(mimecastTime(l.eventTime)))
        .map((l) => `ttp_impersonation ${JSON.stringify(l)}`),
      ...[...heldNow(sim).values()].filter((m) => inSpan(mimecastTime(m.dateReceived))).map(({ senderIP: _ip, ...m }) => `held_messages ${JSON.stringify(m)}`),
      ...auditEventList(sim)
        .filter((e) => inSpan(mimecastTime(e.eventTime)))
        .map((e) => `audit ${JSON.stringify(e)}`),
      ...siem,
    ].sort();
    // Records arrived during the soak, beyond the seeded ones (30 simulated minutes of them).
    expect(expected.length).toBeGreaterThan(250 + 8 * SECONDS);
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected);
    expect(existsSync(join(d, 'state.json'))).toBe(true);
  },
  (SECONDS + 90) * 1000,
);
