/**
 * The import graph of the sources: no cycles, imports only point down the layers, and no source
 * file past ~300 lines. Read from the files themselves (every relative import and export-from,
 * type-only ones too, and dynamic import()), so a new file is held to it the moment it exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * The layers, lowest first; a module may import its own layer and the ones below it. Where the
 * code sits today:
 *   base      errors, logging and redaction, config and manifest types: imports nothing of ours
 *   client    the shared client (connection, request pipeline and its steps, transport, tokens)
 *   toolkit   what a handler may use: the handler kit (action.ts), its helpers (dates, input
 *             normalisation, policy and web-policy bodies, group members), the generated types,
 *             manifest and validators
 *             (and route names), and the undo builders' kit (journal/types, journal/builders)
 *   actions   one handler per action, and its undo plan builder: the toolkit only, never another action
 *   registry  the generated id → handler and id → undo builder tables
 *   journal   the write journal's store, plan and recorder (the runtime records into it)
 *   runtime   the engine: config, normalisation, runAction / createConnector, shared connections,
 *             and ingestion's engine (src/ingest)
 *   surface   the library's entry (src/index.ts), the CLI, the MCP server and undo (they run actions)
 * The simulator is apart: it imports only itself and base, and only the CLI loads it (lazily).
 */
const LAYERS = ['base', 'client', 'toolkit', 'actions', 'registry', 'journal', 'runtime', 'surface'] as const;
type Layer = (typeof LAYERS)[number] | 'simulator';

const TOOLKIT =
  /^src\/(runtime\/(action|dates|normalize|policy|web-policy|group-member)|generated\/(types|manifest|validators|output-validators|routes)|journal\/(types|builders))\.(ts|js|d\.ts)$/;

function layerOf(file: string): Layer | undefined {
  if (file.startsWith('src/base/')) return 'base';
  if (file.startsWith('src/client/')) return 'client';
  if (TOOLKIT.test(file)) return 'toolkit';
  if (file.startsWith('actions/')) return 'actions';
  if (file === 'src/generated/registry.ts' || file === 'src/generated/undo.ts') return 'registry';
  if (/^src\/journal\/(plan|recorder|store)\.ts$/.test(file)) return 'journal';
  if (file.startsWith('src/runtime/') || file.startsWith('src/ingest/')) return 'runtime';
  if (file === 'src/index.ts' || file.startsWith('src/cli/') || file.startsWith('src/mcp/') || /^src\/journal\/(undo|index)\.ts$/.test(file)) return 'surface';
  if (file.startsWith('src/simulator/') || file === 'src/generated/simulator-routes.ts') return 'simulator';
  return undefined;
}

/**
 * Imports the layers do not allow yet, each with why it stays for now. An entry that no longer
 * occurs is fine (the test does not ask for it); remove it when its import goes.
 */
const KNOWN_CROSSINGS = new Set([
  // The simulator's clock takes "today" from the product's date module; the simulator is to get one date module of its own.
  'src/simulator/clock.ts -> src/runtime/dates.ts',
  'src/simulator/routes/archive-messages.ts -> src/runtime/dates.ts',
]);

/** Most lines a source file may have. */
const MAX_LINES = 300;

/**
 * Files above MAX_LINES for now, each to be split (they are being changed on other branches at
 * the same time, where a split would collide with that work). Remove an entry once its file is
 * under the limit: the test then holds it there.
 */
const KNOWN_LARGE = new Set([
  'src/simulator/server.ts', // the simulator's typed state registry
  'src/simulator/routes/message-finder.ts', // route modules: mostly seed data and Mimecast's answer shapes
  'src/simulator/routes/gateway-hold.ts',
  'src/simulator/routes/policy-address-alteration.ts',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sources(path);
    return /\.(ts|js)$/.test(e.name) ? [path] : [];
  });
}

const files = [...sources('src'), ...sources('actions')];
const known = new Set(files);

/** The file a relative specifier names ("./x.js" is the source x.ts, or x.js / x.d.ts beside it). */
function resolve(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  const stem = base.replace(/\.js$/, '');
  return [`${stem}.ts`, base, `${stem}.d.ts`].find((f) => known.has(f));
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:type\s)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

const graph = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec.startsWith('.') || spec.endsWith('.json')) continue;
    const target = resolve(file, spec);
    if (target) targets.push(target);
  }
  graph.set(file, targets);
}

/** Whether a file in layer `a` may import one in layer `b`. */
function allowed(from: string, a: Layer, b: Layer): boolean {
  if (a === 'simulator') return b === 'simulator' || b === 'base';
  if (b === 'simulator') return from.startsWith('src/cli/');
  // A handler imports its toolkit, never another handler.
  if (a === 'actions') return b === 'toolkit';
  return LAYERS.indexOf(b) <= LAYERS.indexOf(a);
}

describe('the import graph', () => {
  it('reads the sources (a guard against a pattern that matches nothing)', () => {
    expect(graph.get('src/client/pipeline.ts')).toEqual(expect.arrayContaining(['src/client/steps/auth.ts', 'src/client/transport.ts']));
    expect(graph.get('src/runtime/run.ts')).toEqual(expect.arrayContaining(['src/generated/registry.ts']));
  });

  it('every source file belongs to a layer', () => {
    const unplaced = files.filter((f) => layerOf(f) === undefined);
    expect(unplaced.map((f) => `${f}: give it a layer in test/contract/imports.test.ts (layerOf)`)).toEqual([]);
  });

  it('imports only point down the layers (base ← client ← toolkit ← actions ← registry ← journal ← runtime ← surface; the simulator apart)', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      const a = layerOf(from);
      for (const to of targets) {
        const b = layerOf(to);
        if (!a || !b || allowed(from, a, b) || KNOWN_CROSSINGS.has(`${from} -> ${to}`)) continue;
        wrong.push(`${from} (${a}) imports ${to} (${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no cycles', () => {
    // Tarjan's strongly connected components: any component of more than one file is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of graph.keys()) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it(`no source file is over ${MAX_LINES} lines (generated code and the listed files aside)`, () => {
    const large = files
      .filter((f) => !f.startsWith('src/generated/') && !KNOWN_LARGE.has(f))
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines; split it into modules of one job each`);
    expect(large).toEqual([]);
  });
});
