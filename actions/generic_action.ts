import { defineAction, inputError } from '../src/runtime/action.js';
import type { GenericActionInput, GenericActionOutput } from '../src/generated/types.js';

/**
 * The endpoint must stay on the configured base URL: the bearer token never goes anywhere else.
 * Returns the path to request ("/api/...").
 */
function safeEndpoint(endpoint: string): string {
  const e = endpoint.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(e)) throw inputError('endpoint', 'must be a path on the configured base URL, not an absolute URL');
  if (e.startsWith('//') || e.startsWith('\\\\') || e.includes('\\'))
    throw inputError('endpoint', 'must be a path on the configured base URL (no protocol-relative path or backslash)');
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\s\u0000-\u001f?#]/.test(e)) throw inputError('endpoint', 'must be a plain path: put query parameters in query_params (no spaces, "?" or "#")');
  const path = `/${e.replace(/^\/+/, '')}`;
  for (const seg of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      throw inputError('endpoint', 'has an invalid percent-encoding');
    }
    if (decoded === '..' || decoded === '.' || decoded.includes('/') || decoded.includes('\\')) {
      throw inputError('endpoint', 'must not contain "." or ".." segments (it must stay under the base URL)');
    }
  }
  return path;
}

function parsePayload(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload;
  const t = payload.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      throw inputError('payload', 'looks like JSON but does not parse');
    }
  }
  return payload;
}

export default defineAction<GenericActionInput, GenericActionOutput>(async (input, { client, outputDir }) => {
  const path = safeEndpoint(input.endpoint);
  const extra = input.extra_fields ?? {};
  if (extra.files !== undefined) throw inputError('extra_fields.files', 'is not supported: this connector does not send multipart uploads');
  const given = parsePayload(input.payload ?? extra.payload_json);
  // Mimecast's /api/* routes take a POST with the {"data": [...]} envelope (the simulator
  // answers a body-less POST with HTTP 400): with no payload send the empty envelope, so the seed's example
  // (get-policy without an id → all policies) works.
  const payload = given === undefined && input.method === 'POST' && path.startsWith('/api/') ? { data: [] } : given;
  if (payload !== undefined && input.method === 'GET') {
    throw inputError('payload', `is not sent with ${input.method}: put the parameters in query_params`);
  }
  // A JSON payload is sent as JSON; a text one as text, labelled as such.
  const contentType = typeof payload === 'string' ? 'text/plain; charset=utf-8' : undefined;
  const query = input.query_params as Record<string, string | number | boolean | (string | number | boolean)[]> | undefined;
  if (extra.download || extra.response_type === 'file') {
    const file = await client.requestFile(
      { method: input.method, path, query, body: payload, contentType },
      { outputDir, fallbackName: extra.filename ?? 'mimecast-download.bin' },
    );
    return { data: { status_code: 200, file }, summary: `${input.method} ${path}: saved ${file.file_name} (${file.size} bytes).` };
  }
  const res = await client.request({ method: input.method, path, query, body: payload, contentType });
  const body = extra.response_type === 'text' ? res.text : (res.json ?? (res.text || null));
  if (res.json && typeof res.json === 'object' && !Array.isArray(res.json) && ('fail' in res.json || 'meta' in res.json)) {
    client.recordEnvelope(res.json);
  }
  return { data: { status_code: res.status, body }, summary: `${input.method} ${path}: HTTP ${res.status}.` };
});
