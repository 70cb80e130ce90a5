/**
 * Never a hidden failure: answers that are not what Mimecast promises end as errors, every item
 * sent comes back as a success or a failure, a write cut off by the deadline says it was not
 * re-sent, answers and downloads have size limits, file names are safe, the call budget and the
 * output directory are checked before anything is sent.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MAX_NAME_BYTES, safeFileName } from '../../src/client/download.js';
import { exitCodeFor, runAction } from '../../src/runtime/run.js';

const made: string[] = [];
const tmpDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-hidden-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const SECRET = 'hidden-canary-secret-8c2f6a1e';
const TOKEN = 'hidden-canary-token-Tq4Wz9Lm2Xc7';
const HELD = ['eNoHeld1', 'eNoHeld2', 'eNoHeld3'];
const fast = { tokenCache: 'memory' as const, retry: { retries: 2, minTimeout: 1, maxTimeout: 5, maxWaitMs: 1000 } };

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A loopback server: /oauth/token answers; /api/* goes to the test's handler. */
class Loopback {
  server!: Server;
  base = '';
  calls: string[] = [];
  handler: Handler = (_req, res) => res.end('{}');

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        this.calls.push(`${req.method} ${req.url}`);
        if (req.url === '/oauth/token') {
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 1799 }));
        }
        this.handler(req, res, body);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  config(extra: Record<string, unknown> = {}) {
    return { base_url: this.base, client_id: 'hidden-id', client_secret: SECRET, ...extra };
  }

  apiCalls(): string[] {
    return this.calls.filter((c) => c.startsWith('POST /api/'));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const srv = new Loopback();
beforeAll(() => srv.start());
afterAll(() => srv.stop());
beforeEach(() => {
  srv.calls = [];
});

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('answers that are not a Mimecast envelope', () => {
  it.each([
    ['an HTML login page', 'text/html', '<html><head><title>Sign in</title></head><body>\u001b[31mlogin</body></html>'],
    ['plain text', 'text/plain', 'OK'],
    ['an empty object', 'application/json', '{}'],
    ['an empty body', 'application/json', ''],
  ])('a write answered 200 with %s is failed (api_error, exit 1), never success', async (_what, type, body) => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    const r = await runAction('release_held_message', { id: [HELD[0]] }, srv.config(), fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(1);
    expect(r.error?.type).toBe('api_error');
    expect(r.error?.message).toContain('POST /api/gateway/hold-release: Mimecast answered HTTP 200 with something that is not a Mimecast answer');
    expect(r.error?.message).toContain(type);
    expect(r.error?.message).not.toContain('\u001b');
    expect(r.error?.hint).toMatch(/not re-sent because it may have reached Mimecast/);
    expect(srv.apiCalls()).toHaveLength(1);
  });

  it('a read answered {} is failed too, not "0 rows"', async () => {
    srv.handler = (_req, res) => json(res, {});
    const r = await runAction('search_groups', {}, srv.config(), fast);
    expect(r.status).toBe('failed');
    expect(r.error?.type).toBe('api_error');
    expect(r.data).toBeNull();
  });
});

describe('every item sent comes back', () => {
  it('three ids, one confirmed, fail[] empty: partial (exit 3) with two no_outcome failures keyed by id', async () => {
    srv.handler = (_req, res) => json(res, { meta: { status: 200 }, data: [{ id: HELD[1], release: true }], fail: [] });
    const r = await runAction('release_held_message', { id: HELD }, srv.config(), fast);
    expect(r.status).toBe('partial');
    expect(exitCodeFor(r)).toBe(3);
    expect(r.data).toEqual([{ id: HELD[1], release: true }]);
    expect(r.failures).toEqual([
      { code: 'no_outcome', message: 'Mimecast answered the call but said nothing about this item; check its state in Mimecast', key: { id: HELD[0] } },
      { code: 'no_outcome', message: 'Mimecast answered the call but said nothing about this item; check its state in Mimecast', key: { id: HELD[2] } },
    ]);
  });

  it('nothing confirmed and nothing failed: failed, every item no_outcome', async () => {
    srv.handler = (_req, res) => json(res, { meta: { status: 200 }, data: [], fail: [] });
    const r = await runAction('release_held_message', { id: HELD }, srv.config(), fast);
    expect(r.status).toBe('failed');
    expect(r.failures.map((f) => f.code)).toEqual(['no_outcome', 'no_outcome', 'no_outcome']);
  });

  it('an answer for every item is success: data and fail[] together account for all', async () => {
    srv.handler = (_req, res) =>
      json(res, {
        meta: { status: 200 },
        data: [
          { id: HELD[0], release: true },
          { id: HELD[2], release: true },
        ],
        fail: [{ key: { id: HELD[1] }, errors: [{ code: 'err_x', message: 'no' }] }],
      });
    const r = await runAction('release_held_message', { id: HELD }, srv.config(), fast);
    expect(r.status).toBe('partial');
    expect(r.failures).toEqual([{ code: 'err_x', message: 'no', key: { id: HELD[1] } }]);
  });
});

describe('a write cut off by the deadline', () => {
  it('an answer that drips a byte at a time past the deadline: timeout, and the same not-re-sent warning as a silent server', async () => {
    const timers: NodeJS.Timeout[] = [];
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      timers.push(drip);
      res.on('close', () => clearInterval(drip));
    };
    const dripped = await runAction('release_held_message', { id: [HELD[0]] }, srv.config(), { ...fast, deadlineMs: 400 });
    srv.handler = () => undefined; // never answers
    const silent = await runAction('release_held_message', { id: [HELD[0]] }, srv.config(), { ...fast, deadlineMs: 400 });
    timers.forEach(clearInterval);
    for (const r of [dripped, silent]) {
      expect(r.status).toBe('failed');
      expect(r.error?.type).toBe('timeout');
      expect(r.error?.hint).toBe('The request was not re-sent because it may have reached Mimecast; check the state in Mimecast before running it again.');
    }
    expect(srv.apiCalls()).toHaveLength(2); // one each, never re-sent
  });
});

