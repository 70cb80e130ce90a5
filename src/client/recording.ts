/**
 * The dry run: a transport that records each request and sends nothing, and a token source that
 * never asks for a token. Every layer above runs as it would for real (routes, bodies, chunking,
 * pagination of the first page), so what the dry run prints is what would be sent.
 */
import { Readable } from 'node:stream';
import type { TokenSource } from './steps/auth.js';
import type { HttpRequest, HttpResponse, StreamResponse, Transport } from './transport.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

const PLACEHOLDER_TOKEN = '<token>';
const EMPTY_ENVELOPE = JSON.stringify({ meta: { status: 200 }, data: [], fail: [] });

export const placeholderTokens: TokenSource = {
  get: async () => PLACEHOLDER_TOKEN,
  invalidate: () => undefined,
};

export class RecordingTransport implements Transport {
  readonly requests: RecordedRequest[] = [];

  private record(req: HttpRequest): void {
    let body: unknown = req.body;
    if (typeof req.body === 'string' && req.headers['content-type'] === 'application/json') {
      try {
        body = JSON.parse(req.body);
      } catch {
        body = req.body;
      }
    }
    const entry: RecordedRequest = { method: req.method, url: req.url, headers: { ...req.headers } };
    if (body !== undefined) entry.body = body;
    this.requests.push(entry);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    this.record(req);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      json: JSON.parse(EMPTY_ENVELOPE),
      text: EMPTY_ENVELOPE,
      contentType: 'application/json',
    };
  }

  async open(req: HttpRequest): Promise<StreamResponse> {
    this.record(req);
    const body = Object.assign(Readable.from([]), { text: async () => '', dump: async () => undefined });
    return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body };
  }

  async close(): Promise<void> {}
}
