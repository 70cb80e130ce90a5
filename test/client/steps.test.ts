/**
 * Each step of the request pipeline alone, around a fake `next` that records what reached it and
 * answers what the test says: what the step sends on, what it hands back, what it refuses.
 */
import { ConnectorError } from '../../src/base/errors.js';
import { OutcomeLedger } from '../../src/client/ledger.js';
import { QuotaPacer } from '../../src/client/pacing.js';
import { DEFAULT_RETRY } from '../../src/client/retry.js';
import { authStep, tokenFetcher, type TokenSource } from '../../src/client/steps/auth.js';
import { budgetStep, CallBudget } from '../../src/client/steps/budget.js';
import { classifyStep } from '../../src/client/steps/classify.js';
import { paceStep } from '../../src/client/steps/pace.js';
import { retryStep } from '../../src/client/steps/retry.js';
import { compose, type Answer, type WireRequest } from '../../src/client/steps/step.js';
import { InFlight } from '../../src/client/steps/write-safety.js';
import type { HttpResponse } from '../../src/client/transport.js';

const request = (over: Partial<WireRequest> = {}): WireRequest => ({
  method: 'POST',
  path: '/api/x',
  what: 'POST /api/x',
  endpoint: '/api/x',
  readOnly: true,
  attempt: 1,
  ...over,
});

const answer = (status: number, json: unknown = { meta: { status }, data: [], fail: [] }, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  json,
  text: JSON.stringify(json),
  contentType: 'application/json',
});

/** A `next` that answers from a list (an Error is thrown) and keeps every request it saw. */
function fakeNext<R>(answers: (R | Error)[]) {
  const seen: WireRequest[] = [];
  const next = async (req: WireRequest): Promise<R> => {
    seen.push(req);
    const a = answers.shift();
    if (a === undefined) throw new Error('no more answers');
    if (a instanceof Error) throw a;
    return a;
  };
  return { next, seen };
}

const never = new AbortController().signal;

describe('the auth step', () => {
  const tokens = (list: string[]): TokenSource & { invalidated: string[] } => {
    const invalidated: string[] = [];
    return { invalidated, get: async () => list.shift()!, invalidate: (t) => void invalidated.push(t) };
  };

  it('sends the request with the token, and hands back the answer', async () => {
    const t = tokens(['tok-aaaaaaaaaaaaaaaa']);
    const { next, seen } = fakeNext<Answer>([{ status: 200, headers: {} }]);
    const res = await authStep(t, () => t.get({}))(next)(request());
    expect(res.status).toBe(200);
    expect(seen.map((r) => r.token)).toEqual(['tok-aaaaaaaaaaaaaaaa']);
  });

  it('on a 401 drops the token, fetches a fresh one and replays once', async () => {
    const t = tokens(['old-aaaaaaaaaaaaaaaa', 'new-bbbbbbbbbbbbbbbb']);
    const { next, seen } = fakeNext<Answer>([
      { status: 401, headers: {} },
      { status: 200, headers: {} },
    ]);
    const res = await authStep(t, () => t.get({}))(next)(request());
    expect(res.status).toBe(200);
    expect(seen.map((r) => r.token)).toEqual(['old-aaaaaaaaaaaaaaaa', 'new-bbbbbbbbbbbbbbbb']);
    expect(t.invalidated).toEqual(['old-aaaaaaaaaaaaaaaa']);
  });

  it('a 401 to the fresh token is an auth_error carrying Mimecast’s code, and nothing is replayed again', async () => {
    const t = tokens(['old-aaaaaaaaaaaaaaaa', 'new-bbbbbbbbbbbbbbbb']);
    const refused = answer(401, { fail: [{ errors: [{ code: 'err_xdk_invalid_signature', message: 'Invalid signature' }] }] }, { 'x-request-id': 'r-1' });
    const { next, seen } = fakeNext<HttpResponse>([answer(401), refused]);
    const e = await authStep(t, () => t.get({}))(next)(request()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).toInfo()).toMatchObject({ type: 'auth_error', code: 'err_xdk_invalid_signature', request_id: 'r-1' });
    expect(seen).toHaveLength(2);
  });

  it('an anonymous request (a link on another origin) goes without a token, and no token is fetched', async () => {
    const t = tokens([]);
    const { next, seen } = fakeNext<Answer>([{ status: 200, headers: {} }]);
    await authStep(t, () => Promise.reject(new Error('fetched')))(next)(request({ anonymous: true }));
    expect(seen[0].token).toBeUndefined();
  });

  it('a token request counts against the budget, and none is made once the budget is spent', async () => {
    const ledger = new OutcomeLedger();
    const budget = new CallBudget(1, ledger);
    let asked = 0;
    const source: TokenSource = {
      get: async (ctx) => {
        asked++;
        ctx.onRequest?.();
        return 'tok-aaaaaaaaaaaaaaaa';
      },
      invalidate: () => undefined,
    };
    const fetch = tokenFetcher(source, budget, never);
    await fetch();
    expect([budget.made, ledger.requests]).toEqual([1, 1]);
    const e = (await fetch().catch((x: unknown) => x)) as ConnectorError;
    expect([e.type, e.code, asked]).toEqual(['rate_limited', 'max_calls_reached', 1]);
  });

  it('a failed token request is marked not applied, so a write may retry it', async () => {
    const budget = new CallBudget(10, new OutcomeLedger());
    const failing: TokenSource = {
      get: async () => {
        throw new ConnectorError('api_error', 'token endpoint answered HTTP 503', { retryable: true, maybeApplied: true });
      },
      invalidate: () => undefined,
    };
    const e = (await tokenFetcher(failing, budget, never)().catch((x: unknown) => x)) as ConnectorError;
    expect([e.retryable, e.maybeApplied]).toEqual([true, false]);
  });
});

