/**
 * The CLI's grammar: the commands, the options each one takes, and a strict parser on
 * node:util parseArgs. Anything it does not understand (an unknown option, a stray argument,
 * an option given twice or without its value, an unknown command or action) is an
 * InvocationError (input_error, exit 2) that names the closest known word; main.ts raises it
 * before any configuration is read or anything is sent.
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import manifest from '../generated/manifest.js';
import { ConnectorError } from '../base/errors.js';
import { closest, didYouMean } from '../base/suggest.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder of a string option's value in the usage text (FILE, JSON, N...). */
  value?: string;
  help: string;
  /** Why a value is not acceptable, or undefined when it is. */
  check?: (value: string) => string | undefined;
}

export interface CommandSpec {
  /** One line for the command list. */
  summary: string;
  /** The one positional argument the command takes, if any. */
  operand?: { name: string; required: boolean; kind: 'action' | 'command' | 'value'; help: string };
  options: Record<string, OptionSpec>;
  /** Extra lines for `help <command>`. */
  notes?: string[];
}

const actionIds = (): string[] => Object.keys(manifest.actions);

const OPTION = {
  config: { type: 'string', value: 'FILE', help: 'instance configuration as a JSON file (default: the MIMECAST_* environment)' },
  simulator: { type: 'boolean', help: 'run against an in-process Mimecast simulator instead of a tenant' },
  dryRun: { type: 'boolean', help: 'validate and print the request(s) that would be sent; nothing is sent' },
  json: { type: 'boolean', help: 'print JSON instead of text' },
} satisfies Record<string, OptionSpec>;

/** The longest --deadline: the deadline setting's bound (24 h), well within what a timer holds (2^31-1 ms, about 24.8 days). */
export const MAX_DEADLINE_SECONDS = 86_400;

function positiveNumber(value: string): string | undefined {
  const n = Number(value);
  if (!(value.trim() !== '' && Number.isFinite(n) && n > 0)) return 'must be a positive number of seconds';
  return n > MAX_DEADLINE_SECONDS ? `must be at most ${MAX_DEADLINE_SECONDS} seconds (24 hours), like the deadline setting` : undefined;
}

function portNumber(value: string): string | undefined {
  const n = Number(value);
  return /^\d+$/.test(value) && n <= 65535 ? undefined : 'must be a port number (0-65535; 0 picks a free port)';
}

