/**
 * Answers that come a byte at a time, from a real loopback server speaking raw HTTP/1.1 (chunked
 * transfer coding, one byte per chunk: the client's parser hands each byte over on its own, however
 * the socket groups them). Keeping a Buffer per chunk cost ~160 bytes per byte (8 MB → 1.3 GB), so
 * a few MB exhausted the heap; the body is now gathered in one buffer (BodyBytes) for whole answers
 * and for error answers read during downloads. Checked three ways: the collector's allocation
 * count, the exact text over a real socket, and the built CLI completing in a child process whose
 * heap (48 MB) is far below what a buffer per chunk needs for 2 MB (over 128 MB).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BodyBytes } from '../../src/client/body.js';
import { UndiciTransport } from '../../src/client/transport.js';
import { parseConfig } from '../../src/runtime/config.js';
import { cleanupTmpDirs, runCli } from '../helpers/cli.js';

const TOKEN = 'tiny-chunks-token-0123456789abcdef';
const SECRET = 'tiny-chunks-secret-0123456789';
const PAD = 2_000_000;

const account = JSON.stringify({
  meta: { status: 200 },
  data: [{ accountName: 'Tiny chunks', accountCode: 'CUTINY1', region: 'us', padding: 'x'.repeat(PAD) }],
  fail: [],
});
const missing = JSON.stringify({
  meta: { status: 404 },
  data: [],
  fail: [{ key: { id: 'f1' }, errors: [{ code: 'err_file_not_found', message: 'File not found', retryable: false }] }],
  padding: 'y'.repeat(PAD),
});

/** A body in chunked transfer coding, one byte per chunk. */
function byteChunks(body: string): Buffer {
  const bytes = Buffer.from(body);
  const out = Buffer.allocUnsafe(bytes.length * 6 + 5);
  let at = 0;
  for (const b of bytes) {
    out.write('1\r\n', at, 'latin1');
    out[at + 3] = b;
    out.write('\r\n', at + 4, 'latin1');
    at += 6;
  }
  out.write('0\r\n\r\n', at, 'latin1');
  return out;
}

const ANSWERS: Record<string, { status: string; body: Buffer }> = {
  '/api/account/get-account': { status: '200 OK', body: byteChunks(account) },
  '/api/gateway/message/get-file': { status: '404 Not Found', body: byteChunks(missing) },
};

let server: Server;
let base = '';
const sockets = new Set<Socket>();
const paths: string[] = [];

beforeAll(async () => {
  server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        const path = head.split(' ')[1];
        paths.push(path);
        if (path === '/oauth/token') {
          const body = JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 });
          sock.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
          continue;
        }
        const answer = ANSWERS[path];
        sock.write(`HTTP/1.1 ${answer.status}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
        sock.write(answer.body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => (paths.length = 0));
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  cleanupTmpDirs();
});

describe('BodyBytes', () => {
  const feed = (bytes: BodyBytes, body: Buffer) => {
    for (let i = 0; i < body.length; i++) bytes.add(body.subarray(i, i + 1));
  };

  it('a body of 1 MB in 1-byte chunks takes O(log n) buffers, and its bytes come back whole', () => {
    const body = Buffer.from('z'.repeat(1 << 20));
    const bytes = new BodyBytes(64 << 20);
    feed(bytes, body);
    expect(bytes.bytes().equals(body)).toBe(true);
    // 16 KB doubled up to 1 MB: 7 buffers (a buffer per chunk would be a million).
    expect(bytes.allocations).toBeLessThanOrEqual(Math.ceil(Math.log2(body.length)));
  });

  it('a declared length is allocated once; a body in one chunk is never copied', () => {
    const body = Buffer.from('q'.repeat(300_000));
    const declared = new BodyBytes(64 << 20, body.length);
    feed(declared, body);
    expect(declared.bytes().equals(body)).toBe(true);
    expect(declared.allocations).toBe(1);
    const whole = new BodyBytes(64 << 20, body.length);
    whole.add(body);
    expect(whole.bytes()).toBe(body);
    expect(whole.allocations).toBe(0);
  });

  it('never grows past the limit it was given', () => {
    const bytes = new BodyBytes(20_000);
    feed(bytes, Buffer.alloc(19_000, 1));
    expect(bytes.size).toBe(19_000);
    expect((bytes as unknown as { buf: Buffer }).buf.length).toBe(20_000);
  });
});

describe('answers in 1-byte chunks over a real socket', () => {
  const config = () => parseConfig({ base_url: base, client_id: 'id', client_secret: SECRET });

  it('send() reads the whole answer, byte for byte', async () => {
    const transport = new UndiciTransport(config());
    try {
      const res = await transport.send(
        { method: 'POST', url: `${base}/api/account/get-account`, headers: {}, body: '{"data":[]}' },
        'POST /api/account/get-account',
      );
      expect(res.status).toBe(200);
      expect(res.text).toBe(account);
    } finally {
      await transport.close();
    }
  });

  it('an error answer read during a download (open().body.text()) is read whole too', async () => {
    const transport = new UndiciTransport(config());
    try {
      const res = await transport.open({ method: 'POST', url: `${base}/api/gateway/message/get-file`, headers: {} }, 'POST /api/gateway/message/get-file');
      expect(res.status).toBe(404);
      expect(await res.body.text()).toBe(missing);
    } finally {
      await transport.close();
    }
  });

  // A buffer per chunk needs over 128 MB of heap for these 2 MB; one buffer needs a few.
  const small = (extra: Record<string, string> = {}) => ({
    env: { MIMECAST_BASE_URL: base, MIMECAST_CLIENT_ID: 'id', MIMECAST_CLIENT_SECRET: SECRET, NODE_OPTIONS: '--max-old-space-size=48', ...extra },
    timeoutMs: 60_000,
  });

  it('the CLI reads a 2 MB answer sent a byte at a time within a 48 MB heap', async () => {
    const r = await runCli(['run', 'get_current_account_details', '--quiet'], small());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const data = r.json.data as { accountName: string; accountCode: string; padding: string };
    expect([data.accountName, data.accountCode, data.padding.length]).toEqual(['Tiny chunks', 'CUTINY1', PAD]);
    expect(paths).toEqual(['/oauth/token', '/api/account/get-account']);
  }, 70_000);

  it('the CLI reads a 2 MB error answer to a download sent a byte at a time within a 48 MB heap: not_found, no file', async () => {
    const r = await runCli(['run', 'get_file', '--quiet', '--input', '{"id":"f1"}'], small());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ type: 'not_found', code: 'err_file_not_found' });
    expect(paths).toEqual(['/oauth/token', '/api/gateway/message/get-file']);
  }, 70_000);
});