describe('the budget step', () => {
  it('counts each request, and refuses the one past max_calls without sending it', async () => {
    const ledger = new OutcomeLedger();
    const { next, seen } = fakeNext<Answer>([
      { status: 200, headers: {} },
      { status: 200, headers: {} },
    ]);
    const send = budgetStep(new CallBudget(2, ledger))(next);
    await send(request());
    await send(request());
    const e = (await send(request()).catch((x: unknown) => x)) as ConnectorError;
    expect(e.toInfo()).toMatchObject({ type: 'rate_limited', code: 'max_calls_reached', field: 'max_calls' });
    expect(e.message).toBe('POST /api/x: this run has made 2 requests (token requests included), the most it may make (max_calls 2); stopped before the next');
    expect(seen).toHaveLength(2);
    expect(ledger.requests).toBe(2);
  });

  it('a dry run counts against the budget but reports no request sent', async () => {
    const ledger = new OutcomeLedger();
    const budget = new CallBudget(5, ledger, true);
    await budgetStep(budget)(fakeNext<Answer>([{ status: 200, headers: {} }]).next)(request());
    expect([budget.made, ledger.requests]).toEqual([1, 0]);
  });
});

describe('the pace step', () => {
  const limited = (remaining: number) => ({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': '500' });

  it('reads each answer’s rate-limit headers into the ledger and the pacer', async () => {
    const ledger = new OutcomeLedger();
    const pacer = new QuotaPacer(() => 1_000);
    const { next } = fakeNext<Answer>([{ status: 200, headers: limited(0) }]);
    await paceStep({ pacer, ledger, deadline: never, deadlineAt: 10_000 })(next)(request());
    expect(ledger.rateLimit).toEqual({ limit: 100, remaining: 0, reset_ms: 500 });
    expect(pacer.tryTake('/api/x')).toBe(false); // spent until the reset
  });

  it('holds a call to a spent endpoint, and fails it at once when the reset lies past the deadline (unsent)', async () => {
    const ledger = new OutcomeLedger();
    const pacer = new QuotaPacer(() => 1_000);
    pacer.observe('/api/x', { limit: 100, remaining: 0, reset_ms: 30_000 });
    const { next, seen } = fakeNext<Answer>([]);
    const e = (await paceStep({ pacer, ledger, deadline: never, deadlineAt: 5_000 })(next)(request()).catch((x: unknown) => x)) as ConnectorError;
    expect(e.type).toBe('rate_limited');
    expect(e.message).toBe("the Mimecast quota for /api/x is spent until its reset in 30 s, past this action's time limit");
    expect(seen).toHaveLength(0);
  });

  it('a call that max_calls refuses after the pacer let it probe (unsent) ends the probe: the next caller is not held for it', async () => {
    const ledger = new OutcomeLedger();
    const pacer = new QuotaPacer(() => 1_000);
    const { next, seen } = fakeNext<Answer>([{ status: 200, headers: limited(5) }]);
    const pace = paceStep({ pacer, ledger, deadline: never, deadlineAt: 10_000 });
    // Nothing is known of /api/x: this call is the probe the others would wait for, up to 2 s.
    const refused = (await pace(budgetStep(new CallBudget(0, ledger))(next))(request()).catch((x: unknown) => x)) as ConnectorError;
    expect(refused.code).toBe('max_calls_reached');
    expect(seen).toHaveLength(0);

    let answered = false;
    const second = pace(next)(request()).then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(true); // at once, not after the probe's 2 s wait
    await second;
    expect(seen).toHaveLength(1);
  });

  it('a request to another origin is neither paced nor heard', async () => {
    const ledger = new OutcomeLedger();
    const pacer = new QuotaPacer(() => 1_000);
    const { next } = fakeNext<Answer>([{ status: 200, headers: limited(0) }]);
    await paceStep({ pacer, ledger, deadline: never, deadlineAt: 10_000 })(next)(request({ endpoint: undefined }));
    expect(ledger.rateLimit).toBeUndefined();
    expect(pacer.tryTake('')).toBe(false);
  });
});

describe('the write-safety step', () => {
  it('counts a call in flight until its answer is back; one that failed after it may have reached Mimecast stays counted', async () => {
    const inFlight = new InFlight();
    let during = false;
    const ok = inFlight.step(async () => {
      during = inFlight.any();
      return { status: 200, headers: {} };
    });
    await ok(request());
    expect([during, inFlight.any()]).toEqual([true, false]);
    const refused = inFlight.step(() => Promise.reject(new ConnectorError('transport_error', 'refused', { maybeApplied: false })));
    await refused(request()).catch(() => undefined);
    expect(inFlight.any()).toBe(false);
    const cut = inFlight.step(() => Promise.reject(new ConnectorError('timeout', 'cut', { maybeApplied: true })));
    await cut(request()).catch(() => undefined);
    expect(inFlight.any()).toBe(true);
  });
});

describe('the retry step', () => {
  const opts = { retry: { ...DEFAULT_RETRY, minTimeout: 1, maxTimeout: 2 }, deadline: never, deadlineAt: Date.now() + 60_000, inFlight: () => false };
  const serverError = () => new ConnectorError('api_error', 'POST /api/x: Mimecast answered HTTP 503', { retryable: true, maybeApplied: true });

  it('re-sends a read that failed with a 5xx, numbering the attempts', async () => {
    const { next, seen } = fakeNext<string>([serverError(), 'ok']);
    expect(await retryStep(opts)(next)(request())).toBe('ok');
    expect(seen.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('never re-sends a write that may have reached Mimecast, and says so', async () => {
    const { next, seen } = fakeNext<string>([serverError(), 'ok']);
    const e = (await retryStep(opts)(next)(request({ readOnly: false })).catch((x: unknown) => x)) as ConnectorError;
    expect(seen).toHaveLength(1);
    expect(e.resendWithheld).toBe(true);
    expect(e.hint).toMatch(/was not re-sent because it may have reached Mimecast/);
  });

  it('a call that succeeds at once is sent once, as attempt 1', async () => {
    const { next, seen } = fakeNext<string>(['ok']);
    await retryStep(opts)(next)(request());
    expect(seen.map((r) => r.attempt)).toEqual([1]);
  });
});

describe('the classify step', () => {
  it('hands back a 2xx envelope as it is', async () => {
    const ok = answer(200);
    expect(await classifyStep()(fakeNext([ok]).next)(request({ envelope: true }))).toBe(ok);
  });

  it('turns a 403 into a permission_error naming the permission the action needs', async () => {
    const e = (await classifyStep('Groups | Read')(fakeNext([answer(403, {})]).next)(request()).catch((x: unknown) => x)) as ConnectorError;
    expect([e.type, e.message, e.hint]).toEqual([
      'permission_error',
      'POST /api/x: Mimecast refused the call (HTTP 403)',
      'Give the API application\'s role the "Groups | Read" permission in Mimecast (Administration → Roles).',
    ]);
  });

  it('refuses an answer that is not an envelope when one is expected', async () => {
    const page = { status: 200, headers: {}, json: undefined, text: '<html>login</html>', contentType: 'text/html' };
    const e = (await classifyStep()(fakeNext([page]).next)(request({ envelope: true })).catch((x: unknown) => x)) as ConnectorError;
    expect(e.message).toBe('POST /api/x: Mimecast answered HTTP 200 with something that is not a Mimecast answer (text/html, 18 bytes): "<html>login</html>"');
  });

  it('a read answered meta.status 500 inside HTTP 200 fails (retryable); a write’s such answer is kept', async () => {
    const inside = answer(200, { meta: { status: 500 }, data: [], fail: [] });
    const e = (await classifyStep()(fakeNext([inside]).next)(request({ envelope: true })).catch((x: unknown) => x)) as ConnectorError;
    expect([e.type, e.retryable]).toEqual(['api_error', true]);
    expect(await classifyStep()(fakeNext([inside]).next)(request({ envelope: true, readOnly: false }))).toBe(inside);
  });
});

describe('compose', () => {
  it('runs the steps outermost first around send', async () => {
    const order: string[] = [];
    const mark =
      (name: string) =>
      <R extends Answer>(next: (r: WireRequest) => Promise<R>) =>
      async (req: WireRequest) => {
        order.push(`${name}>`);
        const res = await next(req);
        order.push(`<${name}`);
        return res;
      };
    await compose([mark('a'), mark('b')], async () => {
      order.push('send');
      return { status: 200, headers: {} };
    })(request());
    expect(order).toEqual(['a>', 'b>', 'send', '<b', '<a']);
  });
});
