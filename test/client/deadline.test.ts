/**
 * One run's deadline: it aborts the run's requests and waits with a TimeoutError, follows the
 * caller's signal, and leaves nothing behind when the run ends (no pending timer, no listener on a
 * caller's signal that outlives many runs).
 */
import { getEventListeners } from 'node:events';
import { jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestSignal, RunDeadline, type AbortEmitter } from '../../src/client/deadline.js';
import { UndiciTransport, type HttpRequest, type HttpResponse, type Transport } from '../../src/client/transport.js';
import { parseConfig } from '../../src/runtime/config.js';
import { createConnector } from '../../src/runtime/run.js';

afterEach(() => jest.useRealTimers());

describe('RunDeadline', () => {
  it('aborts with a TimeoutError when the time is up', () => {
    jest.useFakeTimers();
    const d = new RunDeadline(1_000);
    jest.advanceTimersByTime(999);
    expect(d.signal.aborted).toBe(false);
    jest.advanceTimersByTime(1);
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('once ended, holds no timer and never aborts', () => {
    jest.useFakeTimers();
    const d = new RunDeadline(1_000);
    expect(jest.getTimerCount()).toBe(1);
    d.end();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5_000);
    expect(d.signal.aborted).toBe(false);
  });

  it("follows the caller's signal, and lets go of it when ended", () => {
    const caller = new AbortController();
    const d = new RunDeadline(60_000, caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort(new Error('stop'));
    expect(d.signal.aborted).toBe(true);
    expect((d.signal.reason as Error).message).toBe('stop');
    d.end();

    const again = new RunDeadline(60_000, new AbortController().signal);
    const other = new AbortController();
    const linked = new RunDeadline(60_000, other.signal);
    linked.end();
    again.end();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
  });

  it("tells undici's emitter once, with the same reason as the signal", () => {
    jest.useFakeTimers();
    const d = new RunDeadline(1_000);
    const emitter = requestSignal(d.signal) as AbortEmitter;
    expect(emitter).not.toBe(d.signal);
    const heard: unknown[] = [];
    emitter.on('abort', () => heard.push(emitter.reason));
    jest.advanceTimersByTime(1_000);
    expect(heard).toEqual([d.signal.reason]);
    const other = new AbortController().signal;
    expect(requestSignal(other)).toBe(other); // a signal that is not a run's goes to undici as it is
  });

  it('an already aborted caller signal aborts the run at once', () => {
    const caller = new AbortController();
    caller.abort(new Error('too late'));
    const d = new RunDeadline(60_000, caller.signal);
    expect(d.signal.aborted).toBe(true);
    d.end();
  });
});

describe('the transport and a run that is out of time', () => {
  it('sends nothing once the deadline has passed, and says timeout', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new UndiciTransport(parseConfig({ base_url: base, client_id: 'id', client_secret: 'deadline-secret-0123456789' }));
    const d = new RunDeadline(0);
    await new Promise((r) => setTimeout(r, 5));
    const req: HttpRequest = { method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: d.signal };
    await expect(transport.send(req, 'POST /api/x')).rejects.toMatchObject({ type: 'timeout' });
    expect(hits).toBe(0);
    d.end();
    await transport.close();
    await new Promise((r) => server.close(r));
  });

  it('aborts a request in flight when the deadline passes', async () => {
    const server = createServer(() => undefined); // never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new UndiciTransport(parseConfig({ base_url: base, client_id: 'id', client_secret: 'deadline-secret-0123456789' }));
    const d = new RunDeadline(100);
    const t0 = Date.now();
    await expect(transport.send({ method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: d.signal }, 'POST /api/x')).rejects.toMatchObject({
      type: 'timeout',
      maybeApplied: true,
    });
    expect(Date.now() - t0).toBeLessThan(5_000);
    d.end();
    await transport.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
});

describe('the transport reads whole answers and lets go of the run', () => {
  /** A loopback server for one test; `handle` answers each request. */
  async function serve(handle: Parameters<typeof createServer>[1]) {
    const server = createServer(handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new UndiciTransport(parseConfig({ base_url: base, client_id: 'id', client_secret: 'deadline-secret-0123456789' }));
    const close = async () => {
      await transport.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    };
    return { base, transport, close };
  }

  it('a deadline that passes while the body is still coming ends the request as a timeout, the answer unread', async () => {
    const { base, transport, close } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"meta":{"status":200},"data":['); // and nothing more
    });
    const d = new RunDeadline(150);
    const emitter = requestSignal(d.signal) as AbortEmitter;
    await expect(transport.send({ method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: d.signal }, 'POST /api/x')).rejects.toMatchObject({
      type: 'timeout',
      maybeApplied: true,
      message: "POST /api/x: the action's time limit ran out before Mimecast answered",
    });
    expect(emitter.listenerCount('abort')).toBe(0);
    d.end();
    await close();
  });

  it('leaves no listener on the run after each answer, so a run of many calls holds none', async () => {
    const { base, transport, close } = await serve((_req, res) => res.end('{"meta":{"status":200},"data":[],"fail":[]}'));
    const d = new RunDeadline(60_000);
    const emitter = requestSignal(d.signal) as AbortEmitter;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => transport.send({ method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: d.signal }, 'POST /api/x')),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(emitter.listenerCount('abort')).toBe(0);
    d.end();
    await close();
  });

  it("a caller's own AbortSignal (not a run's) aborts a request in flight, and its listener is removed after an answer", async () => {
    let hang = true;
    const { base, transport, close } = await serve((_req, res) => {
      if (!hang) res.end('{"data":[]}');
    });
    const caller = new AbortController();
    const pending = transport.send({ method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: caller.signal }, 'POST /api/x');
    setTimeout(() => caller.abort(new DOMException('stop', 'AbortError')), 50);
    await expect(pending).rejects.toMatchObject({ type: 'timeout' });
    hang = false;
    const other = new AbortController();
    await expect(transport.send({ method: 'POST', url: `${base}/api/x`, headers: {}, body: '{}', signal: other.signal }, 'POST /api/x')).resolves.toMatchObject(
      {
        status: 200,
        json: { data: [] },
      },
    );
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    await close();
  });

  it('reads an answer that starts with a UTF-8 byte order mark, with and without Content-Length', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"data":[{"name":"Zürich"}]}')]);
    const { base, transport, close } = await serve((req, res) => {
      if (req.url === '/api/sized') res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      else res.writeHead(200, { 'content-type': 'application/json' }); // chunked
      res.end(body);
    });
    for (const path of ['/api/sized', '/api/chunked']) {
      const r = await transport.send({ method: 'POST', url: `${base}${path}`, headers: {}, body: '{}' }, `POST ${path}`);
      expect(r.json).toEqual({ data: [{ name: 'Zürich' }] });
      expect(r.text).toBe('{"data":[{"name":"Zürich"}]}');
    }
    await close();
  });
});

