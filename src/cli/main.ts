/**
 * mimecast-connector CLI. stdout carries only the JSON result; logs and progress go to stderr.
 * Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation, config or input.
 */
import { readFileSync } from 'node:fs';
import manifest from '../generated/manifest.js';
import { loadConfig, type InstanceConfig } from '../runtime/config.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { log, redact } from '../base/log.js';
import { actionManifest, exitCodeFor, prepareInput, runAction, type ResultEnvelope, type RunOptions } from '../runtime/run.js';
import type { Simulator } from '../simulator/index.js';
import { loadSimulator } from './load-simulator.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { runCheck } from './check.js';
import { describeAction, listActions } from './describe.js';
import { runDemo } from './demo.js';

const USAGE = `mimecast-connector ${manifest.app.version}: Mimecast API 2.0 connector

Usage:
  mimecast-connector list [--json]                      actions as a table
  mimecast-connector describe <action> [--json]         parameters, types, allowed values, example
  mimecast-connector run <action> [--config FILE] [--input JSON | --input @FILE | --input -]
                                  [--output-dir DIR] [--dry-run] [--simulator]
  mimecast-connector test-connectivity [--config FILE] [--simulator]
  mimecast-connector simulate [--port N]                start the embedded Mimecast simulator
  mimecast-connector check                              validate manifest, schemas, examples
  mimecast-connector demo                               an incident-response walk-through on the simulator

Config: --config FILE (JSON) or MIMECAST_BASE_URL, MIMECAST_CLIENT_ID, MIMECAST_CLIENT_SECRET,
MIMECAST_TIMEOUT, MIMECAST_VERIFY. Exit codes: 0 success, 3 partial, 1 failed, 2 invalid invocation.
`;

function out(value: unknown): void {
  process.stdout.write(redact(JSON.stringify(value, null, 2)) + '\n');
}

