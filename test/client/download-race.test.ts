/**
 * Parallel downloads of the same name into one --output-dir, over a real loopback server: each run
 * gets a different file, all named evidence.eml. The server finishes the bodies only once every run
 * has started writing (all the .part files exist), so every run picks its name while the others
 * are still downloading: a name checked free and renamed onto later is taken by them all, and the
 * last rename wins. Every result's path and sha256 must match a file on disk.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type RunOptions } from '../../src/runtime/run.js';

const RUNS = 4;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: Server;
let base = '';
let dir = '';
let held: { res: ServerResponse; rest: Buffer }[] = [];
const sent: Buffer[] = [];

/** Ends the held bodies once every run has its .part file open in the output directory. */
function releaseWhenAllWriting(): void {
  const timer = setInterval(() => {
    if (readdirSync(dir).filter((f) => f.endsWith('.part')).length < RUNS) return;
    clearInterval(timer);
    for (const h of held.splice(0)) h.res.end(h.rest);
  }, 5);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'race-token-0123456789abcdef', expires_in: 1799 }));
        return;
      }
      const content = Buffer.from(`From: a@example.com\r\nSubject: copy ${sent.length}\r\n\r\n${'body '.repeat(2000)}${sent.length}\r\n`);
      sent.push(content);
      res.writeHead(200, {
        'content-type': 'message/rfc822',
        'content-length': String(content.length),
        'content-disposition': 'attachment; filename="evidence.eml"',
      });
      res.write(content.subarray(0, 100));
      held.push({ res, rest: content.subarray(100) });
      if (held.length === RUNS) releaseWhenAllWriting();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mc-race-'));
  held = [];
  sent.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it(`${RUNS} parallel get_file runs saving evidence.eml into one directory each keep their own file, and every path and sha256 matches the disk`, async () => {
  const opts: RunOptions = { tokenCache: 'memory', outputDir: dir, retry: { retries: 0 } };
  const config = { base_url: base, client_id: 'race-id', client_secret: 'race-secret-0123456789' };
  const results = await Promise.all(Array.from({ length: RUNS }, (_, i) => runAction('get_file', { id: `att-${i}` }, config, opts)));
  expect(results.map((r) => r.status)).toEqual(Array(RUNS).fill('success'));
  const data = results.map((r) => r.data as { file_name: string; path: string; sha256: string; size: number });
  const names = ['evidence.eml', ...Array.from({ length: RUNS - 1 }, (_, n) => `evidence (${n + 1}).eml`)];
  expect(data.map((d) => d.file_name).sort()).toEqual([...names].sort());
  expect(readdirSync(dir).sort()).toEqual([...names].sort()); // no .part file left, nothing lost
  for (const d of data) {
    const onDisk = readFileSync(d.path);
    expect([sha(onDisk), onDisk.length]).toEqual([d.sha256, d.size]);
  }
  // Every file the server sent is on disk, once.
  expect(data.map((d) => d.sha256).sort()).toEqual(sent.map(sha).sort());
});