/** A duration back from now (30m, 24h, 7d) or an ISO 8601 date: the start of a window. */
export function parseSince(value: string, now: number): Date | undefined {
  const m = /^(\d{1,6})([mhd])$/.exec(value);
  if (m) return new Date(now - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd']);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export const FORMATS = ['json', 'table', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export const COMMANDS: Record<string, CommandSpec> = {
  list: {
    summary: 'the actions as a table',
    options: { json: OPTION.json },
  },
  describe: {
    summary: 'parameters, types, allowed values, per-call cap and an example of an action (no action: the list)',
    operand: { name: 'action', required: false, kind: 'action', help: 'an action id (see `mimecast-connector list`)' },
    options: { json: { ...OPTION.json, help: 'print the manifest entry (schemas included) as JSON' } },
  },
  run: {
    summary: 'run an action and print its result envelope on stdout',
    operand: { name: 'action', required: true, kind: 'action', help: 'an action id (see `mimecast-connector list`)' },
    options: {
      config: OPTION.config,
      input: {
        type: 'string',
        value: 'JSON|@FILE|-',
        help: 'the parameters: a JSON object (or an array of them, the documented example form: one run per element), @FILE to read them from a file, - for stdin',
      },
      'output-dir': { type: 'string', value: 'DIR', help: 'where binary actions write files (default: a new temp directory)' },
      'dry-run': OPTION.dryRun,
      simulator: OPTION.simulator,
      format: {
        type: 'string',
        value: FORMATS.join('|'),
        help: "output format: json (default, the result envelope), table (the action's main columns, fitted to the terminal) or csv (a header and one row per item)",
        check: (v) => ((FORMATS as readonly string[]).includes(v) ? undefined : `is not available; allowed values: ${FORMATS.join(', ')}`),
      },
      deadline: {
        type: 'string',
        value: 'SECONDS',
        help: 'time limit for the whole action (default: the deadline setting, else 4 × the timeout)',
        check: positiveNumber,
      },
      quiet: { type: 'boolean', help: 'no progress lines (pages, calls, retry waits) on stderr' },
      'max-calls': {
        type: 'string',
        value: 'N',
        help: 'the most Mimecast API calls this run may make (default: the configured max_calls, 1000)',
        check: (v) => (/^[1-9]\d{0,5}$/.test(v) ? undefined : 'must be a whole number from 1 to 999999'),
      },
    },
    notes: [
      'table and csv: a list answer is one row per item, any other answer key/value rows, a failed run its error as key/value rows; the exit code is the same.',
      'Exit codes: 0 success, 3 partial, 1 failed at run time, 2 invalid invocation, config or input (nothing was sent).',
      'Config: --config FILE or MIMECAST_BASE_URL, MIMECAST_CLIENT_ID, MIMECAST_CLIENT_SECRET, MIMECAST_TIMEOUT, MIMECAST_VERIFY (and MIMECAST_DEADLINE, MIMECAST_PROXY, MIMECAST_CA_FILE, MIMECAST_MAX_CALLS).',
    ],
  },
  journal: {
    summary: 'the writes this host made (the journal: run id, action, outcome, undo plan), oldest first',
    options: {
      since: {
        type: 'string',
        value: 'DURATION|DATE',
        help: 'only the runs since then: 30m, 24h, 7d, or an ISO 8601 date (default: the whole journal)',
        check: (v) => (parseSince(v, 0) ? undefined : 'is not a duration (30m, 24h, 7d) or an ISO 8601 date'),
      },
      json: { ...OPTION.json, help: 'print the records as a JSON array (default: a table)' },
      config: { ...OPTION.config, help: 'instance configuration whose journal_dir to read (default: MIMECAST_JOURNAL_DIR, else the cache directory)' },
    },
    notes: ['Where it lives, what it holds and how long: docs/journal.md.'],
  },
  undo: {
    summary: 'reverse exactly what one recorded write run changed (its undo plan), once',
    operand: {
      name: 'run_id',
      required: true,
      kind: 'value',
      help: 'the run id of a write (meta.run_id of its result; `mimecast-connector journal` lists them)',
    },
    options: {
      'dry-run': { ...OPTION.dryRun, help: 'print the request(s) the undo would send; nothing is sent' },
      config: OPTION.config,
    },
    notes: [
      'Refused, with nothing sent (exit 2): an unknown run, a run whose action has no inverse (the reason is given), a run undone before, an undo.',
      'Each step of the undo is recorded in the journal, linked to the run it reverses (undo_of).',
    ],
  },
  'test-connectivity': {
    summary: 'request a token and make one cheap read with the configuration',
    options: { config: OPTION.config, simulator: OPTION.simulator, 'dry-run': OPTION.dryRun },
  },
  simulate: {
    summary: 'start the embedded Mimecast simulator (loopback) until Ctrl+C',
    options: {
      port: { type: 'string', value: 'N', help: 'port to listen on (default: a free port)', check: portNumber },
      env: {
        type: 'boolean',
        help: 'print on stdout the `export MIMECAST_…` lines, demo secret included, that point the connector at it (without --env: its address as JSON on stdout, the lines without the secret on stderr)',
      },
    },
  },
  mcp: {
    summary: 'serve the actions as MCP tools on stdio, for an AI assistant (writes confirmed against their dry run)',
    options: {
      'read-only': { type: 'boolean', help: 'serve no write: writes are not listed and a call to one is refused (wins over --tools)' },
      tools: { type: 'string', value: 'A,B', help: 'serve only these actions (generic_action is served only when named here)' },
      'exclude-tools': { type: 'string', value: 'A,B', help: 'do not serve these actions' },
      config: OPTION.config,
      'max-result-chars': {
        type: 'string',
        value: 'N',
        help: 'the most characters of one tool answer (default 50000); a larger one is cut, and says how to get the rest',
        check: (v) => (/^[1-9]\d{3,7}$/.test(v) ? undefined : 'must be a whole number from 1000 to 99999999'),
      },
    },
    notes: [
      'A write sends nothing on its first call: it answers with its dry run and a confirmation token; the same call with the same arguments plus "confirmation": "<token>" sends it, once, within 5 minutes.',
      'stdout carries only MCP messages; logs go to stderr. An unknown name in --tools or --exclude-tools stops the server at start (exit 2).',
      'Config: --config FILE or the MIMECAST_* environment, as for run. See docs/mcp.md for a client configuration.',
    ],
  },
  // ---- poll (ingestion, docs/ingestion.md)
  poll: {
    summary: 'ingest events (TTP logs, held messages, audit, SIEM) as NDJSON, with a checkpoint that loses nothing and repeats nothing',
    options: {
      stream: {
        type: 'string',
        value: 'S[,S…]',
        help: `the streams to read: ${Object.keys(manifest.streams).join(', ')}`,
        check: (v) => {
          const bad = v.split(',').find((n) => !Object.hasOwn(manifest.streams, n.trim()));
          return bad === undefined
            ? undefined
            : `names an unknown stream "${bad}"${didYouMean(closest(bad, Object.keys(manifest.streams)))} (streams: ${Object.keys(manifest.streams).join(', ')})`;
        },
      },
      state: { type: 'string', value: 'FILE', help: 'the checkpoint (one JSON document for all streams; created on the first run)' },
      out: { type: 'string', value: 'FILE', help: 'append the events to FILE, exactly once across crashes (default: stdout, at least once)' },
      since: {
        type: 'string',
        value: 'DURATION|DATE',
        help: "how far back a stream's first run reaches: 30m, 24h, 7d or an ISO 8601 date with its zone (default 24h, clamped to the stream's retention)",
        check: (v) =>
          /^\d+[smhd]$/.test(v) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)
            ? undefined
            : 'must be a duration (30m, 24h, 7d) or an ISO 8601 date with its zone',
      },
      'max-events': {
        type: 'string',
        value: 'N',
        help: 'stop after about N events (whole pages; the next run goes on from there)',
        check: (v) => (/^[1-9]\d{0,8}$/.test(v) ? undefined : 'must be a positive whole number'),
      },
      follow: { type: 'boolean', help: 'keep polling every --interval seconds until SIGINT/SIGTERM, then exit 0' },
      interval: { type: 'string', value: 'SECONDS', help: 'seconds between polls with --follow (default 60)', check: positiveNumber },
      quiet: { type: 'boolean', help: 'no progress lines (pages, retry waits) on stderr' },
      config: OPTION.config,
    },
    notes: [
      'Each event is one line: {"stream", "id", "time", "event"}; progress and warnings go to stderr. Unreadable records go to FILE.quarantine.ndjson beside --state.',
      'Exit codes: 0 every stream read, 3 some stream failed or events were lost to retention (stderr says which span), 1 no stream could be read, 2 invalid invocation (nothing was sent).',
    ],
  },
  check: {
    summary: 'validate the manifest, schemas and every documented example (CI)',
    options: {},
  },
  demo: {
    summary: 'an incident-response walk-through on the simulator',
    options: {},
  },
  help: {
    summary: 'usage of the CLI or of one command (also --help, -h after any command)',
    operand: { name: 'command', required: false, kind: 'command', help: 'a command name' },
    options: {},
  },
};

