/**
 * One MCP tool per action, from its manifest entry as it is: name = action id, title = its name,
 * its input JSON Schema (a write's gains the optional `confirmation`), an output schema for the
 * result envelope around the action's output schema, and every annotation set explicitly (a
 * client takes a missing destructiveHint as true and would ask before every read).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ActionManifest, JsonSchema } from '../base/manifest-types.js';

export const CONFIRMATION_PROPERTY: JsonSchema = {
  type: 'string',
  minLength: 1,
  description:
    'Sends this write. Leave it out first: the call then sends nothing and answers with the dry run (the exact requests) and structuredContent.confirmation.token; call again with the same arguments plus this token to send it, once, within 5 minutes.',
};

/** What a dry run's data is: the requests that would be sent. */
const DRY_RUN_DATA: JsonSchema = {
  type: 'object',
  required: ['requests'],
  properties: { requests: { type: 'array', items: { type: 'object' } } },
};

/**
 * The envelope (architecture §4.3) as the tool answers it: `data` is the action's output, a
 * dry run's requests (a write's first call) or null (a failed run, or data cut to fit the size
 * limit); `confirmation` and `truncated` are the server's own additions.
 */
export function envelopeSchema(action: ActionManifest): Tool['outputSchema'] {
  return {
    type: 'object',
    required: ['status', 'action', 'summary', 'data', 'failures', 'meta'],
    properties: {
      status: { type: 'string', enum: ['success', 'partial', 'failed'] },
      action: { type: 'string' },
      summary: { type: 'string' },
      data: { anyOf: [action.output, ...(action.read_only ? [] : [DRY_RUN_DATA]), { type: 'null' }] },
      failures: { type: 'array', items: { type: 'object', required: ['code', 'message'] } },
      error: { type: 'object', required: ['type', 'message'] },
      meta: { type: 'object', required: ['requests', 'duration_ms'] },
      ...(action.read_only
        ? {}
        : {
            confirmation: {
              type: 'object',
              required: ['token', 'expires_at'],
              properties: { token: { type: 'string' }, expires_at: { type: 'string' } },
            },
          }),
      truncated: {
        type: 'object',
        required: ['max_chars', 'note'],
        properties: { max_chars: { type: 'integer' }, items_shown: { type: 'integer' }, items_total: { type: 'integer' }, note: { type: 'string' } },
      },
    },
  };
}

function description(a: ActionManifest): string {
  const parts = [a.description];
  if (a.permission) parts.push(`Mimecast permission: ${a.permission}.`);
  if (!a.read_only)
    parts.push(
      'A write: the first call sends nothing and answers with its dry run (the exact requests) and a confirmation token; show them to the user, and call again with the same arguments plus "confirmation": the token to send it.',
    );
  return parts.join('\n\n');
}

export function toolFor(a: ActionManifest): Tool {
  const input = a.input as Tool['inputSchema'];
  const inputSchema: Tool['inputSchema'] = a.read_only
    ? input
    : { ...input, type: 'object', properties: { ...(input.properties ?? {}), confirmation: CONFIRMATION_PROPERTY } };
  return {
    name: a.id,
    title: a.name,
    description: description(a),
    inputSchema,
    outputSchema: envelopeSchema(a),
    annotations: {
      title: a.name,
      readOnlyHint: a.read_only,
      // A read changes nothing: not destructive, and calling it again changes nothing either.
      destructiveHint: a.read_only ? false : a.destructive !== false,
      idempotentHint: a.read_only ? true : a.idempotent === true,
      // Every tool talks to a Mimecast tenant, whose state other people change.
      openWorldHint: true,
    },
  };
}
