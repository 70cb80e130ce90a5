/**
 * mimecast-connector CLI. stdout carries only the result (JSON, or the table or CSV --format asks
 * for); logs and progress go to stderr.
 * Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation, config or input.
 */
import { readFileSync } from 'node:fs';
import manifest from '../generated/manifest.js';
import { loadConfig, parseConfig, type InstanceConfig } from '../runtime/config.js';
import { ConnectorError, toConnectorError } from '../base/errors.js';
import { errLine, log, redactValue } from '../base/log.js';
import { debugStack, exitCodeFor, prepareInput, runAction, type ResultEnvelope, type RunOptions } from '../runtime/run.js';
import type { Simulator } from '../simulator/index.js';
import { loadSimulator } from './load-simulator.js';
import { commandUsage, InvocationError, parseInvocation, usage, type Format, type Invocation } from './args.js';
import { runCheck } from './check.js';
import { describeAction, listActions } from './describe.js';
import { formatResults } from './format.js';
import { runDemo } from './demo.js';
import { cmdJournal } from './journal.js';
import { undo } from '../journal/undo.js';
import { progressPrinter, type ProgressPrinter } from './progress.js';
import { cmdMcp, cmdPoll, cmdSimulate } from './serve.js';
import { failedEnvelope, out, refuse, simulatorClock, tokenCacheOption } from './shared.js';

type Values = Extract<Invocation, { kind: 'command' }>['values'];

/** Tables fit the terminal: its width, else $COLUMNS, else 120. */
function terminalWidth(): number {
  return process.stdout.columns || Number(process.env.COLUMNS) || 120;
}

/**
 * run's answer on stdout, in the format asked for. A table or CSV is a view: stderr says what it
 * leaves out (fields, item failures, meta), a CSV's item failures as a warning (the exit code is 3).
 */
