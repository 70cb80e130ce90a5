/**
 * The commands that run until they are stopped: simulate (the simulator on loopback), mcp (the
 * tool server on stdio) and poll (ingestion, with --follow). main.ts dispatches to them.
 */
import { setFlagsFromString } from 'node:v8';
import manifest from '../generated/manifest.js';
import { errLine, log } from '../base/log.js';
import { loadConfig } from '../runtime/config.js';
import { createConnector } from '../runtime/run.js';
import type { Simulator } from '../simulator/index.js';
import { pollCommand, resolveStreams } from '../ingest/poll.js';
import { InvocationError, shellQuote, type Invocation } from './args.js';
import { loadMcp } from './load-mcp.js';
import { loadSimulator } from './load-simulator.js';
import { progressPrinter } from './progress.js';
import { out, refuse, simulatorClock, tokenCacheOption } from './shared.js';

type Values = Extract<Invocation, { kind: 'command' }>['values'];

export async function cmdSimulate(values: Values): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  let sim: Simulator;
  try {
    sim = await (await loadSimulator()).startSimulator({ port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    return refuse(
      new InvocationError(
        'simulate',
        undefined,
        code === 'EADDRINUSE'
          ? `--port ${port}: the port is in use on 127.0.0.1 (another simulator, or another program)`
          : `--port ${port}: this user may not listen on that port`,
        'Pick another --port, or leave it out (or give 0) for a free one.',
      ),
    );
  }
  log.info(`Mimecast simulator listening on ${sim.url}`);
  if (values.env === true) {
    // The shell lines alone on stdout, the demo secret whole (a fixed, public, loopback-only value):
    // `mimecast-connector simulate --env > sim.env &`, then `. ./sim.env`.
    const vars = { MIMECAST_BASE_URL: sim.url, MIMECAST_CLIENT_ID: sim.credentials.client_id, MIMECAST_CLIENT_SECRET: sim.credentials.client_secret };
    process.stdout.write(
      Object.entries(vars)
        .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
        .join(''),
    );
  } else {
    // Without --env the secret is not printed: --env prints it, and so does the README.
    log.info('Point the connector at it with (or run `mimecast-connector simulate --env` for these lines in full on stdout):');
    log.info(
      `  export MIMECAST_BASE_URL=${sim.url} MIMECAST_CLIENT_ID=${sim.credentials.client_id} MIMECAST_CLIENT_SECRET=<the simulator's demo secret, see the README>`,
    );
    out({ base_url: sim.url, client_id: sim.credentials.client_id });
  }
  log.info('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

/**
 * mcp: the MCP tool server on stdio until the client closes it. The tool names and the
 * configuration are checked first (exit 2, nothing served); then one connection (one token, one
 * pacer) serves every call. stdout is the protocol's alone: everything else goes to stderr.
 */
export async function cmdMcp(values: Values): Promise<number> {
  const mcp = await loadMcp();
  const readOnly = values['read-only'] === true;
  const chosen = mcp.selectTools(manifest.actions, {
    readOnly,
    tools: values.tools as string | undefined,
    excludeTools: values['exclude-tools'] as string | undefined,
  });
  if ('problem' in chosen) return refuse(new InvocationError('mcp', undefined, chosen.problem.message, chosen.problem.hint));
  if (chosen.dropped.length) log.warn(`--read-only: not serving the writes ${chosen.dropped.join(', ')}`);
  const config = loadConfig({ file: values.config as string | undefined });
  const clock = simulatorClock(config.base_url);
  const connector = createConnector(config, { ...tokenCacheOption(), ...clock });
  const writes = chosen.ids.filter((id) => !manifest.actions[id].read_only).length;
  log.info(`MCP server on stdio: ${chosen.ids.length} tools (${writes} writes, each confirmed against its dry run)${readOnly ? ', read-only' : ''}`);
  try {
    await mcp.serveStdio({
      manifest,
      tools: chosen.ids,
      run: (id, input, options) => connector.runById(id, input, { ...clock, ...options }),
      maxChars: values['max-result-chars'] === undefined ? undefined : Number(values['max-result-chars']),
      notServedBecause: readOnly ? 'the server runs with --read-only' : undefined,
    });
  } finally {
    await connector.close();
  }
  return 0;
}

/**
 * Keeps this process's heap near its live size, which for a poller is a page or two whatever the
 * backlog. V8's defaults size the heap for throughput: it doubles the young generation each time
 * the bytes that survived its collections add up to its size (on a long backlog that sum always
 * gets there), and lets the old generation grow to several times what is live before collecting
 * it. A 100k-event poll peaked at 235 MB on Node 24 (20k: 135 MB) with ~10 MB live. With the young
 * generation kept at its starting size and the old one allowed to grow by half, both peak near
 * 100 MB at the same speed (docs/performance.md). Both flags are read by V8 as it runs, so they
 * can be set here. Only the CLI's poll does this: the library's poll() leaves its host's V8 alone.
 */
function boundHeap(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
}

export async function cmdPoll(values: Values): Promise<number> {
  for (const required of ['stream', 'state'] as const) {
    if (values[required] === undefined) {
      errLine(`error: poll needs --${required} (see \`mimecast-connector poll --help\`)`);
      return 2;
    }
  }
  if (values.interval !== undefined && values.follow !== true) {
    errLine('error: --interval is for --follow');
    return 2;
  }
  const config = loadConfig({ file: values.config as string | undefined });
  boundHeap();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Each stream's pages and the retry waits on stderr, unless --quiet (as for run).
  const progress = values.quiet === true ? undefined : progressPrinter();
  try {
    return await pollCommand(config, {
      streams: resolveStreams(values.stream as string),
      state: values.state as string,
      out: values.out as string | undefined,
      since: values.since as string | undefined,
      maxEvents: values['max-events'] === undefined ? undefined : Number(values['max-events']),
      follow: values.follow === true,
      intervalSeconds: values.interval === undefined ? undefined : Number(values.interval),
      signal: controller.signal,
      progress: progress?.listener,
      ...tokenCacheOption(),
      ...simulatorClock(config.base_url),
    });
  } finally {
    progress?.done();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
