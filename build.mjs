#!/usr/bin/env node
/**
 * Bundles the CLI and the library with esbuild (one file each: fast cold start), writes
 * dist/manifest.json and the logo beside it, and the declarations of both public entries
 * (dist/index.d.ts and dist/simulator.d.ts, see scripts/declarations.mjs).
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitDeclarations } from './scripts/declarations.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  minify: process.env.MINIFY !== '0',
  keepNames: false,
  logLevel: 'warning',
  // undici is CommonJS: give the ESM bundle a require() for its node: built-ins.
  banner: { js: "import { createRequire as __mcCreateRequire } from 'node:module'; const require = __mcCreateRequire(import.meta.url);" },
};

// The simulator is its own file (dist/simulator.js, the "mimecast-connector/simulator" export): the CLI
// loads it only for simulate, demo and --simulator, and the library never contains it.
const simulatorExternal = {
  name: 'simulator-external',
  setup(b) {
    b.onResolve({ filter: /\/simulator\/index\.js$/ }, (args) =>
      args.importer.includes('load-simulator') ? { path: './simulator.js', external: true } : undefined,
    );
  },
};

// The MCP server and its SDK are their own file too (dist/mcp.js): only the mcp command loads it,
// so a playbook step's `run` reads none of it. It imports no runtime of its own (the CLI hands it
// the manifest and the connector), so the chunk is the SDK and src/mcp/ alone.
const mcpExternal = {
  name: 'mcp-external',
  setup(b) {
    b.onResolve({ filter: /\/mcp\/index\.js$/ }, (args) => (args.importer.includes('load-mcp') ? { path: './mcp.js', external: true } : undefined));
  },
};

// esbuild works in its own process: the declarations are emitted meanwhile.
const bundles = Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
    plugins: [simulatorExternal, mcpExternal],
  }).then(() => chmodSync('dist/cli.js', 0o755)),
  build({ ...common, entryPoints: ['src/mcp/index.ts'], outfile: 'dist/mcp.js' }),
  build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', plugins: [simulatorExternal] }),
  build({ ...common, entryPoints: ['src/simulator/index.ts'], outfile: 'dist/simulator.js' }),
]);
mkdirSync('dist', { recursive: true });
emitDeclarations(dirname(fileURLToPath(import.meta.url)), { index: 'src/index.ts', simulator: 'src/simulator/index.ts' });
await bundles;

const { default: manifest } = await import('./src/generated/manifest.js');
writeFileSync('dist/manifest.json', JSON.stringify(manifest, null, 2) + '\n');
// app.logo names a file in manifest/ (the generator checks it is a plain SVG); a console finds it beside manifest.json.
copyFileSync(`manifest/${manifest.app.logo}`, `dist/${manifest.app.logo}`);