describe('size limits', () => {
  it('an 80 MB JSON answer is refused as too large by default (64 MB), without reading it whole, and not fetched again', async () => {
    let written = 0;
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      res.write('{"meta":{"status":200},"data":[');
      const pump = () => {
        while (written < 80 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end(']}');
      };
      res.on('error', () => undefined);
      pump();
    };
    const r = await runAction('search_groups', {}, srv.config(), fast);
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      type: 'api_error',
      message: 'POST /api/directory/find-groups: the answer is larger than 64 MB, the most this instance reads (max_response_mb)',
    });
    expect(srv.apiCalls()).toHaveLength(1);
    expect(written).toBeLessThan(80 * 1024 * 1024);
  });

  it('an answer without Content-Length, sent in pieces that split a multi-byte character, is read whole and intact', async () => {
    const answer = Buffer.from(
      JSON.stringify({ meta: { status: 200 }, data: [{ folders: [{ id: 'eNoG1', description: 'Zürich 東京 Sécurité' }] }], fail: [] }),
    );
    const split = answer.indexOf(Buffer.from('東')) + 1; // inside the three bytes of 東
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(answer.subarray(0, split));
      setTimeout(() => {
        res.write(answer.subarray(split, split + 1));
        setTimeout(() => res.end(answer.subarray(split + 1)), 5);
      }, 5);
    };
    const r = await runAction('search_groups', {}, srv.config(), fast);
    expect(r.status).toBe('success');
    expect(r.data).toEqual([{ id: 'eNoG1', description: 'Zürich 東京 Sécurité' }]);
  });

  it('an answer whose Content-Length is over max_response_mb is refused before its body is read', async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) });
      res.write('{');
    };
    const r = await runAction('search_groups', {}, srv.config({ max_response_mb: 2 }), fast);
    expect(r.error?.message).toContain('larger than 2 MB');
  });

  it('a download over max_download_mb is refused and nothing is left in the output directory', async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="big.pdf"' });
      res.on('error', () => undefined);
      res.end(Buffer.alloc(2 * 1024 * 1024 + 1, 1));
    };
    const dir = tmpDir();
    const r = await runAction('get_file', { id: 'eNoFile1' }, srv.config({ max_download_mb: 2 }), { ...fast, outputDir: dir });
    expect(r.status).toBe('failed');
    expect(r.error?.message).toBe('the file is larger than 2 MB, the most this instance saves (max_download_mb); nothing was kept');
    expect(readdirSync(dir)).toEqual([]);
    expect(srv.apiCalls()).toHaveLength(1);
  });
});

