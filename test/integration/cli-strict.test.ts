/**
 * The built CLI refuses what it does not understand: an unknown option, a stray argument, an
 * option given twice or without its value, an unknown command or action. Each refusal exits 2
 * and sends nothing, not even a token request, although the environment points at a live
 * simulator that a well-formed run does reach. Also: help on stdout, describe's details.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_CLIENT_SECRET } from '../../src/simulator/server.js';
import { type CliResult, ROOT, runCli, simEnv, useCliSimulator } from '../helpers/cli.js';

interface BuiltManifest {
  app: { version: string };
  actions: Record<string, { id: string; chunk_size?: number; example?: Record<string, unknown>[] }>;
}

let manifest: BuiltManifest;
const cli = useCliSimulator();

const BLOCK = JSON.stringify({ permit_block_information: [{ action: 'block', sender: 'phisher@evil.example', to: 'victim@orgname.com' }] });

beforeAll(async () => {
  manifest = JSON.parse(readFileSync(join(ROOT, 'dist/manifest.json'), 'utf8')) as BuiltManifest;
});

/** Runs the CLI with the simulator's configuration in the environment. */
const run = (args: string[], stdin?: string): Promise<CliResult> => runCli(args, { env: simEnv(cli.sim), stdin });

/** A refusal of run / test-connectivity: the failed envelope on stdout, exit 2, nothing sent. */
function expectRefusedEnvelope(r: CliResult, action: string, message: string | RegExp): { message: string; hint?: string } {
  expect(r.code).toBe(2);
  expect(r.json).toEqual({
    status: 'failed',
    action,
    summary: expect.stringMatching(/^Failed: /),
    data: null,
    failures: [],
    error: { type: 'input_error', message: expect.any(String), hint: expect.any(String) },
    meta: { requests: 0, duration_ms: 0 },
  });
  if (typeof message === 'string') expect(r.json.error.message).toBe(message);
  else expect(r.json.error.message).toMatch(message);
  expect(r.stdout + r.stderr).not.toContain(SIM_CLIENT_SECRET);
  expect(cli.sim.requests).toEqual([]);
  expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  return r.json.error;
}

