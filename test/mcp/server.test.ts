/**
 * The MCP tool server through the SDK's own client over an in-memory transport, against the
 * simulator over real HTTP: the tool list against the manifest, a read, a write confirmed against
 * its dry run (nothing sent first; other arguments, a replayed or an expired token refused),
 * --read-only, the size limit, and no secret in any message.
 */
import { jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import manifest from '../../src/generated/manifest.js';
import { createMcpServer, selectTools, type SelectionFlags } from '../../src/mcp/index.js';
import { CONFIRMATION_TTL_MS } from '../../src/mcp/confirm.js';
import { readJournal } from '../../src/journal/index.js';
import { createConnector, type Connector } from '../../src/runtime/run.js';
import { DEMO_GROUP_ID } from '../../src/simulator/routes/directory.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const CLIENT_ID = 'mcp-canary-client';
const CANARY = 'mcp-canary-secret-Vb7Qe2Lx9Pw4';

let sim: Simulator;
/** The connectors of the test's servers (one each, for the server's life), closed after it. */
const connectors: Connector[] = [];
/** Every message both ways, as JSON text: the canary check reads them all. */
const wire: string[] = [];
const open: Client[] = [];

beforeAll(async () => {
  sim = await startSimulator({ clients: { [CLIENT_ID]: CANARY } });
});
beforeEach(() => sim.reset());
/** The bearer tokens the simulator issued in the suite (collected before each reset). */
const bearerTokens = new Set<string>();
afterEach(async () => {
  for (const q of sim.requests) {
    const auth = String(q.headers.authorization ?? '');
    if (auth.startsWith('Bearer ')) bearerTokens.add(auth.slice(7));
  }
  for (const c of open.splice(0)) await c.close();
  for (const c of connectors.splice(0)) await c.close();
});
afterAll(async () => {
  await sim?.close();
});

interface Setup {
  flags?: SelectionFlags;
  maxChars?: number;
  now?: () => number;
  /** The config's journal_dir (else the journal goes where the runtime puts it by default). */
  journalDir?: string;
  /** The client can show forms (elicitation) and answers the server's questions with this. */
  elicit?: (params: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>;
}

async function connect(setup: Setup = {}): Promise<Client> {
  const chosen = selectTools(manifest.actions, setup.flags ?? {});
  if ('problem' in chosen) throw new Error(chosen.problem.message);
  const config = { base_url: sim.url, client_id: CLIENT_ID, client_secret: CANARY, ...(setup.journalDir ? { journal_dir: setup.journalDir } : {}) };
  const connector = createConnector(config, { tokenCache: 'memory' });
  connectors.push(connector);
  const server = createMcpServer({
    manifest,
    tools: chosen.ids,
    run: (id, input, options) => connector.runById(id, input, { now: () => sim.now().getTime(), ...options }),
    maxChars: setup.maxChars,
    now: setup.now,
    notServedBecause: setup.flags?.readOnly ? 'the server runs with --read-only' : undefined,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const tap = (t: InMemoryTransport) => {
    const send = t.send.bind(t);
    t.send = (m: JSONRPCMessage, o) => {
      wire.push(JSON.stringify(m));
      return send(m, o);
    };
  };
  tap(clientSide);
  tap(serverSide);
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' }, setup.elicit ? { capabilities: { elicitation: { form: {} } } } : undefined);
  if (setup.elicit) {
    const answer = setup.elicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => answer(request.params));
  }
  await client.connect(clientSide);
  open.push(client);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const env = (r: CallToolResult) => r.structuredContent as any;
const apiRequests = () => sim.requests.filter((q) => q.path.startsWith('/api/'));

const MEMBER = { member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'analyst@example.com' }] };

describe('the tool list', () => {
  it('serves every action but generic_action, each from its manifest entry, with every annotation set', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const expected = Object.keys(manifest.actions)
      .filter((id) => id !== 'generic_action')
      .sort();
    expect(tools.map((t) => t.name).sort()).toEqual(expected);
    for (const t of tools) {
      const a = manifest.actions[t.name];
      expect(t.title).toBe(a.name);
      expect(t.description!.startsWith(a.description)).toBe(true);
      expect(t.annotations).toEqual({
        title: a.name,
        readOnlyHint: a.read_only,
        destructiveHint: a.read_only ? false : a.destructive,
        idempotentHint: a.read_only ? true : a.idempotent,
        openWorldHint: true,
      });
      expect(typeof t.annotations!.destructiveHint).toBe('boolean');
      // The input schema is the action's, as it is; a write's gains the optional confirmation.
      const { confirmation, ...props } = (t.inputSchema.properties ?? {}) as Record<string, unknown>;
      expect(props).toEqual(a.input.properties ?? {});
      expect(t.inputSchema.required).toEqual(a.input.required);
      expect(confirmation === undefined).toBe(a.read_only);
      expect((t.outputSchema!.properties as any).data.anyOf[0]).toEqual(a.output);
    }
    expect(tools.find((t) => t.name === 'release_held_message')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === 'add_group_member')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it('--read-only lists no write, and refuses a call to one, sending nothing', async () => {
    const client = await connect({ flags: { readOnly: true } });
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(20);
    expect(tools.every((t) => manifest.actions[t.name].read_only && t.annotations!.readOnlyHint === true)).toBe(true);
    await expect(call(client, 'add_group_member', MEMBER)).rejects.toThrow(/add_group_member" is not served \(the server runs with --read-only\)/);
    await expect(call(client, 'add_group_member', { ...MEMBER, confirmation: 'x' })).rejects.toThrow(/not served/);
    expect(sim.requests).toEqual([]);
  });

  it('serves generic_action only when --tools names it, and still confirms it', async () => {
    const client = await connect({ flags: { tools: 'generic_action,search_groups' } });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['generic_action', 'search_groups']);
    const r = await call(client, 'generic_action', { method: 'POST', endpoint: 'api/directory/find-groups', payload: { data: [{ query: 'x' }] } });
    expect(r.isError).toBe(false);
    expect(env(r).confirmation.token).toEqual(expect.any(String));
    expect(sim.requests).toEqual([]);
  });

  it('names that are not actions stop the selection, with the closest name', () => {
    expect(selectTools(manifest.actions, { tools: 'serch_groups' })).toEqual({
      problem: { message: '--tools: unknown action "serch_groups"; did you mean search_groups?', hint: expect.any(String) },
    });
    expect(selectTools(manifest.actions, { excludeTools: 'release_held_mesage' })).toEqual({
      problem: { message: '--exclude-tools: unknown action "release_held_mesage"; did you mean release_held_message?', hint: expect.any(String) },
    });
    expect(selectTools(manifest.actions, { tools: 'add_group_member', readOnly: true })).toEqual({
      problem: expect.objectContaining({ message: expect.stringMatching(/no tool is left/) }),
    });
  });
});

describe('a read', () => {
  it('answers the envelope as structuredContent and text, validated against the output schema', async () => {
    const client = await connect();
    const r = await call(client, 'search_groups', { query: 'Permitted' });
    expect(r.isError).toBe(false);
    expect(env(r)).toMatchObject({ status: 'success', action: 'search_groups' });
    expect(env(r).data.length).toBeGreaterThan(0);
    const text = (r.content as { type: string; text: string }[])[0].text;
    expect(text).toBe(`${env(r).summary}\n${JSON.stringify(env(r))}`);
    expect(apiRequests().map((q) => [q.path, q.body])).toEqual([
      ['/api/directory/find-groups', { data: [{ query: 'Permitted' }], meta: { pagination: { pageSize: 100 } } }],
    ]);
  });

  it('a failed run is isError, with its error in the envelope; invalid input sends nothing', async () => {
    const client = await connect();
    const r = await call(client, 'search_groups', { query: 'x', page_size: 'many' });
    expect(r.isError).toBe(true);
    expect(env(r)).toMatchObject({ status: 'failed', error: { type: 'input_error', field: 'page_size' } });
    expect(sim.requests).toEqual([]);
  });

  it('one connection for the server: one token for many calls', async () => {
    const client = await connect();
    for (let i = 0; i < 3; i++) expect((await call(client, 'search_groups', { query: `q${i}` })).isError).toBe(false);
    expect(sim.stats.token_requests).toBeLessThanOrEqual(1);
  });
});

describe('the protocol layer still checks each call', () => {
  /** A server spoken to in bare JSON-RPC (no SDK client to shape or check the messages). */
  async function bare() {
    const connector = createConnector({ base_url: sim.url, client_id: CLIENT_ID, client_secret: CANARY }, { tokenCache: 'memory' });
    connectors.push(connector);
    const server = createMcpServer({ manifest, tools: ['search_groups', 'permit_or_block_sender'], run: (id, input, o) => connector.runById(id, input, o) });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const answers = new Map<unknown, (m: any) => void>();
    clientSide.onmessage = (m: any) => answers.get(m.id)?.(m);
    await clientSide.start();
    let n = 0;
    const rpc = (method: string, params: unknown) =>
      new Promise<any>((resolve) => {
        const id = ++n;
        answers.set(id, resolve);
        void clientSide.send({ jsonrpc: '2.0', id, method, params } as JSONRPCMessage);
      });
    expect((await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bare', version: '1' } })).result).toBeDefined();
    await clientSide.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return { rpc, close: () => server.close() };
  }

  it('a tools/call whose name is not a string, or whose arguments are not an object, is a JSON-RPC error; nothing is sent', async () => {
    const { rpc, close } = await bare();
    for (const params of [
      { name: 7, arguments: {} },
      { name: 'search_groups', arguments: 'query=x' },
    ]) {
      const m = await rpc('tools/call', params);
      expect(m.result).toBeUndefined();
      expect(m.error.code).toBe(-32603);
      expect(m.error.message).toMatch(/invalid/i);
    }
    expect(sim.requests).toEqual([]);
    await close();
  });

  it('a task-augmented call is refused (the server declares no tasks); nothing is sent', async () => {
    const { rpc, close } = await bare();
    const m = await rpc('tools/call', {
      name: 'permit_or_block_sender',
      arguments: { sender: 'a@b.example', to: 'c@d.example', action: 'block' },
      task: { ttl: 60_000 },
    });
    expect(m.result).toBeUndefined();
    expect(m.error.message).toMatch(/task/i);
    expect(sim.requests).toEqual([]);
    await close();
  });

  it('a read answered to a bare client carries the same envelope the SDK client sees', async () => {
    const { rpc, close } = await bare();
    const m = await rpc('tools/call', { name: 'search_groups', arguments: { query: 'Permitted' } });
    expect(m.result.isError).toBe(false);
    expect(m.result.structuredContent).toMatchObject({ status: 'success', action: 'search_groups' });
    expect(m.result.content[0].text).toBe(`${m.result.structuredContent.summary}\n${JSON.stringify(m.result.structuredContent)}`);
    await close();
  });
});

describe('a write is confirmed against its own dry run', () => {
  it('the first call sends nothing and answers the dry run and a token; the token sends it once', async () => {
    const client = await connect();
    const first = await call(client, 'add_group_member', MEMBER);
    expect(first.isError).toBe(false);
    expect(sim.requests).toEqual([]);
    expect(env(first)).toMatchObject({ status: 'success', meta: { requests: 0, dry_run: true } });
    const [dry] = env(first).data.requests;
    expect(dry).toMatchObject({
      method: 'POST',
      url: `${sim.url}/api/directory/add-group-member`,
      body: { data: [{ id: DEMO_GROUP_ID, emailAddress: 'analyst@example.com' }] },
    });
    const token = env(first).confirmation.token as string;
    expect(env(first).summary).toContain(token);

    // The same arguments, in another key order, plus the token: sent, once, exactly as previewed.
    const sent = await call(client, 'add_group_member', {
      confirmation: token,
      member_information: [{ emailAddress: 'analyst@example.com', id: DEMO_GROUP_ID }],
    });
    expect(sent.isError).toBe(false);
    expect(env(sent).status).toBe('success');
    expect(apiRequests().map((q) => ({ method: q.method, url: `${sim.url}${q.path}`, body: q.body }))).toEqual([
      { method: dry.method, url: dry.url, body: dry.body },
    ]);

    // Replayed: refused, nothing more sent.
    const replay = await call(client, 'add_group_member', { ...MEMBER, confirmation: token });
    expect(replay.isError).toBe(true);
    expect(env(replay).error).toMatchObject({ type: 'input_error', field: 'confirmation', message: expect.stringMatching(/used already/) });
    expect(apiRequests()).toHaveLength(1);
  });

  it('a token never confirms other arguments or another tool, and is spent by the attempt', async () => {
    const client = await connect();
    const token = env(await call(client, 'add_group_member', MEMBER)).confirmation.token;
    const other = await call(client, 'add_group_member', {
      member_information: [{ id: DEMO_GROUP_ID, emailAddress: 'attacker@example.net' }],
      confirmation: token,
    });
    expect(other.isError).toBe(true);
    expect(env(other).error).toMatchObject({ field: 'confirmation', message: expect.stringMatching(/other arguments/) });
    expect((await call(client, 'add_group_member', { ...MEMBER, confirmation: token })).isError).toBe(true);

    const token2 = env(await call(client, 'add_group_member', MEMBER)).confirmation.token;
    const elsewhere = await call(client, 'remove_group_member', { ...MEMBER, confirmation: token2 });
    expect(env(elsewhere).error.message).toMatch(/issued for the tool add_group_member/);
    expect(sim.requests).toEqual([]);
  });

  it('a token expires after 5 minutes (the injected clock)', async () => {
    let now = Date.parse('2027-01-01T00:00:00Z');
    const client = await connect({ now: () => now });
    const first = env(await call(client, 'add_group_member', MEMBER));
    expect(first.confirmation.expires_at).toBe('2027-01-01T00:05:00.000Z');
    now += CONFIRMATION_TTL_MS;
    const late = await call(client, 'add_group_member', { ...MEMBER, confirmation: first.confirmation.token });
    expect(env(late).error.message).toMatch(/expired/);

    const second = env(await call(client, 'add_group_member', MEMBER));
    now += CONFIRMATION_TTL_MS - 1;
    expect(env(await call(client, 'add_group_member', { ...MEMBER, confirmation: second.confirmation.token })).status).toBe('success');
    expect(apiRequests()).toHaveLength(1);
  });

  it('the journal records a confirmed write once, marked confirmed_via "mcp"; its dry run records nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-mcp-journal-'));
    const client = await connect({ journalDir: dir });
    const token = env(await call(client, 'add_group_member', MEMBER)).confirmation.token;
    expect(readJournal({ journal_dir: dir })).toEqual([]);

    const sent = env(await call(client, 'add_group_member', { ...MEMBER, confirmation: token }));
    expect(sent.status).toBe('success');
    const records = readJournal({ journal_dir: dir });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      run_id: sent.meta.run_id,
      action: 'add_group_member',
      input: MEMBER,
      status: 'success',
      confirmed_via: 'mcp',
      undo: { action: 'remove_group_member' },
    });
    // A refused token sends nothing and records nothing.
    await call(client, 'add_group_member', { ...MEMBER, confirmation: token });
    expect(readJournal({ journal_dir: dir })).toHaveLength(1);
  });

  it('an invalid write gets no token and sends nothing', async () => {
    const client = await connect();
    const r = await call(client, 'add_group_member', { member_information: [{ emailAddress: 'analyst@example.com' }] });
    expect(r.isError).toBe(true);
    expect(env(r).confirmation).toBeUndefined();
    expect(sim.requests).toEqual([]);
  });
});