export type Invocation =
  /** Usage on stdout, exit 0: `help [command]`, or --help / -h anywhere. */
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  /** No command at all: usage on stderr, exit 2. */
  | { kind: 'none' }
  | { kind: 'command'; command: string; operand?: string; values: Record<string, string | boolean | undefined> };

/** A refused invocation: input_error (exit 2), raised before anything is read or sent. */
export class InvocationError extends ConnectorError {
  constructor(
    /** The command being parsed (run and test-connectivity answer with a result envelope). */
    readonly command: string | undefined,
    /** The command's positional argument as given (an action id for run), if any. */
    readonly operand: string | undefined,
    message: string,
    hint: string,
  ) {
    super('input_error', message, { hint });
  }
}

const shorten = (value: string): string => (value.length > 60 ? `${value.slice(0, 59)}…` : value);

/** A value as shown in a message: quoted, and shortened when long. */
const show = (value: string): string => JSON.stringify(shorten(value));

const looksLikeJson = (value: string): boolean => /^\s*[[{]/.test(value);

function optionList(command: string, spec: CommandSpec): string {
  const names = Object.keys(spec.options).map((n) => `--${n}`);
  return names.length ? `Options of ${command}: ${names.join(', ')} (see \`mimecast-connector help ${command}\`).` : `${command} takes no options.`;
}

/** Quotes a word for a POSIX shell (single quotes), so a printed command can be pasted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Parses one command line. Returns what to do, or throws an InvocationError naming what was
 * not understood.
 */
export function parseInvocation(argv: string[]): Invocation {
  const end = argv.indexOf('--');
  const beforeEnd = end < 0 ? argv : argv.slice(0, end);
  if (beforeEnd.includes('--help') || beforeEnd.includes('-h')) return { kind: 'help', command: helpTopic(beforeEnd) };
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'none' };
  if (command.startsWith('-') && command !== '-') return parseTopLevel(argv);
  const spec = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    const names = Object.keys(COMMANDS);
    throw new InvocationError(
      undefined,
      undefined,
      `unknown command ${show(command)}${didYouMean(closest(command, names))}`,
      `Commands: ${names.join(', ')} (see \`mimecast-connector help\`).`,
    );
  }
  const parsed = parseCommandArgs(command, spec, rest);
  if (command === 'help') return { kind: 'help', command: parsed.operand };
  return parsed;
}

