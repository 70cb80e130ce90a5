/**
 * Loads the MCP server only for the `mcp` command. In the bundle, the specifier below is
 * rewritten by build.mjs to "./mcp.js" (dist/mcp.js, a separate file with the MCP SDK), so a
 * playbook step that runs an action never reads it.
 */
export type McpModule = typeof import('../mcp/index.js');

export function loadMcp(): Promise<McpModule> {
  return import('../mcp/index.js');
}