describe('a client that can show a form is asked directly (elicitation)', () => {
  it('the question carries the exact requests; a yes still sends nothing on the first call but gives the token that sends it once, journalled as the user confirmed it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-mcp-elicit-'));
    const asked: string[] = [];
    const client = await connect({
      journalDir: dir,
      elicit: (params) => {
        asked.push(params.message);
        expect(sim.requests).toEqual([]); // nothing sent while the user decides
        return { action: 'accept', content: { send: true } };
      },
    });
    const first = await call(client, 'add_group_member', MEMBER);
    expect(first.isError).toBe(false);
    expect(env(first)).toMatchObject({ status: 'success', meta: { requests: 0, dry_run: true } });
    const token = env(first).confirmation.token as string;
    expect(env(first).summary).toMatch(
      /^The user agreed to send it when asked; not sent yet: this is the dry run \(1 request, in data\.requests\)\. To send it, call add_group_member again/,
    );
    expect(sim.requests).toEqual([]);
    expect(asked).toEqual([
      `Send this write to Mimecast? Add Group Member (add_group_member) would send 1 request; nothing has been sent yet.\nPOST ${sim.url}/api/directory/add-group-member\n` +
        JSON.stringify({ data: [{ id: DEMO_GROUP_ID, emailAddress: 'analyst@example.com' }] }),
    ]);

    const r = await call(client, 'add_group_member', { ...MEMBER, confirmation: token });
    expect(env(r)).toMatchObject({ status: 'success', action: 'add_group_member' });
    expect(asked).toHaveLength(1); // the token call is not asked again
    expect(apiRequests().map((q) => [q.path, q.body])).toEqual([
      ['/api/directory/add-group-member', { data: [{ id: DEMO_GROUP_ID, emailAddress: 'analyst@example.com' }] }],
    ]);
    expect(readJournal({ journal_dir: dir })).toEqual([
      expect.objectContaining({ run_id: env(r).meta.run_id, status: 'success', confirmed_via: 'mcp_elicitation' }),
    ]);
    // The token is spent like any other.
    expect((await call(client, 'add_group_member', { ...MEMBER, confirmation: token })).isError).toBe(true);
    expect(apiRequests()).toHaveLength(1);
  });

  it.each([
    ['declined', { action: 'decline' }],
    ['cancelled', { action: 'cancel' }],
    ['declined', { action: 'accept', content: { send: false } }],
  ] as const)('an answer that is not "send" (%s) sends nothing, says so, and logs the answer', async (word, result) => {
    const client = await connect({ elicit: () => result as ElicitResult });
    const logged: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    let r: CallToolResult;
    try {
      r = await call(client, 'add_group_member', MEMBER);
    } finally {
      spy.mockRestore();
    }
    expect(r.isError).toBe(true);
    expect(env(r).error).toMatchObject({ type: 'input_error', field: 'confirmation', message: `not sent: the user ${word} it when asked` });
    expect(logged).toEqual([`mcp: add_group_member: the user ${word} it when asked; nothing sent yet\n`]);
    expect(sim.requests).toEqual([]);
  });

  it('a client whose form fails is given the dry run and a token instead', async () => {
    const client = await connect({
      elicit: () => {
        throw new Error('no display');
      },
    });
    const first = env(await call(client, 'add_group_member', MEMBER));
    expect(first).toMatchObject({ status: 'success', meta: { dry_run: true } });
    expect(sim.requests).toEqual([]);
    expect(env(await call(client, 'add_group_member', { ...MEMBER, confirmation: first.confirmation.token })).status).toBe('success');
    expect(apiRequests()).toHaveLength(1);
  });

  it('reads are never asked about', async () => {
    const asked: string[] = [];
    const client = await connect({
      elicit: (params) => {
        asked.push(params.message);
        return { action: 'decline' };
      },
    });
    expect(env(await call(client, 'search_groups', { query: 'Permitted' })).status).toBe('success');
    expect(asked).toEqual([]);
  });
});

