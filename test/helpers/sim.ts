/** Simulator helpers: a real HTTP simulator on loopback, the real client, runAction. */
import { runAction, type ResultEnvelope, type RunOptions } from '../../src/runtime/run.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.js';

export interface SimHarness {
  sim: Simulator;
  run(action: string, input: unknown, opts?: RunOptions): Promise<ResultEnvelope<any>>;
}

/** One simulator per suite, reset between tests. */
export function useSimulator(options: SimulatorOptions = {}): SimHarness {
  const h = {} as SimHarness;
  beforeAll(async () => {
    h.sim = await startSimulator(options);
    h.run = (action, input, opts = {}) =>
      runAction(
        action,
        input,
        { base_url: h.sim.url, ...h.sim.credentials },
        // The run's clock is the simulator's (a faked one too), so default date windows match its records.
        { tokenCache: 'memory', retry: { minTimeout: 1, maxTimeout: 5, maxWaitMs: 2_000 }, now: () => h.sim.now().getTime(), ...opts },
      );
  });
  beforeEach(() => h.sim.reset());
  afterAll(() => h.sim.close());
  return h;
}