/** A refusal of another command: `error: …` on stderr, nothing on stdout, exit 2, nothing sent. */
function expectRefusedOnStderr(r: CliResult, message: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nhint: \\S`));
  expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
}

describe('the environment reaches the simulator (so "nothing sent" below means something)', () => {
  it('the same block, typed correctly, is sent: one token request and one call', async () => {
    const r = await run(['run', 'permit_or_block_sender', '--input', BLOCK]);
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('success');
    expect(cli.sim.stats).toEqual({ token_requests: 1, api_requests: 1 });
  });
});

describe('refusals of run and test-connectivity: a failed envelope, exit 2, nothing sent', () => {
  it('--dryrun is refused and names --dry-run; the sender is not blocked', async () => {
    const r = await run(['run', 'permit_or_block_sender', '--input', BLOCK, '--dryrun']);
    const error = expectRefusedEnvelope(r, 'permit_or_block_sender', 'unknown option --dryrun; did you mean --dry-run?');
    expect(error.hint).toContain('--dry-run');
  });

  it('--inptu is refused instead of running with empty input', async () => {
    expectRefusedEnvelope(await run(['run', 'search_groups', '--inptu', '{}']), 'search_groups', 'unknown option --inptu; did you mean --input?');
  });

  it('an unknown action suggests the closest action id', async () => {
    const r = await run(['run', 'serch_groups']);
    const error = expectRefusedEnvelope(r, 'serch_groups', 'unknown action "serch_groups"; did you mean search_groups?');
    expect(error.hint).toMatch(/mimecast-connector list/);
  });

  it('--input given twice', async () => {
    const r = await run(['run', 'permit_or_block_sender', '--input', BLOCK, '--input', BLOCK]);
    expectRefusedEnvelope(r, 'permit_or_block_sender', '--input was given more than once');
  });

  it('a stray JSON positional says to use --input', async () => {
    const r = await run(['run', 'search', '{"message_id":"<a@b>"}']);
    const error = expectRefusedEnvelope(r, 'search', `unexpected argument '{"message_id":"<a@b>"}': the parameters go in --input`);
    expect(error.hint).toBe(`Give them with --input: mimecast-connector run search --input '{"message_id":"<a@b>"}'`);
  });

  it('a stray plain positional', async () => {
    expectRefusedEnvelope(await run(['run', 'search_groups', 'now']), 'search_groups', 'unexpected argument "now"');
  });

  it('--input without a value, and --input followed by another option', async () => {
    expectRefusedEnvelope(await run(['run', 'search_groups', '--input']), 'search_groups', '--input needs a value (JSON|@FILE|-)');
    expectRefusedEnvelope(
      await run(['run', 'permit_or_block_sender', '--input', '--dry-run']),
      'permit_or_block_sender',
      /^--input needs a value \(JSON\|@FILE\|-\), but is followed by "--dry-run"/,
    );
  });

  it('--format xml names the allowed values', async () => {
    expectRefusedEnvelope(
      await run(['run', 'search_groups', '--format', 'xml']),
      'search_groups',
      '--format "xml" is not available; allowed values: json, table, csv',
    );
  });

  it('--deadline that is not a positive number', async () => {
    expectRefusedEnvelope(await run(['run', 'search_groups', '--deadline', 'soon']), 'search_groups', '--deadline "soon" must be a positive number of seconds');
  });

  it('run without an action', async () => {
    expectRefusedEnvelope(await run(['run', '--input', BLOCK]), '', 'run needs an action id: mimecast-connector run <action>');
  });

  it('the refusal comes before stdin is read and before the config file is read', async () => {
    const r = await run(['run', 'permit_or_block_sender', '--input', '-', '--config', '/nonexistent/config.json', '--simulatr'], BLOCK);
    expectRefusedEnvelope(r, 'permit_or_block_sender', 'unknown option --simulatr; did you mean --simulator?');
  });

  it('test-connectivity takes only --config, --simulator and --dry-run', async () => {
    const r = await run(['test-connectivity', '--input', '{}']);
    const error = expectRefusedEnvelope(r, 'test_connectivity', 'unknown option --input');
    expect(error.hint).toBe('Options of test-connectivity: --config, --simulator, --dry-run (see `mimecast-connector help test-connectivity`).');
    expectRefusedEnvelope(await run(['test-connectivity', 'extra']), 'test_connectivity', 'unexpected argument "extra"');
  });
});

describe('refusals of the other commands: error on stderr, exit 2', () => {
  it('describe of an unknown action suggests the closest', async () => {
    expectRefusedOnStderr(await run(['describe', 'serch']), 'unknown action "serch"; did you mean search?');
    expectRefusedOnStderr(await run(['describe', 'no_such_thing_at_all']), 'unknown action "no_such_thing_at_all"');
  });

  it('an unknown command suggests the closest command', async () => {
    expectRefusedOnStderr(await run(['lst']), 'unknown command "lst"; did you mean list?');
    expectRefusedOnStderr(await run(['help', 'rnu']), 'unknown command "rnu"; did you mean run?');
  });

  it('unknown options and stray arguments of list, check and simulate', async () => {
    expectRefusedOnStderr(await run(['list', '--jsn']), 'unknown option --jsn; did you mean --json?');
    expectRefusedOnStderr(await run(['check', '--json']), 'unknown option --json');
    expectRefusedOnStderr(await run(['list', 'all']), 'unexpected argument "all"');
    expectRefusedOnStderr(await run(['simulate', '--port', 'eighty']), '--port "eighty" must be a port number (0-65535; 0 picks a free port)');
  });
});

describe('help and version', () => {
  it('help, --help and -h print the usage on stdout and exit 0', async () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^mimecast-connector \S+: Mimecast API 2\.0 connector\n\nUsage:\n/);
      for (const c of ['list', 'describe', 'run <action>', 'test-connectivity', 'simulate', 'check', 'demo', 'help'])
        expect(r.stdout).toContain(`mimecast-connector ${c}`);
    }
  });

  it('help run, run --help and a -h after a typo print the usage of run', async () => {
    for (const args of [
      ['help', 'run'],
      ['run', '--help'],
      ['run', 'permit_or_block_sender', '--dryrun', '-h'],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: mimecast-connector run <action> /);
      for (const opt of [
        '--config FILE',
        '--input JSON|@FILE|-',
        '--output-dir DIR',
        '--dry-run',
        '--simulator',
        '--format json|table|csv',
        '--deadline SECONDS',
        '--quiet',
      ]) {
        expect(r.stdout).toContain(`  ${opt} `);
      }
    }
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });

  it('no command prints the usage on stderr and exits 2; --version prints the version', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Usage:/);
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${manifest.app.version}\n`);
  });
});