describe('results that fit', () => {
  it('a list over the limit keeps its first items, says so, and still validates', async () => {
    const client = await connect();
    const whole = env(await call(client, 'get_managed_urls', {}));
    expect(whole.data.length).toBeGreaterThan(3);
    const limit = JSON.stringify(whole).length / 2;
    const small = await connect({ maxChars: Math.round(limit) });
    const r = await call(small, 'get_managed_urls', {});
    const text = (r.content as { text: string }[])[0].text;
    expect(text.length).toBeLessThanOrEqual(limit);
    const cut = env(r);
    expect(cut.data).toEqual(whole.data.slice(0, cut.data.length));
    expect(cut.truncated).toMatchObject({ items_shown: cut.data.length, items_total: whole.data.length, max_chars: Math.round(limit) });
    expect(cut.truncated.note).toMatch(/^\[cut: .* shown\] For the rest, call again with a smaller page_size .*page_token/);
    expect(text.split('\n')[0]).toContain('[cut:');
  });

  it('an answer within the limit is not cut', async () => {
    const client = await connect();
    expect(env(await call(client, 'search_groups', { query: 'Permitted' })).truncated).toBeUndefined();
  });
});

describe('secrets', () => {
  it('no message of this suite, either way, holds the client secret or a bearer token', () => {
    const all = wire.join('\n');
    expect(wire.length).toBeGreaterThan(20);
    expect(bearerTokens.size).toBeGreaterThan(0);
    for (const secret of [CANARY, encodeURIComponent(CANARY), ...bearerTokens]) expect(all.includes(secret)).toBe(false);
  });
});