/** Answers find-groups at once, without a socket or a timer. */
const answering: Transport = {
  async send(req: HttpRequest): Promise<HttpResponse> {
    const json = req.url.endsWith('/oauth/token')
      ? { access_token: 'deadline-test-token-0123456789', token_type: 'Bearer', expires_in: 1799 }
      : { meta: { status: 200, pagination: { pageSize: 100 } }, data: [{ folders: [{ id: 'eNoGroup1', description: 'Blocked Senders' }] }], fail: [] };
    return { status: 200, headers: { 'content-type': 'application/json' }, json, text: JSON.stringify(json), contentType: 'application/json' };
  },
  async open() {
    throw new Error('not used');
  },
  async close() {},
};

describe('runs on one connector', () => {
  it('leave no timer pending once they have ended, however many ran', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const c = createConnector(
      { base_url: 'https://api.services.mimecast.com', client_id: 'id', client_secret: 'deadline-secret-0123456789' },
      { tokenCache: 'memory', transport: answering },
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => c.run('search_groups', { query: 'Blocked' })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill('success'));
    expect(results[0].data).toEqual([{ id: 'eNoGroup1', description: 'Blocked Senders' }]);
    expect(jest.getTimerCount()).toBe(0);
    await c.close();
  });

  it("leave no listener on a caller's signal shared by all of them", async () => {
    const c = createConnector(
      { base_url: 'https://api.services.mimecast.com', client_id: 'id', client_secret: 'deadline-secret-0123456789' },
      { tokenCache: 'memory', transport: answering },
    );
    const shared = new AbortController();
    for (let i = 0; i < 20; i++) expect((await c.run('search_groups', { query: 'Blocked' }, { signal: shared.signal })).status).toBe('success');
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    await c.close();
  });
});
