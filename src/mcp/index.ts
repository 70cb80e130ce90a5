/**
 * The MCP tool server (`mimecast-connector mcp`). Loaded only by that command (src/cli/load-mcp.ts;
 * build.mjs bundles it as dist/mcp.js), so a playbook step's `run` never reads it or the SDK. It
 * takes the manifest and a way to run an action from the CLI rather than importing the runtime:
 * the bundle carries no second copy of it (nor of the secrets the runtime masks).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './server.js';

export { createMcpServer, type McpServerOptions, type RunTool } from './server.js';
export { selectTools, type Selection, type SelectionFlags } from './selection.js';
export { DEFAULT_MAX_CHARS } from './result.js';

/** Serves on stdin/stdout until the client closes stdin; stdout carries only protocol messages. */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  // The SDK's stdio transport does not notice the end of its input: the client has gone.
  process.stdin.once('end', () => void server.close());
  await closed;
}