function printResults(results: ResultEnvelope | ResultEnvelope[], format: Format): void {
  const fieldsOf = (id: string) => {
    if (!Object.prototype.hasOwnProperty.call(manifest.actions, id)) return undefined;
    const a = manifest.actions[id];
    return { primary: a.primary, columns: a.columns, contains: Object.keys(a.contains ?? {}) };
  };
  const { text, notes } = formatResults(redactValue(results), format, { fieldsOf, width: terminalWidth() });
  process.stdout.write(text);
  const partial = (Array.isArray(results) ? results : [results]).filter((r) => r.status === 'partial');
  const failures = partial.reduce((n, r) => n + r.failures.length, 0);
  if (format === 'csv' && failures > 0)
    log.warn(`${failures} item failure${failures === 1 ? ' is' : 's are'} not in the CSV (exit code 3); --format json or table shows them`);
  for (const note of notes) log.info(`note: ${note}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(flag: string | undefined): Promise<unknown> {
  if (flag === undefined) return {};
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
    throw new ConnectorError('input_error', '--input is not valid JSON (give a JSON object of parameters, or an array of them, one per run)');
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

async function target(values: Values, dryRun: boolean): Promise<Target> {
  if (values.simulator) {
    const sim = await (await loadSimulator()).startSimulator();
    return { sim, config: { base_url: sim.url, ...sim.credentials }, options: { tokenCache: 'memory', ...simulatorClock(sim.url) } };
  }
  const file = values.config as string | undefined;
  const hasEnv = !!(process.env.MIMECAST_BASE_URL || process.env.MIMECAST_CLIENT_ID || process.env.MIMECAST_CLIENT_SECRET);
  if (dryRun && !file && !hasEnv) {
    log.info('dry run without a configuration: showing requests for https://api.services.mimecast.com');
    return { config: dryRunConfig(), options: {} };
  }
  const config = loadConfig({ file });
  return { config, options: { ...tokenCacheOption(), ...simulatorClock(config.base_url) } };
}

/** The exit code of an array input: 2 only when no element sent anything (exit 2 promises that). */
function worstExit(results: ResultEnvelope[]): number {
  const codes = results.map(exitCodeFor);
  const sent = results.some((r) => r.meta.requests > 0);
  if (codes.includes(2) && !sent) return 2;
  if (codes.includes(1) || codes.includes(2)) return 1;
  if (codes.includes(3)) return 3;
  return 0;
}

/** run and test-connectivity. The parser has checked the options and that the action exists. */
async function cmdRun(action: string, values: Values): Promise<number> {
  const dryRun = values['dry-run'] === true;
  const format = (values.format as Format | undefined) ?? 'json';
  let t: Target | undefined;
  // Pages, calls and retry waits on stderr, unless --quiet.
  const progress: ProgressPrinter | undefined = values.quiet === true ? undefined : progressPrinter();
  try {
    const input = await readInput(values.input as string | undefined);
    t = await target(values, dryRun);
    const options: RunOptions = { ...t.options, dryRun, outputDir: values['output-dir'] as string | undefined, progress: progress?.listener };
    if (values.deadline !== undefined) options.deadlineMs = Math.ceil(Number(values.deadline) * 1000);
    if (values['max-calls'] !== undefined) options.maxCalls = Number(values['max-calls']);
    if (Array.isArray(input)) {
      // The documented "Example Request" form: each element is one run. Every element is validated
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
        const notRun = new ConnectorError(
          'input_error',
          `not run: input element${bad.length === 1 ? '' : 's'} ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} invalid, so nothing was sent`,
        );
        printResults(
          invalid.map((e) => failedEnvelope(action, e ?? notRun)),
          format,
        );
        return 2;
      }
      // One time limit and one call budget (max_calls) for the whole input, not one per element:
      // an element starts with what is left of both.
      const cfg = parseConfig(t.config);
      const budget = options.deadlineMs ?? (cfg.deadline ?? cfg.timeout * 4) * 1000;
      const endAt = Date.now() + budget;
      const maxCalls = options.maxCalls ?? cfg.max_calls ?? 1000;
      let spent = 0;
      const results: ResultEnvelope[] = [];
      for (const [i, one] of input.entries()) {
        const left = endAt - Date.now();
        if (spent >= maxCalls) {
          const over = new ConnectorError(
            'rate_limited',
            `not run: the elements before element ${i + 1} made ${spent} requests, the most the whole input may make (max_calls ${maxCalls})`,
            {
              field: 'max_calls',
              code: 'max_calls_reached',
              hint: 'Run the remaining elements again, or raise max_calls (--max-calls) for the whole input.',
            },
          );
          results.push(failedEnvelope(action, over));
          continue;
        }
        if (left <= 0) {
          const late = new ConnectorError(
            'timeout',
            `not run: the time limit for the whole input (${Math.round(budget / 1000)} s) ran out before element ${i + 1}`,
            {
              hint: 'Run the remaining elements again, or give more time with --deadline.',
            },
          );
          results.push(failedEnvelope(action, late));
          continue;
        }
        const result = await runAction(action, one, t.config, { ...options, deadlineMs: left, maxCalls: maxCalls - spent });
        spent += result.meta.requests;
        results.push(result);
      }
      printResults(results, format);
      return worstExit(results);
    }
    const result = await runAction(action, input, t.config, options);
    printResults(result, format);
    return exitCodeFor(result);
  } catch (err) {
    const e = toConnectorError(err);
    const env = failedEnvelope(action, e);
    printResults(env, format);
    return exitCodeFor(env);
  } finally {
    progress?.done();
    await t?.sim?.close();
  }
}

/** undo <run_id>: the undo's result envelope on stdout, its exit code (2: refused, nothing sent). */
async function cmdUndo(runId: string, values: Values): Promise<number> {
  const dryRun = values['dry-run'] === true;
  let result: ResultEnvelope;
  try {
    const t = await target(values, dryRun);
    const { journal: _journal, connection: _connection, ...options } = t.options;
    result = await undo(t.config, runId, { ...options, dryRun });
  } catch (err) {
    result = failedEnvelope('undo', toConnectorError(err));
  }
  out(result);
  return exitCodeFor(result);
}

export async function main(argv: string[]): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (err) {
    if (err instanceof InvocationError) return refuse(err);
    throw err;
  }
  switch (invocation.kind) {
    case 'help':
      process.stdout.write(invocation.command ? commandUsage(invocation.command) : usage());
      return 0;
    case 'version':
      process.stdout.write(`${manifest.app.version}\n`);
      return 0;
    case 'none':
      process.stderr.write(usage());
      return 2;
  }
  const { command, operand, values } = invocation;
  switch (command) {
    case 'list':
      return listActions(values.json === true);
    case 'describe':
      return operand === undefined ? listActions(values.json === true) : describeAction(operand, values.json === true);
    case 'run':
      return cmdRun(operand!, values);
    case 'test-connectivity':
      return cmdRun('test_connectivity', values);
    case 'simulate':
      return cmdSimulate(values);
    case 'journal':
      return cmdJournal(values);
    case 'undo':
      return cmdUndo(operand!, values);
    case 'mcp':
      return cmdMcp(values);
    case 'poll':
      return cmdPoll(values);
    case 'check':
      return runCheck();
    case 'demo':
      return runDemo();
    default:
      throw new Error(`the command ${command} has no handler`);
  }
}

// ---- poll (ingestion, docs/ingestion.md)
export async function cli(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (err) {
    const e = toConnectorError(err);
    if (e.type === 'internal_error') debugStack(err);
    errLine(`error: ${e.message}`);
    code = e.beforeSend ? 2 : 1;
  }
  process.exitCode = code;
}
