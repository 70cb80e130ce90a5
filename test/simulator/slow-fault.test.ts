/**
 * The 'slow' fault holds an answer back; reset() and close() drop what it still holds. Left
 * running, a held answer would be given (and a held write applied) after the test that queued it,
 * and its timer would keep the process alive after close() (test/integration/process-exit.test.ts).
 */
import { setImmediate as tick } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { http, requestsTo } from '../helpers/cli.js';

const ACCOUNT = '/api/account/get-account';
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});
beforeEach(() => sim.reset());
afterAll(async () => {
  await sim?.close();
});

/** Sends one call to the account endpoint and waits until the simulator holds it. */
async function held(): Promise<{ answer: Promise<unknown> }> {
  const answer = http('POST', `${sim.url}${ACCOUNT}`, { headers: { 'content-type': 'application/json' }, body: '{"data":[]}' });
  answer.catch(() => undefined); // awaited by the test; no unhandled rejection meanwhile
  while (requestsTo(sim, ACCOUNT).length === 0) await tick();
  return { answer };
}

describe('slow fault', () => {
  it('holds the answer back until its delay has passed', async () => {
    sim.fault({ kind: 'slow', path: ACCOUNT, delayMs: 50 });
    // No token: once the delay has passed, the gateway's 401.
    const { answer } = await held();
    await expect(answer).resolves.toMatchObject({ status: 401 });
  });

  it('reset() drops an answer still held back: the connection is closed, no answer comes after it', async () => {
    sim.fault({ kind: 'slow', path: ACCOUNT, delayMs: 300 });
    const { answer } = await held();
    sim.reset();
    await expect(answer).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
