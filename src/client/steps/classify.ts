/**
 * Error classification as a step, for calls whose answer is read whole: a non-2xx answer throws
 * its typed error (answer-errors.ts), and so does, for an envelope call, an answer that is not a
 * Mimecast envelope (an HTML login page, text, {}). A read answered meta.status 5xx inside HTTP 200
 * is a server-side failure like an HTTP 5xx (retried); a write's answer is kept: the call may have
 * been applied, and its items are accounted from it (never re-sent).
 */
import { checkStatus, isEnvelope, notAnEnvelope, serverErrorInside } from '../answer-errors.js';
import { metaStatus } from '../envelope.js';
import type { HttpResponse } from '../transport.js';
import type { Send } from './step.js';

export const classifyStep =
  (permission?: string) =>
  (next: Send<HttpResponse>): Send<HttpResponse> =>
  async (req) => {
    const res = checkStatus(await next(req), req.what, permission);
    if (!req.envelope) return res;
    if (!isEnvelope(res.json)) throw notAnEnvelope(res, req.what);
    if (req.readOnly) {
      const status = metaStatus(res.json);
      if (status !== undefined && status >= 500) throw serverErrorInside(res, status, req.what);
    }
    return res;
  };
