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
import { COMMANDS, type CommandSpec } from './commands.js';

const actionIds = (): string[] => Object.keys(manifest.actions);

export { COMMANDS, FORMATS, MAX_DEADLINE_SECONDS, parseSince, type CommandSpec, type Format, type OptionSpec } from './commands.js';

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
