/**
 * The built CLI's `mcp` command as an MCP client starts it: over stdio, against the simulator.
 * stdout carries only protocol messages; the canary secret and the bearer token appear in no
 * message and no stderr line; names that are not actions stop it at start (exit 2).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import manifest from '../../src/generated/manifest.js';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CLI, cleanupTmpDirs, cliEnv, NODE, requireBuiltCli, ROOT, runCli } from '../helpers/cli.js';

const CLIENT_ID = 'mcp-stdio-client';
const CANARY = 'mcp-stdio-canary-Rt5Yx8Nq2Wz';

let sim: Simulator;
const wire: string[] = [];
let stderr = '';
const transportErrors: Error[] = [];

beforeAll(async () => {
  requireBuiltCli();
  sim = await startSimulator({ clients: { [CLIENT_ID]: CANARY } });
});
afterAll(async () => {
  await sim?.close();
  cleanupTmpDirs();
});

const env = () => ({ MIMECAST_BASE_URL: sim.url, MIMECAST_CLIENT_ID: CLIENT_ID, MIMECAST_CLIENT_SECRET: CANARY });

async function start(args: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: NODE,
    args: [CLI, 'mcp', ...args],
    env: cliEnv({ env: env() }) as Record<string, string>,
    stderr: 'pipe',
  });
  transport.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  client.onerror = (e) => transportErrors.push(e);
  await client.connect(transport);
  // Every message the server wrote on stdout, as the client read it.
  const read = transport.onmessage!;
  transport.onmessage = (m) => {
    wire.push(JSON.stringify(m));
    read(m);
  };
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

it('serves the tools, a read and a confirmed write over stdio, on one token', async () => {
  const client = await start();
  const { tools } = await client.listTools();
  expect(tools).toHaveLength(Object.keys(manifest.actions).length - 1);
  expect(tools.find((t) => t.name === 'release_held_message')!.annotations).toEqual({
    title: 'Release Held Message',
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  });

  const read = await call(client, 'search_groups', { query: 'Permitted' });
  expect(read.structuredContent).toMatchObject({ status: 'success', action: 'search_groups' });

  const member = { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'stdio@example.com' }] };
  const before = sim.requests.length;
  const first = await call(client, 'add_group_member', member);
  expect(sim.requests.length).toBe(before);
  const token = (first.structuredContent as any).confirmation.token;
  const sent = await call(client, 'add_group_member', { ...member, confirmation: token });
  expect(sent.structuredContent).toMatchObject({ status: 'success' });
  expect(sim.requests.slice(before).map((q) => q.path)).toEqual(['/api/directory/add-group-member']);
  expect(sim.stats.token_requests).toBe(1);
  await client.close();
  expect(transportErrors).toEqual([]);
});

it('--read-only over stdio lists no write', async () => {
  const client = await start(['--read-only']);
  const { tools } = await client.listTools();
  expect(tools.length).toBeGreaterThan(0);
  expect(tools.filter((t) => !manifest.actions[t.name].read_only)).toEqual([]);
  await client.close();
});

it('an unknown tool name stops the server at start: exit 2, a did-you-mean, nothing on stdout', async () => {
  for (const flag of ['--tools', '--exclude-tools']) {
    const r = await runCli(['mcp', flag, 'search_groups,releese_held_message'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${flag}: unknown action "releese_held_message"; did you mean release_held_message?`);
  }
  const help = await runCli(['mcp', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: mimecast-connector mcp \[--read-only\]/);
  expect((await runCli(['mcp', '--read-onyl'])).code).toBe(2);
});

it('no secret in any message or stderr line', () => {
  const tokens = [...new Set(sim.requests.map((q) => String(q.headers.authorization ?? '')).filter((a) => a.startsWith('Bearer ')))].map((a) => a.slice(7));
  expect(tokens.length).toBeGreaterThan(0);
  expect(wire.length).toBeGreaterThan(3);
  expect(stderr).toContain('MCP server on stdio');
  for (const secret of [CANARY, encodeURIComponent(CANARY), ...tokens]) {
    expect(wire.join('\n').includes(secret)).toBe(false);
    expect(stderr.includes(secret)).toBe(false);
  }
});

it('the MCP code is its own bundle: dist/cli.js (every `run`) holds none of it, dist/mcp.js holds it', () => {
  const read = (f: string) => readFileSync(resolve(ROOT, 'dist', f), 'utf8');
  for (const marker of ['tools/list', 'notifications/initialized', 'confirmation must be the token string']) {
    expect(read('cli.js').includes(marker)).toBe(false);
    expect(read('mcp.js').includes(marker)).toBe(true);
  }
  expect(read('cli.js')).toContain('"./mcp.js"');
});