/** The command that --help / -h asks about: the first known command word, `help` itself skipped. */
function helpTopic(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-') && a !== 'help');
  return words.length && Object.prototype.hasOwnProperty.call(COMMANDS, words[0]) ? words[0] : undefined;
}

/** Options before any command: only --version (and --help, handled above). */
function parseTopLevel(argv: string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === '--version') {
    if (rest.length) throw new InvocationError(undefined, undefined, `unexpected argument ${show(rest[0])} after --version`, 'Give --version on its own.');
    return { kind: 'version' };
  }
  const name = first.replace(/^--?/, '').split('=')[0];
  const hint = 'Options go after the command: mimecast-connector <command> [options] (see `mimecast-connector help`).';
  throw new InvocationError(undefined, undefined, `unknown option ${first.split('=')[0]}${didYouMean(suggestOption(name, ['version', 'help']))}`, hint);
}

function suggestOption(name: string, names: string[]): string | undefined {
  const s = closest(name, names);
  return s ? `--${s}` : undefined;
}

/** parseArgs' tokens, as this parser reads them. */
type Token =
  | { kind: 'option'; name: string; rawName: string; index: number; value?: string; inlineValue?: boolean }
  | { kind: 'positional'; index: number; value: string }
  | { kind: 'option-terminator'; index: number };

interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  tokens: Token[];
}

function nodeParse(spec: CommandSpec, args: string[], strict: boolean): Parsed {
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]));
  return nodeParseArgs({ args, options, strict, allowPositionals: true, tokens: true }) as Parsed;
}

function parseCommandArgs(command: string, spec: CommandSpec, args: string[]): Extract<Invocation, { kind: 'command' }> {
  let parsed: Parsed;
  try {
    parsed = nodeParse(spec, args, true);
  } catch (e) {
    throw explain(command, spec, args, e as Error);
  }
  const operand = spec.operand ? parsed.positionals[0] : undefined;
  const refuse = (message: string, hint: string): InvocationError => new InvocationError(command, operand, message, hint);

  // strict parseArgs lets the last of a repeated option win; a repeat is refused here.
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) {
      const hint = t.name === 'input' ? "Give --input once; for several runs give a JSON array: --input '[{…}, {…}]'." : `Give --${t.name} once.`;
      throw refuse(`--${t.name} was given more than once`, hint);
    }
    seen.add(t.name);
    const o = spec.options[t.name];
    if (o.type === 'string') {
      if (t.value === '') throw refuse(`--${t.name} needs a value (${o.value})`, optionList(command, spec));
      const problem = o.check?.(t.value!);
      if (problem) throw refuse(`--${t.name} ${show(t.value!)} ${problem}`, `--${t.name} ${o.value}: ${o.help}.`);
    }
  }

  const stray = spec.operand ? parsed.positionals.slice(1) : parsed.positionals;
  if (stray.length) throw unexpectedArgument(command, spec, operand, stray[0]);
  if (spec.operand && operand === undefined && spec.operand.required) {
    throw refuse(
      `${command} needs ${spec.operand.kind === 'action' ? 'an action id' : `a ${spec.operand.name}`}: mimecast-connector ${command} <${spec.operand.name}>`,
      spec.operand.kind === 'value' ? spec.operand.help : 'Run `mimecast-connector list` to see the actions.',
    );
  }
  if (spec.operand && operand !== undefined && spec.operand.kind !== 'value') {
    const known = spec.operand.kind === 'action' ? actionIds() : Object.keys(COMMANDS);
    if (!known.includes(operand)) {
      const hint = spec.operand.kind === 'action' ? `Run \`mimecast-connector list\` to see the ${known.length} actions.` : `Commands: ${known.join(', ')}.`;
      throw refuse(`unknown ${spec.operand.kind} ${show(operand)}${didYouMean(closest(operand, known))}`, hint);
    }
  }
  return { kind: 'command', command, operand, values: parsed.values };
}