describe('describe', () => {
  it('with no action lists the actions, as list does', async () => {
    const r = await run(['describe']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await run(['list'])).stdout);
    expect(r.stdout).toMatch(new RegExp(`^${Object.keys(manifest.actions).length} actions\n`));
    expect((await run(['describe', '--json'])).json.map((a: { id: string }) => a.id)).toEqual(Object.keys(manifest.actions));
  });

  it('search: the allowed values of route and status items, and the date format', async () => {
    const r = await run(['describe', 'search']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}route: Multi-select \(array\)\n(?: {6}.*\n)*? {6}allowed values: internal, inbound, outbound\n/m);
    expect(r.stdout).toMatch(
      /^ {2}status: Multi-select \(array\)\n(?: {6}.*\n)*? {6}allowed values: accepted, processing, bulk_processing, delivery, bulk_delivery, held, bounced, deferred, rejected, archived\n/m,
    );
    expect(r.stdout).toMatch(
      /^ {2}start: DateTime \(string\)\n(?: {6}.*\n)*? {6}format: ISO 8601, e\.g\. 2024-10-12T18:30:00Z; sent as 2024-10-12T18:30:00\+0000\n/m,
    );
    expect(r.stdout).not.toMatch(/Per call:/);
  });

  it("permit_or_block_sender: the allowed values of each item's action, the per-call cap, the example as a run command", async () => {
    const r = await run(['describe', 'permit_or_block_sender']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('      allowed values of action: permit, block\n');
    expect(r.stdout).toContain(`Per call: at most ${manifest.actions.permit_or_block_sender.chunk_size} items per Mimecast call; longer lists are split.\n`);
    const example = JSON.stringify(manifest.actions.permit_or_block_sender.example![0]);
    expect(r.stdout).toContain(`Example:\n  mimecast-connector run permit_or_block_sender --input '${example}'\n`);
    expect(r.stdout).toContain('add --dry-run');
  });

  it('the printed example, pasted as printed (plus --dry-run), runs', async () => {
    const line = (await run(['describe', 'permit_or_block_sender'])).stdout.split('\n').find((l) => l.startsWith('  mimecast-connector run '))!;
    const m = /^ {2}mimecast-connector run (\S+) --input '([^']*)'$/.exec(line);
    expect(m).not.toBeNull();
    const r = await run(['run', m![1], '--input', m![2], '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.json.data.requests[0].body).toEqual({ data: manifest.actions.permit_or_block_sender.example![0].permit_block_information });
    expect(cli.sim.stats).toEqual({ token_requests: 0, api_requests: 0 });
  });
});

describe('accepted run options', () => {
  it('--deadline bounds the whole action', async () => {
    const delayMs = 2_500;
    cli.sim.fault({ kind: 'slow', delayMs, path: '/api/account/get-account' });
    const r = await run(['run', 'get_current_account_details', '--deadline', '0.5', '--quiet', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.json.error.type).toBe('timeout');
    expect(r.json.meta.duration_ms).toBeLessThan(delayMs - 500);
  });
});
