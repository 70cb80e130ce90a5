/**
 * The CLI's commands as data: each command's summary, the options it takes (with their checks)
 * and its notes. args.ts parses argv against them; usage and `help` are printed from them.
 */
import manifest from '../generated/manifest.js';
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
      'A write sends nothing on its first call: it answers with its dry run and a confirmation token (where the client can show a form, only after its user said yes to the exact requests); the same call with the same arguments plus "confirmation": "<token>" sends it, once, within 5 minutes.',
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