function failedEnvelope(action: string, e: ConnectorError): ResultEnvelope {
  return { status: 'failed', action, summary: `Failed: ${e.message}`, data: null, failures: [], error: e.toInfo(), meta: { requests: 0, duration_ms: 0 } };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(flag: string | true | undefined): Promise<unknown> {
  if (flag === undefined) return {};
  if (flag === true) throw new ConnectorError('input_error', '--input needs a value: JSON, @FILE or - for stdin');
  let text = flag;
  if (flag === '-') text = await readStdin();
  else if (flag.startsWith('@')) {
    try {
      text = readFileSync(flag.slice(1), 'utf8');
    } catch (e) {
      throw new ConnectorError('input_error', `cannot read the input file ${flag.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConnectorError('input_error', '--input is not valid JSON (give a JSON object of parameters, or the seed\'s array form)');
  }
}

/** Placeholder instance for --dry-run without a configuration: nothing is sent anyway. */
function dryRunConfig(): Record<string, unknown> {
  return {
    base_url: process.env.MIMECAST_BASE_URL || 'https://api.services.mimecast.com',
    client_id: 'dry-run',
    client_secret: 'dry-run-placeholder',
  };
}

interface Target {
  config: InstanceConfig | Record<string, unknown>;
  options: RunOptions;
  sim?: Simulator;
}

async function target(args: ParsedArgs, dryRun: boolean): Promise<Target> {
  if (args.flags.simulator) {
    const sim = await (await loadSimulator()).startSimulator();
    return { sim, config: { base_url: sim.url, ...sim.credentials }, options: { tokenCache: 'memory' } };
  }
  if (args.flags.config === true) throw new ConnectorError('config_error', '--config needs a FILE (a JSON object with base_url, client_id, client_secret)');
  const file = typeof args.flags.config === 'string' ? args.flags.config : undefined;
  const hasEnv = !!(process.env.MIMECAST_BASE_URL || process.env.MIMECAST_CLIENT_ID || process.env.MIMECAST_CLIENT_SECRET);
  if (dryRun && !file && !hasEnv) {
    log.info('dry run without a configuration: showing requests for https://api.services.mimecast.com');
    return { config: dryRunConfig(), options: {} };
  }
  return { config: loadConfig({ file }), options: {} };
}

function worstExit(codes: number[]): number {
  if (codes.includes(2)) return 2;
  if (codes.includes(1)) return 1;
  if (codes.includes(3)) return 3;
  return 0;
}

async function cmdRun(action: string | undefined, args: ParsedArgs): Promise<number> {
  if (!action) {
    process.stderr.write(USAGE);
    return 2;
  }
  const dryRun = args.flags['dry-run'] === true;
  let t: Target | undefined;
  try {
    if (!actionManifest(action)) throw new ConnectorError('input_error', `unknown action "${action}"`, { hint: 'Run `mimecast-connector list` to see the actions.' });
    const input = await readInput(args.flags.input);
    t = await target(args, dryRun);
    const options: RunOptions = { ...t.options, dryRun, outputDir: typeof args.flags['output-dir'] === 'string' ? args.flags['output-dir'] : undefined };
    if (Array.isArray(input)) {
      // The seed's "Example Request" form: each element is one run. Every element is validated
      // first, so exit code 2 keeps its promise that nothing was sent.
      if (input.length === 0) throw new ConnectorError('input_error', '--input is an empty array: give a JSON object of parameters, or an array of them');
      const invalid = input.map((one) => {
        try {
          prepareInput(action, one);
          return undefined;
        } catch (err) {
          return toConnectorError(err);
        }
      });
      if (invalid.some(Boolean)) {
        const bad = invalid.flatMap((e, i) => (e ? [i + 1] : []));
        const notRun = new ConnectorError('input_error', `not run: input element${bad.length === 1 ? '' : 's'} ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} invalid, so nothing was sent`);
        out(invalid.map((e) => failedEnvelope(action, e ?? notRun)));
        return 2;
      }
      const results: ResultEnvelope[] = [];
      for (const one of input) results.push(await runAction(action, one, t.config, options));
      out(results);
      return worstExit(results.map(exitCodeFor));
    }
    const result = await runAction(action, input, t.config, options);
    out(result);
    return exitCodeFor(result);
  } catch (err) {
    const e = toConnectorError(err);
    const env = failedEnvelope(action, e);
    out(env);
    return exitCodeFor(env);
  } finally {
    await t?.sim?.close();
  }
}

async function cmdSimulate(args: ParsedArgs): Promise<number> {
  const port = typeof args.flags.port === 'string' ? Number(args.flags.port) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be a port number (0-65535)\n');
    return 2;
  }
  const sim = await (await loadSimulator()).startSimulator({ port });
  log.info(`Mimecast simulator listening on ${sim.url}`);
  // Even the simulator's fixed demo secret is not printed: the README gives it.
  log.info('Point the connector at it with:');
  log.info(`  export MIMECAST_BASE_URL=${sim.url} MIMECAST_CLIENT_ID=${sim.credentials.client_id} MIMECAST_CLIENT_SECRET=<the simulator's demo secret, see the README>`);
  log.info('Press Ctrl+C to stop.');
  out({ base_url: sim.url, client_id: sim.credentials.client_id });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [command, ...rest] = args.positionals;
  if (args.flags.version) {
    process.stdout.write(`${manifest.app.version}\n`);
    return 0;
  }
  if (!command || args.flags.help) {
    process.stderr.write(USAGE);
    return command || args.flags.help ? 0 : 2;
  }
  switch (command) {
    case 'list':
      return listActions(args.flags.json === true);
    case 'describe':
      return describeAction(rest[0], args.flags.json === true);
    case 'run':
      return cmdRun(rest[0], args);
    case 'test-connectivity':
      return cmdRun('test_connectivity', args);
    case 'simulate':
      return cmdSimulate(args);
    case 'check':
      return runCheck();
    case 'demo':
      return runDemo();
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

export async function cli(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (err) {
    const e = toConnectorError(err);
    process.stderr.write(redact(`error: ${e.message}`) + '\n');
    code = e.beforeSend ? 2 : 1;
  }
  process.exitCode = code;
}
