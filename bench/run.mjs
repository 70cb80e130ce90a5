#!/usr/bin/env node
/**
 * Side-by-side benchmarks, reported as ratios against a raw undici baseline measured in the same
 * run (never as absolute timings):
 *   cold_start   a fresh `mimecast-connector run get_current_account_details` process vs a fresh
 *                process that makes the same token + API call with bare undici (both with no
 *                cached token: the same two requests)
 *   in_process   runAction('get_ttp_url_logs') (validation, client, pagination, envelope) vs the same
 *                two paged POSTs made with bare undici, both against the simulator on loopback
 * Targets (see README): cold_start ≤ 1.6, in_process ≤ 2.0.
 * Usage: npm run bench [-- --runs N]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request, Agent } from 'undici';
import { runAction } from '../dist/index.js';
import { startSimulator } from '../dist/simulator.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sim = await startSimulator();
const { client_id, client_secret } = sim.credentials;

// ---- cold start
const dir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
const baseline = join(dir, 'baseline.mjs');
writeFileSync(
  baseline,
  `import { request } from ${JSON.stringify(new URL('../node_modules/undici/index.js', import.meta.url).href)};
const base = process.env.MIMECAST_BASE_URL;
const t = await (await request(base + '/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: process.env.MIMECAST_CLIENT_ID, client_secret: process.env.MIMECAST_CLIENT_SECRET }).toString() })).body.json();
const r = await request(base + '/api/account/get-account', { method: 'POST', headers: { authorization: 'Bearer ' + t.access_token, 'content-type': 'application/json' }, body: '{"data":[]}' });
process.stdout.write(JSON.stringify(await r.body.json()));
`,
);
const env = {
  ...process.env,
  MIMECAST_BASE_URL: sim.url,
  MIMECAST_CLIENT_ID: client_id,
  MIMECAST_CLIENT_SECRET: client_secret,
  XDG_CACHE_HOME: join(dir, 'cache'),
};
// Asynchronous: the simulator answers from this process's event loop.
const run = promisify(execFile);
// Each connector run gets an empty token cache, so both sides make the same two requests.
let n = 0;
const time = async (args) => {
  const t0 = performance.now();
  await run(process.execPath, args, { env: { ...env, XDG_CACHE_HOME: join(dir, `cache-${n++}`) } });
  return performance.now() - t0;
};
const conn = [];
const base = [];
for (let i = 0; i < runs; i++) {
  // interleaved so that machine load affects both sides alike
  conn.push(await time(['dist/cli.js', 'run', 'get_current_account_details']));
  base.push(await time([baseline]));
}

// ---- in-process
const config = { base_url: sim.url, client_id, client_secret };
const agent = new Agent();
const rawPaged = async () => {
  const t = await (
    await request(sim.url + '/oauth/token', {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret }).toString(),
    })
  ).body.json();
  let token;
  let rows = 0;
  for (;;) {
    const body = {
      meta: { pagination: { pageSize: 100, ...(token ? { pageToken: token } : {}) } },
      data: [{ from: '2000-01-01T00:00:00+0000', to: '2100-01-01T00:00:00+0000', route: 'all', scanResult: 'all', oldestFirst: false }],
    };
    const r = await (
      await request(sim.url + '/api/ttp/url/get-logs', {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).body.json();
    rows += r.data[0].clickLogs.length;
    token = r.meta.pagination.next;
    if (!token) return rows;
  }
};
// runAction without a connector opens (and closes) a connection of its own, with a fresh in-memory token:
// the same work as the raw loop, which also fetches its token each time.
const viaConnector = async () => {
  const r = await runAction('get_ttp_url_logs', { start: '2000-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' }, config, { tokenCache: 'memory' });
  if (r.status !== 'success') throw new Error(r.summary);
  return r.data.length;
};
const inConn = [];
const inBase = [];
for (let i = 0; i < runs * 4; i++) {
  let t0 = performance.now();
  await viaConnector();
  inConn.push(performance.now() - t0);
  t0 = performance.now();
  await rawPaged();
  inBase.push(performance.now() - t0);
}
await agent.close();
await sim.close();

const result = {
  runs,
  cold_start: { ratio: +(median(conn) / median(base)).toFixed(2), target: 1.6 },
  in_process: { ratio: +(median(inConn) / median(inBase)).toFixed(2), target: 2.0 },
};
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exitCode = result.cold_start.ratio <= result.cold_start.target && result.in_process.ratio <= result.in_process.target ? 0 : 1;
