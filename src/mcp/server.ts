/**
 * The MCP server (the SDK's low-level Server): tools/list from the selected actions, tools/call
 * through one connection for the server's life. A read runs at once; a write is confirmed
 * against its own dry run (confirm.ts) before anything is sent.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Manifest } from '../base/manifest-types.js';
import type { ResultEnvelope } from '../runtime/run.js';
import type { ConfirmedVia } from '../journal/types.js';
import { closest, didYouMean } from '../base/suggest.js';
import { log } from '../base/log.js';
import type { RecordedRequest } from '../client/recording.js';
import { Confirmations } from './confirm.js';
import { ask, canAsk, question } from './elicit.js';
import { DEFAULT_MAX_CHARS, toolResult, type ToolEnvelope } from './result.js';
import { toolFor } from './tools.js';

/**
 * Runs one action on the server's connection (the CLI: a createConnector's runById). A confirmed
 * write comes with `journal: { confirmedVia }` ('mcp': its token; 'mcp_elicitation': the user,
 * asked by the server), to merge into the run's own journal options.
 */
export type RunTool = (
  actionId: string,
  input: Record<string, unknown>,
  options: { dryRun?: boolean; signal?: AbortSignal; journal?: { confirmedVia: ConfirmedVia } },
) => Promise<ResultEnvelope>;

export interface McpServerOptions {
  manifest: Manifest;
  /** The action ids served as tools (selection.ts). */
  tools: string[];
  run: RunTool;
  /** The answer's size limit in characters (default 50,000). */
  maxChars?: number;
  /** Clock of the confirmation tokens' expiry (tests). */
  now?: () => number;
  /** Why a write is not served, for the refusal of a call to it (e.g. "the server runs with --read-only"). */
  notServedBecause?: string;
}

/** A refusal of the server's own (nothing was sent), in the envelope's form. */
function refused(action: string, field: string, message: string, hint: string): ResultEnvelope {
  return {
    status: 'failed',
    action,
    summary: `Failed: ${message}`,
    data: null,
    failures: [],
    error: { type: 'input_error', message, hint, field } as ResultEnvelope['error'],
    meta: { requests: 0, duration_ms: 0 },
  };
}

export function createMcpServer(options: McpServerOptions): Server {
  const { manifest, run } = options;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const served = new Set(options.tools);
  const tools = options.tools.map((id) => toolFor(manifest.actions[id]));
  const confirmations = new Confirmations(options.now ?? Date.now);
  const server = new Server(
    { name: manifest.app.id, title: manifest.app.name, version: manifest.app.version },
    {
      capabilities: { tools: {} },
      instructions:
        'Mimecast API 2.0 actions. Reads run at once. A write never runs on its first call: it answers with the dry run and a confirmation token. Where this client can show a form, the user is asked then, with the exact requests, and a token comes only with their yes: call again with the same arguments plus "confirmation" to send it. Otherwise show the requests to the user and call again with "confirmation" only once they agree.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));

  // Registered on the SDK's protocol layer, which parses the request against CallToolRequestSchema
  // once, rather than through Server#setRequestHandler, whose tools/call wrapper parses it a second
  // time and then parses and copies the whole result (structuredContent included) on every call: a
  // tenth of a read call's cost in the bench. What that wrapper checked is held by the tests: every
  // answer there goes through the SDK's Client, which parses it against CallToolResultSchema and the
  // tool's output schema. (The wrapper's other branch, task-augmented calls, cannot occur: the
  // server declares no tasks capability, and the protocol layer refuses such a call for that.)
  Protocol.prototype.setRequestHandler.call(server, CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const id = request.params.name;
    if (!served.has(id)) {
      const known = Object.prototype.hasOwnProperty.call(manifest.actions, id);
      const why = known ? `is not served${options.notServedBecause && !manifest.actions[id].read_only ? ` (${options.notServedBecause})` : ''}` : 'is unknown';
      throw new McpError(ErrorCode.InvalidParams, `the tool ${JSON.stringify(id.slice(0, 60))} ${why}${known ? '' : didYouMean(closest(id, [...served]))}`);
    }
    const action = manifest.actions[id];
    const args: Record<string, unknown> = { ...(request.params.arguments ?? {}) };
    const answer = (env: ToolEnvelope) => toolResult(env, maxChars, action);
    if (action.read_only) return answer(await run(id, args, { signal: extra.signal }));

    const { confirmation: token, ...input } = args;
    if (token === undefined) {
      // The first call: the dry run, and a token for exactly these arguments.
      const dry = await run(id, input, { dryRun: true, signal: extra.signal });
      if (dry.status !== 'success') return answer(dry);
      const requests = (dry.data as { requests: RecordedRequest[] }).requests;
      // Where the client can show a form, its user is asked directly, with the exact requests. A
      // write is still never sent on its first call: a yes gives the token that sends it.
      const asked = canAsk(server) ? await ask(server, question(action.name, id, requests), extra.signal) : undefined;
      // The user's answer, on the server's log (stderr); the sent write's journal record says it too.
      if (asked !== undefined) log.info(`mcp: ${id}: the user ${asked === 'send' ? 'agreed to send it' : `${asked} it`} when asked; nothing sent yet`);
      if (asked !== undefined && asked !== 'send')
        return answer(
          refused(id, 'confirmation', `not sent: the user ${asked} it when asked`, `Nothing was sent. Call ${id} again if the user wants it after all.`),
        );
      const confirmation = confirmations.issue(id, input, asked === 'send' ? 'mcp_elicitation' : 'mcp');
      const n = requests.length;
      const dryRun = `this is the dry run (${n} request${n === 1 ? '' : 's'}, in data.requests)`;
      const send = `call ${id} again with the same arguments plus "confirmation": "${confirmation.token}" (once, before ${confirmation.expires_at})`;
      return answer({
        ...dry,
        summary:
          asked === 'send'
            ? `The user agreed to send it when asked; not sent yet: ${dryRun}. To send it, ${send}.`
            : `Not sent yet: ${dryRun}. To send it, ${send}.`,
        confirmation,
      });
    }
    if (typeof token !== 'string' || token === '')
      return answer(refused(id, 'confirmation', 'confirmation must be the token string of an earlier dry run', 'Call the tool without confirmation first.'));
    const redeemed = confirmations.redeem(id, input, token);
    if ('problem' in redeemed)
      return answer(
        refused(
          id,
          'confirmation',
          `not sent: the confirmation ${redeemed.problem}`,
          `Call ${id} without confirmation for a new dry run and token, then confirm that.`,
        ),
      );
    // Its journal record (when the run sends a request) says the user confirmed it here, and how.
    return answer(await run(id, input, { signal: extra.signal, journal: { confirmedVia: redeemed.via } }));
  });
  return server;
}