describe('file names', () => {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

  it('a 450-byte CJK name is saved under at most 255 bytes with .pdf kept', async () => {
    const name = `${'報告書'.repeat(50)}.pdf`;
    expect(bytes(name)).toBe(454);
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` });
      res.end('%PDF-1.7');
    };
    const dir = tmpDir();
    const r = await runAction('get_file', { id: 'eNoFile2' }, srv.config(), { ...fast, outputDir: dir });
    expect(r.status).toBe('success');
    const saved = (r.data as { file_name: string }).file_name;
    expect(bytes(saved)).toBeLessThanOrEqual(255);
    expect(bytes(saved)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(saved.endsWith('.pdf')).toBe(true);
    expect(saved.startsWith('報告書報告書')).toBe(true);
    expect(readdirSync(dir)).toEqual([saved]);
  });

  it('a long ASCII name keeps its extension', () => {
    const out = safeFileName(`${'a'.repeat(300)}.xlsx`);
    expect(out).toBe(`${'a'.repeat(MAX_NAME_BYTES - 5)}.xlsx`);
  });

  it('bidirectional and invisible formatting characters are removed, so the name shows what it is', () => {
    expect(safeFileName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFileName('a\u200Bb\u2066c\u2069.pdf')).toBe('abc.pdf');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('x\u0000y\u001b[2J.txt')).toBe('x_y_[2J.txt');
  });
});

describe('checked before anything is sent', () => {
  it('a list that needs more calls than max_calls is an input_error; nothing is sent', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `eNoHeld${i}`);
    const r = await runAction('release_held_message', { id: ids }, srv.config({ max_calls: 1 }), fast);
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(2);
    expect(r.error).toMatchObject({ type: 'input_error', field: 'max_calls' });
    expect(r.error?.message).toBe('30 items need 2 calls of at most 25, more than one run may make (max_calls 1); nothing was sent');
    expect(srv.calls).toEqual([]);
    // ...and a run may raise the budget for itself (two calls and the token request).
    srv.handler = (_req, res, body) =>
      json(res, { meta: { status: 200 }, data: JSON.parse(body).data.map((d: { id: string }) => ({ ...d, release: true })), fail: [] });
    const raised = await runAction('release_held_message', { id: ids }, srv.config({ max_calls: 1 }), { ...fast, maxCalls: 3 });
    expect(raised.status).toBe('success');
    expect(srv.apiCalls()).toHaveLength(2);
  });

  it('--output-dir naming a file is an input_error before the download is sent', async () => {
    const file = join(tmpDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await runAction('get_file', { id: 'eNoFile3' }, srv.config(), { ...fast, outputDir: file });
    expect(r.status).toBe('failed');
    expect(exitCodeFor(r)).toBe(2);
    expect(r.error).toMatchObject({ type: 'input_error', field: 'output_dir', message: `output_dir ${file} exists and is not a directory` });
    expect(srv.calls).toEqual([]);
  });

  it('a created output directory is owner-only whatever the umask, and the path comes back absolute', async () => {
    srv.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' });
      res.end('%PDF');
    };
    const parent = tmpDir();
    const rel = relative(process.cwd(), join(parent, 'new', 'dir'));
    const old = process.umask(0);
    try {
      const r = await runAction('get_file', { id: 'eNoFile4' }, srv.config(), { ...fast, outputDir: rel });
      expect(r.status).toBe('success');
      expect((r.data as { path: string }).path).toBe(join(parent, 'new', 'dir', 'a.pdf'));
      expect(statSync(join(parent, 'new', 'dir')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });
});
