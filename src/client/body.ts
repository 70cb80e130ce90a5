/**
 * Reading an answer's body: into one buffer whatever its chunking, never past the instance's size
 * limit, decoded once as UTF-8 and parsed as JSON when it is JSON.
 */
import type { Dispatcher } from 'undici';
import { MAX_JSON_DEPTH, textTooDeep } from '../base/depth.js';
import { ConnectorError } from '../base/errors.js';
import type { HttpResponse } from './http.js';

/** Reads a whole body as text + JSON (when it is JSON); a JSON body that does not parse is an error. */
export function parseBody(status: number, headers: Record<string, string>, text: string, what: string): HttpResponse {
  const contentType = headers['content-type'] ?? '';
  let json: unknown;
  const trimmed = text.trimStart();
  if (trimmed && (contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('['))) {
    if (textTooDeep(text)) {
      throw new ConnectorError('api_error', `${what}: Mimecast's answer is nested more than ${MAX_JSON_DEPTH} levels deep; it was not read`, {
        httpStatus: status,
        maybeApplied: true,
      });
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConnectorError('api_error', `${what}: Mimecast returned a malformed JSON body (HTTP ${status}, ${text.length} bytes; truncated?)`, {
        httpStatus: status,
        maybeApplied: true,
        retryable: true,
        hint: 'A proxy or a dropped connection cut the response.',
      });
    }
  }
  return { status, headers, json, text, contentType };
}

/** An answer larger than the limit: refused while reading, never buffered whole, never fetched again. */
export function tooLarge(what: string, limit: number): ConnectorError {
  const mb = Math.round((limit / 1024 / 1024) * 10) / 10;
  return new ConnectorError('api_error', `${what}: the answer is larger than ${mb} MB, the most this instance reads (max_response_mb)`, {
    maybeApplied: true,
    hint: 'Narrow the request (dates, page size), or raise max_response_mb in the instance configuration.',
  });
}

/** A body's bytes as UTF-8 text, without a byte order mark (JSON.parse refuses one). */
export function decodeUtf8(buf: Buffer): string {
  if (buf.length === 0) return '';
  const bom = buf.length > 2 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  return buf.toString('utf8', bom ? 3 : 0);
}

const NO_BYTES = Buffer.alloc(0);
/** The first buffer of a body that comes in pieces without a declared length. */
const FIRST_CAPACITY = 16 * 1024;

/**
 * A body's bytes as they arrive, in one buffer. Keeping each chunk would keep one Buffer object per
 * chunk: an answer sent a byte at a time would cost far more than its size (8 MB took 1.3 GB). So
 * the first chunk is kept as it is (a body in one piece, the usual case, is never copied), and from
 * the second on the bytes are copied into one buffer: of the declared length when there is one, else
 * doubled as needed (at most `limit`). Memory stays near the body's size whatever the chunking, and
 * a body takes O(log n) allocations, one when its length is declared.
 */
export class BodyBytes {
  /** Buffers allocated so far (what the tests hold the chunking to). */
  allocations = 0;
  size = 0;
  private first?: Buffer;
  private buf?: Buffer;

  constructor(
    private readonly limit: number,
    /** The declared length (NaN without one); never above `limit` (the callers refuse it first). */
    private readonly declared = NaN,
  ) {}

  add(chunk: Buffer): void {
    const size = this.size + chunk.length;
    if (this.buf === undefined) {
      if (this.first === undefined || this.first.length === 0) {
        this.first = chunk;
        this.size = size;
        return;
      }
      this.grow(size, this.first);
      this.first = undefined;
    } else if (size > this.buf.length) this.grow(size, this.buf);
    chunk.copy(this.buf!, this.size);
    this.size = size;
  }

  /** A buffer for at least `size` bytes, holding the `size` bytes so far (from `from`). */
  private grow(size: number, from: Buffer): void {
    const declared = this.declared >= size ? this.declared : 0;
    const capacity = declared || Math.min(Math.max(size, (this.buf?.length ?? FIRST_CAPACITY / 2) * 2), Math.max(size, this.limit));
    const next = Buffer.allocUnsafe(capacity);
    this.allocations++;
    from.copy(next, 0, 0, this.size);
    this.buf = next;
  }

  /** The bytes read (a view, not a copy). */
  bytes(): Buffer {
    return this.buf ? this.buf.subarray(0, this.size) : (this.first ?? NO_BYTES);
  }
}

/** The length an answer declares (NaN without one). */
export const declaredLength = (headers: Record<string, string>): number => (headers['content-length'] === undefined ? NaN : Number(headers['content-length']));

/**
 * Reads a body as UTF-8 text into one buffer (BodyBytes: the size of the body, however it is
 * chunked), refusing it as soon as it passes `limit` bytes. 'data' events: no promise per chunk.
 */
export async function readLimited(body: Dispatcher.ResponseData['body'], headers: Record<string, string>, limit: number, what: string): Promise<string> {
  const declared = declaredLength(headers);
  if (Number.isFinite(declared) && declared > limit) {
    body.destroy();
    throw tooLarge(what, limit);
  }
  return new Promise((resolve, reject) => {
    const bytes = new BodyBytes(limit, declared);
    body.on('data', (chunk: Buffer) => {
      if (bytes.size + chunk.length > limit) {
        body.destroy();
        reject(tooLarge(what, limit));
      } else bytes.add(chunk);
    });
    body.once('end', () => resolve(decodeUtf8(bytes.bytes())));
    body.once('error', reject);
  });
}