function unexpectedArgument(command: string, spec: CommandSpec, operand: string | undefined, arg: string): InvocationError {
  const refuse = (message: string, hint: string): InvocationError => new InvocationError(command, operand, message, hint);
  if (looksLikeJson(arg) && spec.options.input) {
    const pasteable = ['mimecast-connector', command, ...(operand ? [operand] : []), '--input', arg.trim()].map(shellQuote).join(' ');
    return refuse(`unexpected argument ${shellQuote(shorten(arg.trim()))}: the parameters go in --input`, `Give them with --input: ${pasteable}`);
  }
  let hint = `${command} takes no arguments or options.`;
  if (spec.operand) hint = `${command} takes one <${spec.operand.name}>. ${optionList(command, spec)}`;
  else if (Object.keys(spec.options).length) hint = `${command} takes no arguments. ${optionList(command, spec)}`;
  return refuse(`unexpected argument ${show(arg)}`, hint);
}

/**
 * Strict parseArgs refused the arguments: find the first token it objects to (the same walk
 * in non-strict mode) and say what is wrong in the CLI's words, with the closest option.
 */
function explain(command: string, spec: CommandSpec, args: string[], error: Error): InvocationError {
  const loose = nodeParse(spec, args, false);
  const operand = spec.operand ? loose.positionals[0] : undefined;
  const refuse = (message: string): InvocationError => new InvocationError(command, operand, message, optionList(command, spec));
  for (const t of loose.tokens) {
    if (t.kind !== 'option') continue;
    const o = Object.prototype.hasOwnProperty.call(spec.options, t.name) ? spec.options[t.name] : undefined;
    if (!o) return refuse(`unknown option ${t.rawName}${didYouMean(suggestOption(t.name, Object.keys(spec.options)))}`);
    if (o.type === 'boolean' && t.value !== undefined) return refuse(`${t.rawName} takes no value (got ${show(t.value)})`);
    if (o.type === 'string' && t.value === undefined) return refuse(`${t.rawName} needs a value (${o.value})`);
    if (o.type === 'string' && !t.inlineValue && t.value!.length > 1 && t.value!.startsWith('-')) {
      return refuse(
        `${t.rawName} needs a value (${o.value}), but is followed by ${show(t.value!)}; to give a value that starts with "-", write ${t.rawName}=${t.value}`,
      );
    }
  }
  return refuse(error.message.split('\n')[0]);
}

// ---- usage text -----------------------------------------------------------------------

function synopsis(name: string, spec: CommandSpec): string {
  const parts = [name];
  if (spec.operand) parts.push(spec.operand.required ? `<${spec.operand.name}>` : `[<${spec.operand.name}>]`);
  for (const [opt, o] of Object.entries(spec.options)) parts.push(o.type === 'string' ? `[--${opt} ${o.value}]` : `[--${opt}]`);
  return parts.join(' ');
}

/** `prefix` then the words of `text`, wrapped at 100 columns; continuation lines start with `indent`. */
function wrap(prefix: string, text: string, indent: string): string {
  const lines: string[] = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = indent + word;
    } else line = /\S$/.test(line) ? `${line} ${word}` : line + word;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The whole CLI's usage. */
export function usage(): string {
  const commands = Object.entries(COMMANDS).map(
    ([name, spec]) => `${wrap('  ', `mimecast-connector ${synopsis(name, spec)}`, '      ')}\n      ${spec.summary}`,
  );
  return [
    `mimecast-connector ${manifest.app.version}: Mimecast API 2.0 connector`,
    '',
    'Usage:',
    ...commands,
    '  mimecast-connector --version',
    '',
    'Config: --config FILE (JSON) or MIMECAST_BASE_URL, MIMECAST_CLIENT_ID, MIMECAST_CLIENT_SECRET,',
    'MIMECAST_TIMEOUT, MIMECAST_VERIFY. Exit codes: 0 success, 3 partial, 1 failed, 2 invalid invocation.',
    '',
  ].join('\n');
}

/** One command's usage (`help <command>`, `<command> --help`). */
export function commandUsage(name: string): string {
  const spec = COMMANDS[name];
  const rows: [string, string][] = [];
  if (spec.operand) rows.push([`<${spec.operand.name}>`, spec.operand.help]);
  for (const [opt, o] of Object.entries(spec.options)) rows.push([o.type === 'string' ? `--${opt} ${o.value}` : `--${opt}`, o.help]);
  rows.push(['-h, --help', 'this help']);
  const w = Math.max(...rows.map(([left]) => left.length));
  return [
    wrap('Usage: ', `mimecast-connector ${synopsis(name, spec)}`, '         '),
    '',
    `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`,
    '',
    ...rows.map(([left, right]) => wrap(`  ${left.padEnd(w)}  `, right, ' '.repeat(w + 4))),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
    '',
  ].join('\n');
}
