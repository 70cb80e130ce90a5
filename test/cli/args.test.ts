/**
 * The CLI's parser: what it accepts per command, and every refusal (an InvocationError:
 * input_error, exit 2) with the message and suggestion the user sees.
 */
import { COMMANDS, commandUsage, InvocationError, parseInvocation, shellQuote, usage } from '../../src/cli/args.js';
import manifest from '../../src/generated/manifest.js';

function refusal(argv: string[]): InvocationError {
  try {
    parseInvocation(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(InvocationError);
    const err = e as InvocationError;
    expect(err.type).toBe('input_error');
    expect(err.beforeSend).toBe(true);
    return err;
  }
  throw new Error(`parseInvocation accepted ${JSON.stringify(argv)}`);
}

describe('accepted command lines', () => {
  it('run with every option of run', () => {
    const argv = [
      'run',
      'search',
      '--config',
      'c.json',
      '--input',
      '{"message_id":"<a@b>"}',
      '--output-dir',
      '/tmp/out',
      '--dry-run',
      '--simulator',
      '--format',
      'json',
      '--deadline',
      '2.5',
      '--quiet',
    ];
    expect(parseInvocation(argv)).toEqual({
      kind: 'command',
      command: 'run',
      operand: 'search',
      values: {
        config: 'c.json',
        input: '{"message_id":"<a@b>"}',
        'output-dir': '/tmp/out',
        'dry-run': true,
        simulator: true,
        format: 'json',
        deadline: '2.5',
        quiet: true,
      },
    });
  });

  it('options before the action, --name=value, "-" for stdin and arguments after --', () => {
    expect(parseInvocation(['run', '--input=-', 'search_groups'])).toEqual({
      kind: 'command',
      command: 'run',
      operand: 'search_groups',
      values: { input: '-' },
    });
    expect(parseInvocation(['run', '--input', '-', '--', 'search'])).toEqual({ kind: 'command', command: 'run', operand: 'search', values: { input: '-' } });
    expect(parseInvocation(['run', 'search', '--input', '@params.json'])).toMatchObject({ values: { input: '@params.json' } });
  });

  it('the other commands and their options', () => {
    expect(parseInvocation(['list', '--json'])).toEqual({ kind: 'command', command: 'list', operand: undefined, values: { json: true } });
    expect(parseInvocation(['describe'])).toEqual({ kind: 'command', command: 'describe', operand: undefined, values: {} });
    expect(parseInvocation(['describe', 'search', '--json'])).toEqual({ kind: 'command', command: 'describe', operand: 'search', values: { json: true } });
    expect(parseInvocation(['test-connectivity', '--config', 'c.json', '--simulator', '--dry-run'])).toEqual({
      kind: 'command',
      command: 'test-connectivity',
      operand: undefined,
      values: { config: 'c.json', simulator: true, 'dry-run': true },
    });
    expect(parseInvocation(['simulate', '--port', '8080'])).toMatchObject({ command: 'simulate', values: { port: '8080' } });
    expect(parseInvocation(['simulate', '--port', '0'])).toMatchObject({ command: 'simulate', values: { port: '0' } });
    expect(parseInvocation(['check'])).toMatchObject({ command: 'check', values: {} });
    expect(parseInvocation(['demo'])).toMatchObject({ command: 'demo', values: {} });
  });

  it('help, --help and -h anywhere (before --), naming the command when there is one', () => {
    expect(parseInvocation(['help'])).toEqual({ kind: 'help', command: undefined });
    expect(parseInvocation(['help', 'run'])).toEqual({ kind: 'help', command: 'run' });
    expect(parseInvocation(['--help'])).toEqual({ kind: 'help', command: undefined });
    expect(parseInvocation(['-h'])).toEqual({ kind: 'help', command: undefined });
    expect(parseInvocation(['run', '--help'])).toEqual({ kind: 'help', command: 'run' });
    expect(parseInvocation(['run', 'search', '--dryrun', '-h'])).toEqual({ kind: 'help', command: 'run' });
    expect(parseInvocation(['--help', 'describe'])).toEqual({ kind: 'help', command: 'describe' });
    expect(parseInvocation(['help', 'list', '--help'])).toEqual({ kind: 'help', command: 'list' });
    expect(parseInvocation(['frobnicate', '--help'])).toEqual({ kind: 'help', command: undefined });
  });

  it('--version on its own; no command at all', () => {
    expect(parseInvocation(['--version'])).toEqual({ kind: 'version' });
    expect(parseInvocation([])).toEqual({ kind: 'none' });
  });
});

describe('refusals', () => {
  it('an unknown option names the closest option of the command', () => {
    const e = refusal(['run', 'permit_or_block_sender', '--input', '{}', '--dryrun']);
    expect(e.message).toBe('unknown option --dryrun; did you mean --dry-run?');
    expect(e.hint).toBe(
      'Options of run: --config, --input, --output-dir, --dry-run, --simulator, --format, --deadline, --quiet, --max-calls (see `mimecast-connector help run`).',
    );
    expect(e.command).toBe('run');
    expect(e.operand).toBe('permit_or_block_sender');
    expect(refusal(['run', 'search', '--inptu', '{}']).message).toBe('unknown option --inptu; did you mean --input?');
    expect(refusal(['list', '--jsno']).message).toBe('unknown option --jsno; did you mean --json?');
    expect(refusal(['run', 'search', '--verbose']).message).toBe('unknown option --verbose');
    expect(refusal(['run', 'search', '-x']).message).toBe('unknown option -x');
  });

  it('an option of another command is unknown to this one', () => {
    const e = refusal(['test-connectivity', '--input', '{}']);
    expect(e.message).toBe('unknown option --input');
    expect(e.hint).toBe('Options of test-connectivity: --config, --simulator, --dry-run (see `mimecast-connector help test-connectivity`).');
    expect(refusal(['check', '--json']).hint).toBe('check takes no options.');
  });

  it('an option given twice', () => {
    const e = refusal(['run', 'search', '--input', '{"a":1}', '--input', '{"b":2}']);
    expect(e.message).toBe('--input was given more than once');
    expect(e.hint).toContain('for several runs give a JSON array');
    expect(refusal(['run', 'search', '--dry-run', '--dry-run']).message).toBe('--dry-run was given more than once');
    expect(refusal(['list', '--json', '--json']).message).toBe('--json was given more than once');
  });

  it('an option without its value', () => {
    expect(refusal(['run', 'search', '--input']).message).toBe('--input needs a value (JSON|@FILE|-)');
    expect(refusal(['run', 'search', '--input=']).message).toBe('--input needs a value (JSON|@FILE|-)');
    expect(refusal(['run', 'search', '--config']).message).toBe('--config needs a value (FILE)');
    expect(refusal(['run', 'search', '--input', '--dry-run']).message).toBe(
      '--input needs a value (JSON|@FILE|-), but is followed by "--dry-run"; to give a value that starts with "-", write --input=--dry-run',
    );
    expect(refusal(['simulate', '--port']).message).toBe('--port needs a value (N)');
  });

  it('a value given to a switch', () => {
    expect(refusal(['run', 'search', '--dry-run=false']).message).toBe('--dry-run takes no value (got "false")');
  });

  it('a stray argument; a JSON-looking one says to use --input', () => {
    const json = refusal(['run', 'search', '{"message_id":"<a@b>"}']);
    expect(json.message).toBe(`unexpected argument '{"message_id":"<a@b>"}': the parameters go in --input`);
    expect(json.hint).toBe(`Give them with --input: mimecast-connector run search --input '{"message_id":"<a@b>"}'`);
    expect(json.operand).toBe('search');
    const plain = refusal(['run', 'search', 'extra']);
    expect(plain.message).toBe('unexpected argument "extra"');
    expect(plain.hint).toMatch(/^run takes one <action>\. Options of run: /);
    expect(refusal(['list', 'all']).message).toBe('unexpected argument "all"');
    expect(refusal(['check', 'now']).hint).toBe('check takes no arguments or options.');
    expect(refusal(['describe', 'search', 'search_groups']).message).toBe('unexpected argument "search_groups"');
    expect(refusal(['help', 'run', 'describe']).message).toBe('unexpected argument "describe"');
    expect(refusal(['--version', 'run']).message).toBe('unexpected argument "run" after --version');
  });

  it('an unknown action suggests the closest action id', () => {
    const e = refusal(['run', 'serch_groups']);
    expect(e.message).toBe('unknown action "serch_groups"; did you mean search_groups?');
    expect(e.hint).toBe(`Run \`mimecast-connector list\` to see the ${Object.keys(manifest.actions).length} actions.`);
    expect(e.operand).toBe('serch_groups');
    expect(refusal(['describe', 'permit_or_block_sendr']).message).toBe('unknown action "permit_or_block_sendr"; did you mean permit_or_block_sender?');
    expect(refusal(['describe', 'zzz']).message).toBe('unknown action "zzz"');
    expect(refusal(['run', '__proto__']).message).toMatch(/^unknown action "__proto__"/);
  });

  it('run without an action', () => {
    const e = refusal(['run', '--dry-run']);
    expect(e.message).toBe('run needs an action id: mimecast-connector run <action>');
    expect(e.operand).toBeUndefined();
  });

  it('an unknown command suggests the closest command', () => {
    const e = refusal(['describ', 'search']);
    expect(e.message).toBe('unknown command "describ"; did you mean describe?');
    expect(e.command).toBeUndefined();
    expect(refusal(['test-conectivity']).message).toBe('unknown command "test-conectivity"; did you mean test-connectivity?');
    expect(refusal(['frobnicate']).message).toBe('unknown command "frobnicate"');
    expect(refusal(['help', 'rn']).message).toBe('unknown command "rn"; did you mean run?');
  });

  it('an option before the command', () => {
    const e = refusal(['--versoin']);
    expect(e.message).toBe('unknown option --versoin; did you mean --version?');
    expect(e.hint).toMatch(/^Options go after the command/);
    expect(refusal(['--dry-run', 'run', 'search']).message).toBe('unknown option --dry-run');
  });

  it('--format takes json, table or csv', () => {
    const e = refusal(['run', 'search', '--format', 'xml']);
    expect(e.message).toBe('--format "xml" is not available; allowed values: json, table, csv');
    expect(refusal(['run', 'search', '--format=CSV']).message).toBe('--format "CSV" is not available; allowed values: json, table, csv');
    for (const f of ['json', 'table', 'csv']) expect(parseInvocation(['run', 'search', '--format', f])).toMatchObject({ values: { format: f } });
  });

  it('--deadline takes a positive number of seconds; --port a port number', () => {
    for (const bad of ['0', 'soon', '1e400', '=-3']) {
      const argv = bad.startsWith('=') ? ['run', 'search', `--deadline${bad}`] : ['run', 'search', '--deadline', bad];
      expect(refusal(argv).message).toBe(`--deadline "${bad.replace('=', '')}" must be a positive number of seconds`);
    }
    expect(refusal(['run', 'search', '--deadline', '86400.5']).message).toBe(
      '--deadline "86400.5" must be at most 86400 seconds (24 hours), like the deadline setting',
    );
    expect(parseInvocation(['run', 'search', '--deadline', '86400'])).toMatchObject({ values: { deadline: '86400' } });
    expect(refusal(['run', 'search', '--deadline', '-3']).message).toMatch(/^--deadline needs a value \(SECONDS\), but is followed by "-3"/);
    expect(refusal(['simulate', '--port', '65536']).message).toBe('--port "65536" must be a port number (0-65535; 0 picks a free port)');
    expect(refusal(['simulate', '--port', '80.5']).message).toMatch(/^--port "80.5" must be a port number/);
  });
});

describe('usage text', () => {
  it('lists every command with its options', () => {
    const text = usage();
    for (const [name, spec] of Object.entries(COMMANDS)) {
      expect(text).toContain(`mimecast-connector ${name}`);
      for (const opt of Object.keys(spec.options)) expect(text).toContain(`--${opt}`);
    }
    expect(text).toContain('mimecast-connector --version');
  });

  it("a command's usage lists its options and their help", () => {
    const text = commandUsage('run');
    expect(text).toMatch(/^Usage: mimecast-connector run <action> \[--config FILE\]/);
    for (const [opt, o] of Object.entries(COMMANDS.run.options))
      expect(text).toMatch(new RegExp(`^  --${opt}${o.value ? ` ${o.value.replace(/[|]/g, '\\|')}` : ''} +\\S`, 'm'));
    expect(text).toMatch(/^ {2}-h, --help +this help$/m);
    expect(commandUsage('check')).not.toMatch(/--json|--input/);
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest so a printed command pastes', () => {
    expect(shellQuote('search_groups')).toBe('search_groups');
    expect(shellQuote('{"a":"b c"}')).toBe(`'{"a":"b c"}'`);
    expect(shellQuote(`{"note":"it's"}`)).toBe(`'{"note":"it'\\''s"}'`);
  });
});
