/**
 * The debug trace (MIMECAST_DEBUG=1): one stderr line per HTTP request, token requests included:
 * method, path, status, duration, attempt and Mimecast's request id. The line names the call as
 * the pipeline does ("POST /api/x"; a link on another host by its origin and path, never its
 * query), and goes through log.debug, so every secret is redacted.
 */
import { log } from '../base/log.js';
import type { HttpRequest, HttpResponse, StreamResponse, Transport } from './transport.js';

function line(req: HttpRequest, what: string, ms: number, outcome: string, headers?: Record<string, string>): string {
  const notes = [];
  if (req.attempt !== undefined) notes.push(`attempt ${req.attempt}`);
  const id = headers?.['x-request-id'] ?? headers?.['x-mc-request-id'];
  if (id) notes.push(`request id ${id}`);
  return `${what} ${outcome} in ${Math.round(ms)} ms${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** Whether MIMECAST_DEBUG=1 is set (log.debug writes only then). */
export const debugEnabled = (): boolean => process.env.MIMECAST_DEBUG === '1';

/** The transport with one debug line per request (nothing is written unless MIMECAST_DEBUG=1). */
export function traced(transport: Transport): Transport {
  const run = async <R extends { status: number; headers: Record<string, string> }>(req: HttpRequest, what: string, exchange: () => Promise<R>): Promise<R> => {
    const t0 = performance.now();
    try {
      const res = await exchange();
      log.debug(line(req, what, performance.now() - t0, String(res.status), res.headers));
      return res;
    } catch (e) {
      const message = String((e as Error).message);
      log.debug(line(req, what, performance.now() - t0, `failed: ${message.startsWith(`${what}: `) ? message.slice(what.length + 2) : message}`));
      throw e;
    }
  };
  return {
    send: (req, what): Promise<HttpResponse> => run(req, what, () => transport.send(req, what)),
    open: (req, what): Promise<StreamResponse> => run(req, what, () => transport.open(req, what)),
    close: () => transport.close(),
    get proxy() {
      return transport.proxy;
    },
  };
}
